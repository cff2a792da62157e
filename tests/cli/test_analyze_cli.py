"""``formcheck analyze``: bad inputs fail with one line; saved poses analyse without MediaPipe."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factories import bridge_rep, profile, sequence
from formcheck.cli import app
from formcheck.pose.recording import PoseRecording

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def assert_user_error(result):
    assert result.exit_code != 0
    assert result.exit_code != 2 or "error" in result.output.lower()
    assert "error" in result.output.lower()
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)


@pytest.fixture
def recording(tmp_path) -> Path:
    f = profile(bridge_rep() * 3 + [(1.0, 125.0)], 125.0)
    frames = sequence(f, duration=f.duration)
    path = tmp_path / "rec.npz"
    PoseRecording.from_frames(frames, fps=30, model_id="test").save(path)
    return path


def test_missing_clip(tmp_path):
    result = invoke("analyze", tmp_path / "nope.mp4", "--exercise", "bridge", "-q")
    assert_user_error(result)


def test_directory_without_images(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("hi")
    result = invoke("analyze", tmp_path / "empty", "--exercise", "bridge", "-q")
    assert_user_error(result)


def test_zero_byte_video(tmp_path):
    clip = tmp_path / "zero.mp4"
    clip.write_bytes(b"")
    assert_user_error(invoke("analyze", clip, "--exercise", "bridge", "-q"))


def test_text_file_named_mp4(tmp_path):
    clip = tmp_path / "fake.mp4"
    clip.write_text("this is not a video\n" * 50)
    assert_user_error(invoke("analyze", clip, "--exercise", "bridge", "-q"))


def test_malformed_config(tmp_path, recording):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[exercises.bridge\ntop = ", encoding="utf-8")
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--config", cfg, "-q")  # fmt: skip
    assert_user_error(result)
    assert "invalid TOML" in result.output


def test_unknown_exercise_choice(recording):
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "squat")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_existing_json_refused_before_work(tmp_path, recording):
    out = tmp_path / "out.json"
    out.write_text("keep me", encoding="utf-8")
    # The clip does not even exist: the output check comes first.
    result = invoke("analyze", tmp_path / "nope.mp4", "--exercise", "bridge", "--json", out, "-q")
    assert_user_error(result)
    assert "already exists" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--json", out, "-q")  # fmt: skip
    assert_user_error(result)
    assert out.read_text(encoding="utf-8") == "keep me"


def test_bad_pose_recording(tmp_path):
    bad = tmp_path / "rec.npz"
    bad.write_bytes(b"not a zip")
    result = invoke("analyze", bad, "--poses", bad, "--exercise", "bridge", "-q")
    assert_user_error(result)


def test_analyze_saved_poses_to_json(tmp_path, recording):
    out = tmp_path / "out.json"
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--json", out)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 reps" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["exercise"] == "bridge"
    assert report["model"] == "test"
    assert report["summary"]["rep_count"] == 3
    assert len(report["reps"]) == 3
    for i, rep in enumerate(report["reps"]):
        assert rep["start_s"] <= rep["peak_s"] <= rep["end_s"]
        assert abs(rep["peak_s"] - (5.0 * i + 2.75)) <= 0.2
        assert rep["faults"] == []
    assert report["faults"] == []
    series = report["series"]
    assert len(series["t"]) == len(series["values"]["hip_angle"]) == 16 * 30 + 1
    # --force overwrites.
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--json", out, "--force", "-q")  # fmt: skip
    assert result.exit_code == 0, result.output


def test_analyze_saved_poses_auto_recognises_bridge(tmp_path, recording):
    out = tmp_path / "out.json"
    result = invoke("analyze", recording, "--poses", recording, "--json", out, "-q")
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["exercise"] == "bridge"
    assert report["exercise_confidence"] is not None
    assert report["summary"]["rep_count"] == 3


def test_analyze_with_config_records_overrides(tmp_path, recording):
    cfg = tmp_path / "p.toml"
    cfg.write_text('[exercises.bridge.faults.sagging_hips."peak.hip_angle"]\nvalue = 179.5\n',
                   encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.json"
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--config", cfg, "--json", out, "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["fault_counts"] == {"sagging_hips": 3}
    assert report["config_overrides"] == {
        "faults": {"sagging_hips": {"peak.hip_angle": {"value": 179.5}}}
    }


def test_overrides_under_an_alias_recorded_in_report(tmp_path, recording):
    cfg = tmp_path / "p.toml"
    cfg.write_text('[exercises.glute_bridge.faults.sagging_hips."peak.hip_angle"]\nvalue = 179.5\n',
                   encoding="utf-8")  # fmt: skip
    out = tmp_path / "out.json"
    result = invoke("analyze", recording, "--poses", recording, "--exercise", "bridge",
                    "--config", cfg, "--json", out, "-q")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["fault_counts"] == {"sagging_hips": 3}  # applied
    assert report["config_overrides"] == {
        "faults": {"sagging_hips": {"peak.hip_angle": {"value": 179.5}}}
    }
