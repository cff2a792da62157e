"""Rendered floor exercises filmed from above the mat or round from side-on: recognition
reads the body's own angles, not the picture's."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import analyze_clip
from formcheck.synth.render import render_clip

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("exercise", "seed", "azimuth", "elevation", "fault"),
    [
        ("bridge", 3, 20.0, 35.0, None),
        ("bridge", 7, 10.0, 40.0, None),
        ("lower_trunk_rotation", 8, 0.0, 35.0, None),
        ("pelvic_tilt", 9, 30.0, 15.0, None),
        ("pelvic_tilt", 5, 20.0, 35.0, None),
        ("bridge", 11, -50.0, 37.0, None),
        ("pelvic_tilt", 12, -20.0, 45.0, None),
        ("childs_pose", 15, 20.0, 35.0, "hips_off_heels"),
        ("childs_pose", 16, 22.0, 38.0, "hips_off_heels"),
    ],
)
def test_exercise_auto_names_a_floor_exercise_filmed_from_above(
    tmp_path: Path, exercise: str, seed: int, azimuth: float, elevation: float, fault: str | None
) -> None:
    # Each view misleads the picture its own way. The model's 3D frame is the camera's, so
    # from above a bridge's knee line reads 35-40 deg out of level (no trunk rotation); a
    # lying body's shoulder-hip line tilts in the picture (no bridge's held hips) and its
    # knees look low (as on all fours); a child's pose with the hips off the heels opens
    # the knees past the picture's kneeling check. The body's own 3D angles tell each one:
    # the knees against the shoulders, the hip's extension, where the arms lie or reach.
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    video = tmp_path / f"{exercise}.mp4"
    reps = 1 if exercise == "childs_pose" else 2
    render_clip(exercise, video, reps=reps, seed=seed, fps=15.0, azimuth_deg=azimuth,
                elevation_deg=elevation, fault=fault)  # fmt: skip
    report = analyze_clip(
        video,
        exercise="auto",
        config=PatientConfig(),
        estimator_factory=MediaPipePoseEstimator,
        stride=1,
    ).report
    assert report.exercise == exercise
    assert report.summary.rep_count == reps
