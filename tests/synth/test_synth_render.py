"""Renders are deterministic, and MediaPipe sees the avatar where the truth says it is.

The MediaPipe checks run the bundled full model (VIDEO mode, as the analysis does; mediapipe
1.x has no legacy ``mp.solutions``) over one short clip per exercise, rendered once per
session (see conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from formcheck.cli.app import app
from formcheck.synth import ClipSpec, plan_clip, render_clip

from .conftest import EVAL_SPECS, Detection

pytestmark = pytest.mark.slow

# The angles each exercise's analysis reads (image plane, near side).
ANALYSED = {
    "bridge": ("near_hip_angle", "near_knee_angle"),
    "pelvic_tilt": ("near_hip_angle", "near_knee_angle"),
    "cat_cow": ("near_hip_angle", "near_shoulder_angle"),
    "childs_pose": ("near_hip_angle", "near_knee_angle", "near_shoulder_angle"),
    "bird_dog": ("near_hip_angle", "near_knee_angle", "near_shoulder_angle"),
}


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    kw = {"reps": 1, "fps": 5, "width": 160, "height": 120, "seed": 9, "vary": True}
    a = render_clip("bird_dog", out_path=tmp_path / "a.mp4", **kw)
    render_clip("bird_dog", out_path=tmp_path / "b.mp4", **kw)
    assert (tmp_path / "a.mp4").read_bytes() == (tmp_path / "b.mp4").read_bytes()
    ta, tb = (tmp_path / "a.truth.json").read_text(), (tmp_path / "b.truth.json").read_text()
    assert ta == tb and a.frame_count == json.loads(ta)["frame_count"]
    other = render_clip("bird_dog", **{**kw, "seed": 10})
    assert not np.allclose(other.landmarks_2d, a.landmarks_2d)


def test_cli_writes_clip_and_truth(tmp_path: Path) -> None:
    out = tmp_path / "clip.webm"
    args = ["synth", "bridge", "--reps", "1", "--fps", "5", "--width", "160", "--height",
            "120", "--fault", "sagging_hips", "--seed", "4", "-o", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000
    doc = json.loads((tmp_path / "clip.truth.json").read_text())
    assert doc["exercise"] == "bridge" and doc["fault"] == "sagging_hips"
    assert doc["width"] == 160 and doc["faults"][0]["id"] == "sagging_hips"


def test_cli_rejects_unknown_fault(tmp_path: Path) -> None:
    args = ["synth", "bridge", "--fault", "wobbly", "-o", str(tmp_path / "x.mp4")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0 and "wobbly" in result.output


def test_frames_match_the_requested_size_and_are_lit() -> None:
    clip = plan_clip(ClipSpec("childs_pose", fps=2, hold_s=0.5, seed=1))
    frame = clip.frame(len(clip.poses) // 2)
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    assert 40 < frame.mean() < 220


@pytest.mark.parametrize("exercise", list(EVAL_SPECS))
def test_mediapipe_finds_the_person(detections: dict[str, Detection], exercise: str) -> None:
    assert detections[exercise].detection_rate >= 0.95


@pytest.mark.parametrize("exercise", list(EVAL_SPECS))
def test_near_side_joints_within_15_px(detections: dict[str, Detection], exercise: str) -> None:
    d = detections[exercise]
    limit = max(15.0, 0.1 * d.torso_px())
    for joint, err in d.joint_errors().items():
        assert np.nanmedian(err) <= limit, f"{joint}: median {np.nanmedian(err):.1f} px"


@pytest.mark.parametrize("exercise", list(EVAL_SPECS))
def test_analysed_angles_within_5_degrees(detections: dict[str, Detection], exercise: str) -> None:
    errors = detections[exercise].angle_errors()
    for name in ANALYSED[exercise]:
        assert np.nanmedian(errors[name]) <= 5.0, f"{name}: {np.nanmedian(errors[name]):.1f} deg"


def test_cli_keeps_an_existing_clip_without_force(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    out.write_bytes(b"a recording of a patient")  # before: silently replaced by the render
    args = ["synth", "bridge", "--reps", "1", "--fps", "5", "--width", "160", "--height",
            "120", "-o", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1 and "already exists; use --force" in result.output
    assert out.read_bytes() == b"a recording of a patient"
    assert not (tmp_path / "clip.truth.json").exists()
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    assert out.stat().st_size > 1000
