"""`--exercise auto` on single photos and short clips: cues come from the definitions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factories import (
    kneeling_pose,
    pose_frame,
    profile,
    side_on_world,
    supine_pose,
    tabletop_pose,
)
from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import analyze_clip
from formcheck.pose.recording import PoseRecording


def photo(tmp_path: Path, xy: np.ndarray, *, face_up: bool = False) -> PoseRecording:
    """One frame, as `formcheck analyze photo.jpg` sees it (with its 3D pose)."""
    path = tmp_path / "photo.npz"
    frame = pose_frame(xy, 0.0, 0, world=side_on_world(xy, face_up=face_up))
    PoseRecording.from_frames([frame], fps=30, model_id="test").save(path)
    return PoseRecording.load(path)


@pytest.mark.parametrize(
    ("xy", "expect"),
    [
        # A held bridge: before, a photo had no movement and was taken for a pelvic tilt.
        (supine_pose(178.0), "bridge"),
        (supine_pose(135.0), "pelvic_tilt"),
        # A bird-dog at full reach: before, taken for a cat-cow.
        (tabletop_pose(leg_left_deg=178.0, arm_right_deg=170.0), "bird_dog"),
        (tabletop_pose(near="right", leg_left_deg=178.0, arm_right_deg=170.0), "bird_dog"),
        (tabletop_pose(head_height=0.15), "cat_cow"),
        (kneeling_pose(5.0), "childs_pose"),
    ],
)  # fmt: skip
def test_a_photo_is_recognised_from_its_posture_and_the_definitions_cues(tmp_path, xy, expect):
    rec = photo(tmp_path, xy, face_up=expect in ("bridge", "pelvic_tilt"))
    out = analyze_clip(rec.source, exercise="auto", config=PatientConfig(), recording=rec)
    assert out.recognition is not None
    assert out.recognition.exercise == expect, out.recognition.reason
    assert out.recognition.matched
    assert out.report.exercise_confidence and out.report.exercise_confidence > 0.3


def test_a_kneeling_body_that_is_not_folded_is_flagged_not_taken_for_childs_pose(tmp_path):
    # Kneeling upright (trunk near vertical, hips open): no child's pose.
    rec = photo(tmp_path, kneeling_pose(80.0, knee_angle_deg=60.0, arm_reach_deg=20.0))
    out = analyze_clip(rec.source, exercise="auto", config=PatientConfig(), recording=rec)
    assert out.recognition is not None and not out.recognition.matched
    assert out.report.exercise_confidence == 0.0
    assert any("does not look like any of the exercises" in w for w in out.warnings)


def rocking_on_all_fours(tmp_path: Path, head_swing: float) -> PoseRecording:
    """Four 3-s rocks on hands and knees, the hips opening 90 -> 105 deg, the head swinging
    ``head_swing`` torso lengths each way about the back line with them."""
    rock = profile([(0.5, 0.0)] + [(1.0, 1.0), (0.5, 1.0), (1.0, 0.0), (0.5, 0.0)] * 4, 0.0)
    frames = []
    for i in range(round(rock.duration * 30) + 1):
        s = rock(i / 30)
        xy = tabletop_pose(leg_left_deg=90.0 + 15.0 * s, leg_right_deg=90.0 + 15.0 * s,
                           head_height=head_swing * (2.0 * s - 1.0))  # fmt: skip
        frames.append(pose_frame(xy, i / 30, i, world=side_on_world(xy, face_up=False)))
    path = tmp_path / f"rock{head_swing}.npz"
    PoseRecording.from_frames(frames, fps=30, model_id="test").save(path)
    return PoseRecording.load(path)


@pytest.mark.parametrize(("head_swing", "expect"), [(0.02, "pelvic_tilt"), (0.12, "cat_cow")])
def test_rocking_on_all_fours_with_the_head_still_is_a_pelvic_tilt(tmp_path, head_swing, expect):
    # The pelvic tilt as some patients are taught it, on hands and knees: the hips rock and
    # the head stays with the back line (a variant in pelvic_tilt.toml); a cat-cow swings the
    # head through cat and cow. Before the variant, both were named cat-cow.
    rec = rocking_on_all_fours(tmp_path, head_swing)
    out = analyze_clip(rec.source, exercise="auto", config=PatientConfig(), recording=rec)
    assert out.recognition is not None and out.recognition.matched
    assert out.recognition.exercise == expect, out.recognition.reason
    if expect == "pelvic_tilt":
        # Its form rules are written for lying on the back: none judged on all fours.
        assert out.report.faults == []
        assert any("Form faults were not judged" in n for n in out.report.summary.notes)
