"""Batch usage: one row per input path, and --out that is a file is bad usage.

The clips have nobody in them and their pose cache is made by the test, so no
worker loads the model.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from batch_helpers import cache_nobody, last_run, run_cli, write_clip
from test_batch_run import read_csv

from formcheck.batch.cache import CACHE_DIR


def test_two_names_for_one_content_get_a_row_each_from_one_scoring(tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    original = write_clip(clips / "a.mp4", seed=1, seconds=0.5)
    shutil.copy(original, clips / "a_copy.mp4")  # same bytes, another name
    (clips / "a_link.mp4").symlink_to(original)  # one file, two names
    other = write_clip(clips / "b.mp4", seed=2, seconds=0.5)
    out = tmp_path / "out"
    cache_nobody([original, other], out)
    proc = run_cli("batch", clips, "--out", out, "--workers", "1", "-e", "bridge", "-q")
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(out / "clips.csv")
    names = [Path(r["path"]).name for r in rows]
    assert names == ["a.mp4", "a_copy.mp4", "a_link.mp4", "b.mp4"]  # before: a.mp4, b.mp4
    a_rows = [r for r in rows if r["path"].endswith(("a.mp4", "a_copy.mp4", "a_link.mp4"))]
    assert len({r["key"] for r in a_rows}) == 1 and len({r["report_path"] for r in a_rows}) == 1
    assert len(list((out / "reports").glob("*.json"))) == 2  # scored once, not recomputed
    summary = last_run(out)
    assert summary["clips"] == 4 and summary["scored"] == 4 and "4 clips" in proc.stdout
    again = run_cli("batch", clips, "--out", out, "--workers", "1", "-e", "bridge", "-q")
    assert [Path(r["path"]).name for r in read_csv(out / "clips.csv")] == names
    assert last_run(out)["skipped"] == 4, again.stderr


def test_out_naming_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    clip = write_clip(tmp_path / "a.mp4", seed=1, seconds=0.2)
    existing = tmp_path / "results.txt"
    existing.write_text("keep me\n")
    for out in (existing, existing / "sub"):
        proc = run_cli("batch", clip, "--out", out)
        assert proc.returncode == 2, proc.stderr  # before: 1, with a raw errno line
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: --out ")
        assert "is a file, not a folder" in proc.stderr
    assert existing.read_text() == "keep me\n"
    assert not (tmp_path / CACHE_DIR).exists()
