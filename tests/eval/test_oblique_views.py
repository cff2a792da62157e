"""Rendered clips filmed far off side-on: counted in the body's own plane from the 3D pose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from formcheck.eval.labels import load_truth
from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import analyze_clip
from formcheck.report.model import SessionReport
from formcheck.synth.groundtruth import truth_path
from formcheck.synth.render import render_clip

pytestmark = pytest.mark.slow


def _analyse(video: Path, exercise: str) -> SessionReport:
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    return analyze_clip(
        video,
        exercise=exercise,
        config=PatientConfig(),
        estimator_factory=MediaPipePoseEstimator,
        stride=1,
    ).report


@pytest.mark.parametrize(
    ("exercise", "seed", "azimuth", "elevation"),
    [
        ("bird_dog", 7, -55.0, 10.0),
        ("bird_dog", 8, 55.0, 20.0),
        ("bird_dog", 11, -52.0, 20.0),
        ("cat_cow", 12, 54.0, 30.0),
        ("cat_cow", 15, -50.0, 8.0),
    ],
)
def test_on_all_fours_far_off_side_on_is_counted_in_3d(
    tmp_path: Path, exercise: str, seed: int, azimuth: float, elevation: float
) -> None:
    # The picture cannot show the movement from here (the view gate refused these), but
    # the body's own plane can: the bird-dog's raised leg angle, the cat-cow's head against
    # the back line. Each rep counts, faults are not judged, and the report says why.
    video = tmp_path / f"{exercise}.mp4"
    render_clip(exercise, video, reps=2, seed=seed, fps=15.0, azimuth_deg=azimuth,
                elevation_deg=elevation)  # fmt: skip
    label = load_truth(truth_path(video))
    report = _analyse(video, exercise)
    assert report.view == "front_or_oblique"
    assert report.summary.judgeable
    assert report.summary.rep_count == label.count == 2
    assert any("counted from the 3D pose" in n for n in report.summary.notes)


def test_bird_dog_far_off_side_on_names_each_raised_leg(tmp_path: Path) -> None:
    # 57 deg off side-on the two legs on the floor read 77 and 110 deg in the picture, more
    # than a lift apart, so the live rule never learned their rests: the far leg's higher
    # resting reading won every frame, every rep was named "right", and the near leg's rep
    # read as the same-side arm reaching. The whole clip shows where both legs rest.
    video = tmp_path / "bird_dog.mp4"
    render_clip("bird_dog", video, reps=3, seed=50030, fps=15.0, azimuth_deg=57.4,
                elevation_deg=13.0)  # fmt: skip
    truth = json.loads(truth_path(video).read_text())
    sides = [r["side"] for r in truth["reps"] if r["index"] > 0]
    report = _analyse(video, "bird_dog")
    assert [r.side for r in report.reps] == sides == ["left", "right", "left"]
    assert "same_side" not in {f.id for f in report.faults}


def test_bridge_filmed_from_above_and_round_counts_without_the_pictures_posture_check(
    tmp_path: Path,
) -> None:
    # 52 deg off side-on and 45 up, the picture never shows the lying body as the posture
    # check knows it (knees up, trunk level), so no frame passed it and the clip read 0
    # reps with nothing said. Counted in 3D, the body's frames count from the first.
    video = tmp_path / "bridge.mp4"
    render_clip("bridge", video, reps=2, seed=5, fps=15.0, azimuth_deg=52.0, elevation_deg=45.0)
    report = _analyse(video, "bridge")
    assert report.view == "front_or_oblique"
    assert report.summary.rep_count == load_truth(truth_path(video)).count == 2
    assert any("starting position could not be checked" in n for n in report.summary.notes)


def test_pelvic_tilt_filmed_obliquely_is_counted_from_the_picture(tmp_path: Path) -> None:
    # 48 deg off side-on and 30 up, the view gate refused every frame ("cannot judge"). The
    # tilt still moves the picture's hip and knee angles and the knee's slide, each shrunk,
    # stretched or reversed by the view: the clip shows which way each moves, and a tilt is
    # measured from the patient's own rest, so it counts; the angles judge no fault here.
    video = tmp_path / "tilt.mp4"
    render_clip("pelvic_tilt", video, reps=2, seed=6, fps=15.0, azimuth_deg=-48.0,
                elevation_deg=30.0)  # fmt: skip
    report = _analyse(video, "pelvic_tilt")
    assert report.view == "front_or_oblique"
    assert report.summary.judgeable
    assert report.summary.rep_count == load_truth(truth_path(video)).count == 2
    assert any("counted from the picture" in n for n in report.summary.notes)
    assert not report.faults


def test_pelvic_tilt_filmed_from_the_feet_is_declined(tmp_path: Path) -> None:
    # 85 deg off side-on the body's plane is seen edge-on: the picture cannot show a tilt of a
    # few degrees, so the clip is declined rather than counted from the landmarks' noise.
    video = tmp_path / "tilt.mp4"
    render_clip("pelvic_tilt", video, reps=2, seed=4, fps=15.0, azimuth_deg=85.0,
                elevation_deg=10.0)  # fmt: skip
    report = _analyse(video, "pelvic_tilt")
    assert report.view == "front_or_oblique"
    assert not report.summary.judgeable
    assert report.summary.rep_count == 0
