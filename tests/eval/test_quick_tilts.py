"""Rendered pelvic tilts done briskly, tilt and release with no hold: a set, counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.eval.labels import load_truth
from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import analyze_clip
from formcheck.pose.recording import PoseRecording
from formcheck.synth.groundtruth import truth_path
from formcheck.synth.render import render_clip
from variations import rested

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("seed", "azimuth", "elevation"), [(3, 15.0, 10.0), (7, 45.0, 15.0)])
def test_a_brisk_set_of_tilts_counts_each_tilt(
    tmp_path: Path, seed: int, azimuth: float, elevation: float
) -> None:
    # Six tilts, each up in half a second and straight back down, a tilt every 1.5 s: none
    # is held the second a tilt must be held to count alone (a fidget or a sigh is that
    # short), and the clip read "cannot judge". They keep time and size, well clear of the
    # landmarks' noise: a set, each tilt counted (and flagged as held too short).
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    video = tmp_path / "tilts.mp4"
    render_clip("pelvic_tilt", video, reps=6, seed=seed, fps=15.0, azimuth_deg=azimuth,
                elevation_deg=elevation, hold_s=0.0, tempo=2.0)  # fmt: skip
    label = load_truth(truth_path(video))
    poses = tmp_path / "tilts.npz"
    analyze_clip(video, exercise="pelvic_tilt", config=PatientConfig(),
                 estimator_factory=MediaPipePoseEstimator, pose_out=poses)  # fmt: skip
    # A rendered set begins 0.4 s in; a patient lies still for a while first, and after.
    reps = label.reps
    between = (reps[1].end_s + 0.1, reps[2].start_s - 0.1)
    recording = rested(PoseRecording.load(poses), 2.0, between)
    report = analyze_clip(
        video, exercise="pelvic_tilt", config=PatientConfig(), recording=recording
    ).report
    assert report.summary.judgeable
    assert report.summary.rep_count == label.count == 6
    starts = [r.start_s - 2.0 for r in report.reps]
    assert starts == pytest.approx([r.start_s for r in reps], abs=0.5)
    assert all("hold_too_short" in r.faults for r in report.reps)
