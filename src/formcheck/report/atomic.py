"""Atomic file output: a reader sees the old file or the whole new one, never half.

Everything is written to a temporary file in the target's directory (same
file system, so the final rename is atomic), flushed to disk, then moved into
place. On any exception the temporary file is removed. An existing output is
kept unless ``force=True``; without it a one-line :class:`FileExistsError`
names the ``--force`` option.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

StrPath = str | os.PathLike[str]


def refuse_existing(path: StrPath, force: bool) -> Path:
    """Return ``path`` as a Path; raise :class:`FileExistsError` if it exists and not ``force``."""
    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} already exists; use --force to overwrite it")
    if p.is_dir():
        raise IsADirectoryError(f"{p} is a directory, not a file")
    return p


def temp_path_for(path: StrPath) -> Path:
    """A fresh, unused temporary path beside ``path`` that keeps its suffix.

    The suffix is kept because some writers (OpenCV, matplotlib) pick the
    format from it. The file is created empty so the name is reserved.
    """
    p = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=f".tmp{p.suffix}", dir=p.parent)
    # mkstemp makes the file private (0600); the finished output should get the same
    # permissions as any file the user creates, so apply the umask as open() would.
    os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    return Path(name)


TEMP_GLOB = ".*.tmp*"  # what temp_path_for names look like


def remove_orphans(directory: StrPath) -> int:
    """Delete temporary files a killed writer left in ``directory``; returns how many.

    Only for a directory one process owns: another writer's file in progress
    would be deleted too.
    """
    removed = 0
    for leftover in Path(directory).glob(TEMP_GLOB):
        if leftover.is_file():
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                removed += 1
    return removed


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_path(path: StrPath, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` atomically.

    ``with atomic_path("out.png") as tmp: fig.savefig(tmp)``. The temporary
    file exists (empty) when the block starts, so writers may open it for
    writing or replace it; it is removed if the block raises.
    """
    target = refuse_existing(path, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(target)
    try:
        yield tmp
        if not tmp.exists():
            raise FileNotFoundError(f"{tmp} was removed before {target} could be written")
        _fsync_file(tmp)
        commit(tmp, target, force=force)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def commit(tmp: StrPath, target: StrPath, *, force: bool) -> None:
    """Move a finished temporary file onto ``target`` (no overwrite unless ``force``).

    Without ``force`` a hard link makes the no-clobber check and the move one
    atomic step, so a file that appeared meanwhile is still not overwritten.
    """
    tmp, target = Path(tmp), Path(target)
    if force:
        os.replace(tmp, target)
    else:
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise FileExistsError(f"{target} already exists; use --force to overwrite it") from None
        except OSError:  # file system without hard links: check, then rename
            refuse_existing(target, force=False)
            os.replace(tmp, target)
        else:
            tmp.unlink()
    _fsync_dir(target.parent)


def atomic_write_bytes(path: StrPath, data: bytes, *, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; returns the path."""
    with atomic_path(path, force=force) as tmp, open(tmp, "wb") as f:
        f.write(data)
    return Path(path)


def atomic_write_text(
    path: StrPath, text: str, *, force: bool = False, encoding: str = "utf-8"
) -> Path:
    """Write ``text`` to ``path`` atomically (``\\n`` line ends on every platform)."""
    return atomic_write_bytes(path, text.encode(encoding), force=force)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
