"""Writing outputs: never clobber without --force, never leave half a file, say why.

Runs ``formcheck analyze --poses`` on a hand-built pose recording (no model),
so each case takes a fraction of a second. The unit tests of the atomic
writer itself are in tests/report/test_report_atomic.py.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from robust_helpers import assert_ok, assert_one_line_error, invoke, read_json

from factories import bridge_rep, profile, sequence
from formcheck.pose.recording import PoseRecording
from formcheck.report import atomic


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    """Three clean bridge reps as a saved pose recording."""
    f = profile([*bridge_rep() * 3, (1.0, 125.0)], 125.0)
    path = tmp_path / "session.npz"
    PoseRecording.from_frames(sequence(f, duration=f.duration), fps=30, model_id="test").save(path)
    return path


def analyse(recording: Path, *args: object):
    # The clip named does not exist, so no frames are read: key frames are skipped.
    clip = recording.with_suffix(".mp4")
    return invoke("analyze", clip, "--poses", recording, "-e", "bridge", "-q", *args)


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted atomic write would leave (".<stem>.<rand>.tmp<suffix>")."""
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


OPTIONS = {"--json": "r.json", "--csv": "r.csv", "--html": "r.html", "--save-poses": "p.npz",
           "--video": "v.webm"}  # fmt: skip


@pytest.mark.parametrize("option", list(OPTIONS))
def test_existing_output_is_not_overwritten_without_force(
    tmp_path: Path, recording: Path, option: str
) -> None:
    out = tmp_path / "out" / OPTIONS[option]
    out.parent.mkdir()
    out.write_bytes(b"an earlier result")
    line = assert_one_line_error(analyse(recording, option, out), "already exists", "--force")
    assert str(out) in line
    assert out.read_bytes() == b"an earlier result"
    assert leftovers(out.parent) == []


def test_force_overwrites(tmp_path: Path, recording: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old")
    assert_ok(analyse(recording, "--json", out, "--force"))
    assert read_json(out)["summary"]["rep_count"] == 3


def test_output_that_is_a_folder(tmp_path: Path, recording: Path) -> None:
    (tmp_path / "r.json").mkdir()
    assert_one_line_error(analyse(recording, "--json", tmp_path / "r.json"), "is a directory")


@pytest.mark.parametrize("option", ["--json", "--csv", "--html"])
def test_full_disk_gives_a_clear_error_and_keeps_the_earlier_file(
    tmp_path: Path, recording: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    out = tmp_path / OPTIONS[option]
    assert_ok(analyse(recording, option, out))
    before = out.read_bytes()

    def disk_full(path: Path) -> None:
        # Where a full disk shows up: writing or flushing the temporary file.
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(atomic, "_fsync_file", disk_full)
    line = assert_one_line_error(analyse(recording, option, out, "--force"), "the disk is full")
    assert str(out) in line and ".tmp" not in line  # names the output, not its temp file
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_full_disk_on_a_later_output_keeps_the_ones_already_written(
    tmp_path: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_fsync = atomic._fsync_file

    def full_for_html(path: Path) -> None:
        if path.suffix == ".html":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real_fsync(path)

    monkeypatch.setattr(atomic, "_fsync_file", full_for_html)
    json_out, html_out = tmp_path / "r.json", tmp_path / "r.html"
    result = analyse(recording, "--json", json_out, "--html", html_out)
    assert_one_line_error(result, "the disk is full", "r.html")
    assert read_json(json_out)["summary"]["rep_count"] == 3  # whole, not lost
    assert not html_out.exists()
    assert leftovers(tmp_path) == []


def test_read_only_output_folder_is_refused_before_any_work(
    tmp_path: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        # Root writes anywhere, so the chmod does not bite; fake the permission check.
        real = os.access
        monkeypatch.setattr(
            os, "access", lambda p, m: False if Path(p) == folder and m & os.W_OK else real(p, m)
        )
    try:
        result = analyse(recording, "--json", folder / "r.json")
        assert_one_line_error(result, "read-only", str(folder))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_read_only_file_system_while_writing(
    tmp_path: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.json"
    out.write_text("earlier")

    def read_only(path: Path) -> Path:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path.parent / ".r.x1.tmp.json"))

    monkeypatch.setattr(atomic, "temp_path_for", read_only)
    line = assert_one_line_error(analyse(recording, "--json", out, "--force"), "read-only")
    assert str(out) in line
    assert out.read_text() == "earlier"


def test_an_output_that_is_the_input_is_refused_before_any_work(
    tmp_path: Path, recording: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0\0\0\x18ftypisom" + bytes(200))  # stands in for the video
    before = clip.read_bytes()
    for option in ("--json", "--csv", "--html", "--video", "--save-poses"):
        result = invoke(
            "analyze", clip, "--poses", recording, "-e", "bridge", "-q", option, clip, "--force"
        )
        assert_one_line_error(result, option, "clip.mp4", "would be overwritten")
        assert clip.read_bytes() == before  # before the fix: --json replaced it with JSON
    # The pose recording read with --poses is an input too, also through a symlink.
    link = tmp_path / "link.npz"
    link.symlink_to(recording)
    result = analyse(recording, "--save-poses", link, "--force")
    assert_one_line_error(result, "--save-poses", "--poses")
    assert PoseRecording.load(recording).fps == 30


def test_two_outputs_at_one_path_are_refused_before_any_work(
    tmp_path: Path, recording: Path
) -> None:
    same = tmp_path / "out" / "x"
    result = analyse(recording, "--json", same, "--csv", same)
    assert_one_line_error(result, "--json and --csv both write")
    assert not same.exists()  # before the fix: the JSON was written, then the CSV failed
