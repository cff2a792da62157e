"""A clip too short to hold one rep is "cannot judge", not a confident "0 reps"."""

from __future__ import annotations

from pathlib import Path

import pytest
from robust_helpers import assert_ok, invoke, read_json

from factories import bridge_rep, profile, sequence
from formcheck.pose.recording import PoseRecording


def recording(tmp_path: Path, seconds: float) -> Path:
    """The opening of a bridge session (lying at rest), ``seconds`` long, at 30 fps."""
    f = profile(bridge_rep() * 2, 125.0)
    frames = [p for p in sequence(f, duration=f.duration) if p.timestamp_s <= seconds + 1e-9]
    path = tmp_path / f"rec{seconds}.npz"
    PoseRecording.from_frames(frames, fps=30, model_id="test").save(path)
    return path


def analyse(tmp_path: Path, seconds: float) -> dict:
    rec = recording(tmp_path, seconds)
    out = tmp_path / f"r{seconds}.json"
    clip = rec.with_suffix(".mp4")  # not there: no frames are read
    result = invoke("analyze", clip, "--poses", rec, "-e", "bridge", "--json", out)
    assert_ok(result)
    return read_json(out) | {"stdout": result.stdout}


def test_a_four_frame_clip_cannot_be_judged(tmp_path: Path) -> None:
    report = analyse(tmp_path, 0.1)  # 4 frames: 0.13 s of video, 0.1 s between first and last
    s = report["summary"]
    assert report["source"]["frames"] == 4
    assert s["rep_count"] == 0
    assert s["judgeable"] is False and s["confidence"] == 0.0  # before: judged, confidence 1.0
    note = next(n for n in s["notes"] if "too short" in n)
    assert "0.10 s long (4 frames)" in note and "at least 0.5 s" in note  # bridge.toml min_rep_s
    assert s["prescription_met"] is None
    assert "Could not judge this clip." in report["stdout"]


@pytest.mark.parametrize("seconds", [0.6, 0.9])
def test_a_clip_long_enough_for_a_rep_is_judged(tmp_path: Path, seconds: float) -> None:
    # At rest the whole time (the first rep lifts at 1 s): "0 reps" is a judgement here.
    s = analyse(tmp_path, seconds)["summary"]
    assert s["judgeable"] is True and not any("too short" in n for n in s["notes"])


def test_one_rep_is_said_in_the_singular(tmp_path: Path) -> None:
    f = profile([*bridge_rep(), (1.0, 125.0)], 125.0)
    rec = tmp_path / "one.npz"
    PoseRecording.from_frames(sequence(f, duration=f.duration), fps=30, model_id="t").save(rec)
    result = invoke("analyze", rec.with_suffix(".mp4"), "--poses", rec, "-e", "bridge")
    assert_ok(result)
    assert "1 rep counted" in result.stdout and "1 reps" not in result.stdout
