"""Shared CLI pieces: the exercise choice, error handling and output checks."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from formcheck.cli.signals import interrupted_exit_code, interruption
from formcheck.errors import ConfigError, FormcheckError, OutputError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


EXERCISE_HELP = "an exercise id or alias from the registry (`formcheck exercises` lists them)"


def exercise_choice(value: str | None) -> str | None:
    """``--exercise``: 'auto' or the registered exercise id it names (a typer callback).

    The choices come from the registry when the option is parsed, after
    ``--exercises-dir`` has added a clinic's definitions, so they cannot be a fixed enum.
    """
    if value is None or value.strip().lower() == "auto":
        return None if value is None else "auto"
    from formcheck.exercises.registry import resolve_id

    try:
        return resolve_id(value)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc)) from None


def plural(n: int, word: str) -> str:
    """``"1 clip"``, ``"2 clips"``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line to stderr and return the Exit to raise."""
    # Messages carry paths and config keys such as [exercises.bridge]: not markup.
    err_console.print(f"[bold red]error:[/] {escape(message)}", markup=True)
    return typer.Exit(code=code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn expected failures into one line and a non-zero exit, never a traceback."""
    try:
        yield
    except FormcheckError as exc:
        raise fail(str(exc)) from None
    except FileExistsError as exc:
        raise fail(str(exc) if str(exc) else "output exists; use --force") from None
    except PermissionError as exc:
        raise fail(f"permission denied: {shown_path(exc.filename) or exc}") from None
    except OSError as exc:
        raise fail(os_error_line(exc)) from None
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (cli/signals.py)
        err_console.print(f"interrupted ({interruption()}); outputs already written are kept")
        raise typer.Exit(code=interrupted_exit_code(exc)) from None


# Atomic writes go to ".<stem>.<random>.tmp<suffix>" beside the target (report/atomic.py).
_TEMP_NAME = re.compile(r"^\.(?P<stem>.+)\.[^.]+\.tmp(?P<suffix>(\.[^.]*)?)$")

_WRITE_FAILURES = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
}


def shown_path(filename: object) -> str:
    """The path to show for an OS error: the output it was for, not its temporary file."""
    if not filename:
        return ""
    path = Path(os.fsdecode(filename))  # type: ignore[arg-type]
    if m := _TEMP_NAME.match(path.name):
        return str(path.with_name(m["stem"] + m["suffix"]))
    return str(path)


def os_error_line(exc: OSError) -> str:
    """One line for an OS error: what failed, where, and that earlier files are kept."""
    where = shown_path(exc.filename)
    if exc.errno in _WRITE_FAILURES:
        # Every output is written to a temporary file and renamed, so nothing older is lost.
        target = f"cannot write {where}" if where else "cannot write the output"
        return f"{target}: {_WRITE_FAILURES[exc.errno]}; earlier files were left as they were"
    return f"{exc.strerror or exc}" + (f" ({where})" if where else "")


def check_outputs(paths: list[Path | None], force: bool) -> None:
    """Refuse before any work starts: existing outputs without --force, unwritable folders."""
    for p in paths:
        if p is None:
            continue
        if p.exists() and p.is_dir():
            raise OutputError(f"{p} is a directory, not a file")
        if p.exists() and not force:
            raise OutputError(f"{p} already exists; use --force to overwrite it")
        parent = p.parent if str(p.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise OutputError(f"cannot write {p}: {parent} is not a folder")
        if parent.exists() and not os.access(parent, os.W_OK):
            raise OutputError(f"cannot write to {parent}: the folder is read-only")
        parent.mkdir(parents=True, exist_ok=True)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (symlinks and hard links included)."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist yet
        return False


def check_distinct(inputs: dict[str, Path | None], outputs: dict[str, Path | None]) -> None:
    """Refuse, before any work, an output that is an input or two outputs at one path.

    Keys are the options as the user typed them (``"--json"``, ``"the clip"``).
    """
    given = [(name, p) for name, p in outputs.items() if p is not None]
    for out_name, out in given:
        for in_name, source in inputs.items():
            if source is not None and _same_file(out, source):
                raise OutputError(
                    f"{out_name} {out} is {in_name}: it would be overwritten; "
                    "choose another output path"
                )
    for i, (a_name, a) in enumerate(given):
        for b_name, b in given[i + 1 :]:
            if _same_file(a, b):
                raise OutputError(
                    f"{a_name} and {b_name} both write {a}; give each output its own path"
                )
