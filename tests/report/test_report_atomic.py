"""Atomic writes: whole file or nothing, and no overwrite without force."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.report.atomic import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    remove_orphans,
    temp_path_for,
)


def test_writes_text_and_bytes(tmp_path: Path) -> None:
    assert atomic_write_text(tmp_path / "a.txt", "héllo\n").read_text("utf-8") == "héllo\n"
    assert atomic_write_bytes(tmp_path / "sub" / "b.bin", b"\x00\x01").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.bin", "sub"]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(FileExistsError, match="--force") as info:
        atomic_write_text(target, "new")
    assert "\n" not in str(info.value)
    assert target.read_text() == "old"
    atomic_write_text(target, "new", force=True)
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_exception_mid_write_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        with open(tmp, "w") as f:
            f.write("half a ")
        raise RuntimeError("disk on fire")
    assert list(tmp_path.iterdir()) == []


def test_exception_keeps_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("complete old content")
    with pytest.raises(RuntimeError), atomic_path(target, force=True) as tmp:
        tmp.write_text("partial")
        raise RuntimeError
    assert target.read_text() == "complete old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_temp_file_keeps_suffix_and_sits_beside_the_target(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "plot.png") as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".png"
        tmp.write_bytes(b"png")
    assert (tmp_path / "plot.png").read_bytes() == b"png"


def test_file_appearing_meanwhile_is_not_clobbered(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    with pytest.raises(FileExistsError), atomic_path(target) as tmp:
        tmp.write_text("mine")
        target.write_text("someone else's")
    assert target.read_text() == "someone else's"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_orphans_of_a_killed_writer_are_swept_and_finished_files_kept(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "done.json", "{}")
    (tmp_path / ".hidden.json").write_text("not ours")  # a dotfile, but no temp name
    orphans = [temp_path_for(tmp_path / "a.json"), temp_path_for(tmp_path / "b.npz")]
    assert remove_orphans(tmp_path) == 2
    assert not any(p.exists() for p in orphans)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".hidden.json", "done.json"]
