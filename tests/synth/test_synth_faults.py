"""Injected faults show in the ground truth where injected, and only there."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from formcheck.landmarks import Landmark
from formcheck.synth import ClipSpec, Truth, plan_clip

pytestmark = pytest.mark.slow


@cache
def truth(exercise: str, fault: str | None = None, **kw: object) -> Truth:
    spec = ClipSpec(exercise, fault=fault, fps=10, seed=3, **kw)  # type: ignore[arg-type]
    return plan_clip(spec).truth


def at(t: Truth, seconds: float) -> int:
    return min(round(seconds * t.fps), t.frame_count - 1)


def during(t: Truth, rep: int) -> slice:
    r = t.reps[rep - 1]
    return slice(at(t, r.start_s), at(t, r.end_s) + 1)


def peak(t: Truth, rep: int) -> int:
    return at(t, t.reps[rep - 1].peak_s)


def test_bridge_sagging_hips_stop_short_of_straight_only_in_faulty_reps() -> None:
    t = truth("bridge", "sagging_hips", reps=3, fault_reps=(2, 3))
    hip = t.angles["near_hip_angle"]
    assert hip[peak(t, 1)] > 170.0
    for rep in (2, 3):
        assert hip[peak(t, rep)] <= 160.0  # about half-way up (155), well short of 180
        assert hip[peak(t, rep)] < hip[peak(t, 1)] - 20.0
    assert [f.id for f in t.faults] == ["sagging_hips", "sagging_hips"]
    assert t.faults[0].start_s == pytest.approx(t.reps[1].start_s)


def test_bridge_over_arching_pushes_the_hips_past_the_line() -> None:
    clean = truth("bridge", reps=1).angles["near_hip_angle_signed"]
    t = truth("bridge", "over_arching", reps=1)
    arched = t.angles["near_hip_angle_signed"][peak(t, 1)]
    assert 172.0 < clean.max() < 188.0
    assert arched >= 193.0


def test_pelvic_tilt_keeps_the_buttocks_down_unless_they_lift() -> None:
    def hip_rise(t: Truth) -> float:
        z = t.landmarks_3d[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 2].mean(axis=1)
        return float(z[peak(t, 1)] - z[0])

    clean = truth("pelvic_tilt", reps=1, hold_s=1.0)
    lifting = truth("pelvic_tilt", "buttocks_lifting", reps=1, hold_s=1.0)
    assert abs(hip_rise(clean)) < 0.02
    assert hip_rise(lifting) > 0.05
    # The tilt itself is visible as a small hip-angle change.
    hip = clean.angles["near_hip_angle"]
    assert 1.0 < abs(hip[peak(clean, 1)] - hip[0]) < 8.0


def test_pelvic_tilt_short_holds() -> None:
    t = truth("pelvic_tilt", "hold_too_short", reps=2, hold_s=6.0, fault_reps=(2,))
    held = [r.hold_end_s - r.hold_start_s for r in t.reps]  # type: ignore[operator]
    assert held[0] == pytest.approx(6.0) and held[1] <= 2.0
    assert t.reps[1].faults == ("hold_too_short",) and t.reps[0].faults == ()


def test_cat_cow_small_range() -> None:
    def nose_range(t: Truth, rep: int) -> float:
        z = t.landmarks_3d[during(t, rep), Landmark.NOSE, 2]
        return float(z.max() - z.min())

    t = truth("cat_cow", "small_range", reps=2, fault_reps=(2,))
    assert nose_range(t, 2) < 0.5 * nose_range(t, 1)
    assert [r.kind for r in t.reps] == ["cycle", "cycle"]


def test_childs_pose_hips_off_heels_and_arms_bent() -> None:
    def hip_height(t: Truth) -> float:
        return float(t.landmarks_3d[peak(t, 1), [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 2].mean())

    clean = truth("childs_pose", hold_s=1.0)
    high = truth("childs_pose", "hips_off_heels", hold_s=1.0)
    bent = truth("childs_pose", "arms_bent", hold_s=1.0)
    assert hip_height(high) > hip_height(clean) + 0.1
    # Hips sit on the heels in the clean pose.
    p = clean.landmarks_3d[peak(clean, 1)]
    assert np.linalg.norm(p[Landmark.LEFT_HIP] - p[Landmark.LEFT_HEEL]) < 0.2
    assert clean.angles["near_elbow_angle"][peak(clean, 1)] > 160.0
    assert bent.angles["near_elbow_angle"][peak(bent, 1)] < 130.0
    assert clean.reps[0].kind == "hold" and len(clean.reps) == 1


def test_bird_dog_sides_alternate_and_clean_reps_are_level() -> None:
    t = truth("bird_dog", reps=2, hold_s=0.5)
    assert [r.side for r in t.reps] == ["left", "right"]
    ankles = (
        (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
        (Landmark.RIGHT_ANKLE, Landmark.LEFT_ANKLE),
    )
    for rep, (leg, other) in zip((1, 2), ankles, strict=True):
        p = t.landmarks_3d[peak(t, rep)]
        assert p[leg, 2] > p[other, 2] + 0.3  # the rep's leg is the raised one
        assert abs(p[Landmark.LEFT_HIP, 2] - p[Landmark.RIGHT_HIP, 2]) < 0.03


def test_bird_dog_trunk_rotation_hikes_the_raised_legs_hip() -> None:
    t = truth("bird_dog", "trunk_rotation", reps=2, hold_s=0.5)
    for rep, (up, down) in (
        (1, (Landmark.LEFT_HIP, Landmark.RIGHT_HIP)),
        (2, (Landmark.RIGHT_HIP, Landmark.LEFT_HIP)),
    ):
        p = t.landmarks_3d[peak(t, rep)]
        assert p[up, 2] - p[down, 2] > 0.06
        # Supports stay on the floor: the lower knee and a hand stay near z = 0.
        assert min(p[Landmark.LEFT_KNEE, 2], p[Landmark.RIGHT_KNEE, 2]) < 0.1


def test_bird_dog_same_side_raises_arm_and_leg_of_one_side() -> None:
    t = truth("bird_dog", "same_side", reps=1, hold_s=0.5)
    p = t.landmarks_3d[peak(t, 1)]
    assert t.reps[0].side == "left"
    assert p[Landmark.LEFT_WRIST, 2] > p[Landmark.RIGHT_WRIST, 2] + 0.2


def test_bird_dog_limb_not_extended() -> None:
    clean = truth("bird_dog", reps=1, hold_s=0.5)
    bent = truth("bird_dog", "limb_not_extended", reps=1, hold_s=0.5)

    def knee(t: Truth) -> float:
        return float(t.angles["left_knee_angle"][peak(t, 1)])

    def arm(t: Truth) -> float:
        return float(t.angles["right_shoulder_angle"][peak(t, 1)])

    assert knee(clean) > 160.0 and knee(bent) < 130.0
    assert arm(clean) > 160.0 and arm(bent) < 145.0
