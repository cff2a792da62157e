"""``formcheck batch`` end to end: broken clips, resume after SIGKILL, the pose cache."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from batch_helpers import CLI, last_run, run_cli, write_clip

from formcheck.report.atomic import temp_path_for

pytestmark = pytest.mark.slow


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def markers(done: Path) -> list[Path]:
    """Finished-clip markers; pathlib's glob also matches hidden (temporary) files."""
    return [p for p in done.glob("*.json") if not p.name.startswith(".")]


def test_broken_clips_are_reported_and_the_rest_scored(scored, clip_folder) -> None:
    out, proc = scored
    _, good, broken = clip_folder
    assert proc.returncode == 1, proc.stderr  # some clips failed, the batch finished
    rows = {Path(r["path"]).name: r for r in read_csv(out / "clips.csv")}
    assert sorted(rows) == sorted(p.name for p in good + broken)
    for clip in good:
        row = rows[clip.name]
        assert row["status"] == "ok"
        # 60 frames; --stride auto models every 2nd for the bridge (15 a second at 30 fps).
        assert (row["rep_count"], row["judgeable"], row["frames"]) == ("0", "false", "30")
        report = json.loads((out / row["report_path"]).read_text())
        assert (report["source"]["frames"], report["source"]["model_stride"]) == (60, 2)
        # Hashed once by the coordinator and handed to the worker with the job.
        assert report["source"]["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    errors = {name: rows[name]["error"] for name in (p.name for p in broken)}
    assert all(rows[name]["status"] == "failed" for name in errors)
    assert "empty" in errors["broken_zero.mp4"]
    assert "text file" in errors["broken_text.mp4"]
    assert "truncated" in errors["broken_cut.mp4"]
    assert len(list((out / "failed").iterdir())) == 3
    jsonl = [json.loads(line) for line in (out / "clips.jsonl").read_text().splitlines()]
    assert [r["key"] for r in jsonl] == [r["key"] for r in read_csv(out / "clips.csv")]
    assert "failed" in proc.stderr and "broken_zero.mp4" in proc.stderr
    # Workers close their models before exiting: mediapipe 1.x's finaliser, left to the
    # interpreter's teardown, printed a traceback per worker.
    assert "Traceback" not in proc.stderr


def test_rescoring_with_new_thresholds_reads_the_pose_cache(scored, clip_folder, tmp_path) -> None:
    out = tmp_path / "out"
    shutil.copytree(scored[0], out)  # a warm pose cache; the shared run stays as it was
    _, good, _ = clip_folder
    config = tmp_path / "patient.toml"
    config.write_text('patient = "P7"\n[exercises.bridge.counting]\ntop = 150.0\n')
    proc = run_cli("batch", *good, "--out", out, "--workers", "2", "--config", config)
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(out / "clips.csv")
    assert [r["status"] for r in rows] == ["ok"] * 3  # a new config is a new key
    assert [r["cache_hit"] for r in rows] == ["true"] * 3  # ... but no model ran
    assert {r["patient"] for r in rows} == {"P7"}
    again = run_cli("batch", *good, "--out", out, "--workers", "2", "--config", config)
    assert again.returncode == 0
    assert last_run(out)["skipped"] == 3
    assert "skipped 3 already scored" in again.stderr


def test_manifest_missing_clip_is_a_failed_row(clip_folder, tmp_path) -> None:
    _, good, _ = clip_folder
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,patient\n{good[0]},A\n{tmp_path / 'gone.mp4'},B\n")
    out = tmp_path / "out"
    proc = run_cli("batch", manifest, "--out", out, "--workers", "1", "--exercise", "bridge")
    assert proc.returncode == 1, proc.stderr
    rows = read_csv(out / "clips.csv")
    assert [(r["patient"], r["status"]) for r in rows] == [("A", "ok"), ("B", "failed")]
    assert "clip not found" in rows[1]["error"]


def test_killed_batch_resumes_with_every_clip_once(tmp_path: Path) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    names = [write_clip(clips / f"k{i}.mp4", seed=i, seconds=2.0).name for i in range(6)]
    out = tmp_path / "out"
    args = [*CLI, "batch", str(clips), "--out", str(out), "--workers", "2", "-q"]
    proc = subprocess.Popen(
        args, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not markers(out / ".done"):
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no clip finished within 60 s"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its workers, no clean-up at all
    finally:
        proc.wait(timeout=30)
    # A kill mid-write may leave a hidden temporary file beside the markers.
    finished = len(markers(out / ".done"))
    assert 1 <= finished < len(names)
    temp_path_for(out / ".done" / "cut-short.json")  # such a file, whatever the timing
    again = run_cli("batch", clips, "--out", out, "--workers", "2")
    assert again.returncode == 0, again.stderr
    summary = last_run(out)
    assert summary["skipped"] >= finished
    assert not list(out.rglob(".*.tmp*")), "the resumed run left a killed writer's temp files"
    assert summary["skipped"] + summary["scored"] == len(names)
    rows = read_csv(out / "clips.csv")
    assert sorted(Path(r["path"]).name for r in rows) == sorted(names)  # each exactly once
    assert {r["status"] for r in rows} <= {"ok", "skipped"}
    assert len(list((out / "reports").glob("*.json"))) == len(names)
    assert not list((out / "reports").glob(".*"))  # no temporary files left visible
