"""The side-on view gate and the starting-position check, on hand-built glute bridges.

A lying body filmed side-on shows its shoulders and hips nearly edge-on; turned
towards the camera, or filmed from high above, the far shoulder and hip move away
from the near ones across the trunk. Here the far side is moved by a set number of
pixels across the 150-px trunk, which sets the width ratio the gate reads.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from factories import analyze, bridge_rep, profile, sequence, supine_pose, visibility
from formcheck.exercises.loader import builtin
from formcheck.landmarks import SIDED_PARTS, Landmark, Side
from formcheck.signals.geometry import joint_angle
from formcheck.signals.view import check_frame

REST = 125.0


def widened(frames, across_px, after_s=0.0):
    """Move the far (right) side ``across_px`` up the picture from ``after_s`` on."""
    far = [Landmark.sided(part, Side.RIGHT) for part in SIDED_PARTS]
    out = []
    for frame in frames:
        if frame.timestamp_s >= after_s:
            xy = frame.xy.copy()
            xy[far] += np.array([0.0, -across_px])
            frame = dataclasses.replace(frame, xy=xy)
        out.append(frame)
    return out


def bridges(n):
    f = profile(bridge_rep() * n + [(1.0, REST)], REST)
    return sequence(f, duration=f.duration)


def test_a_wide_view_is_not_judged_and_says_how_to_film():
    # 90 px across a 150-px trunk: a width ratio of ~0.6, well past the 0.45 limit.
    result = analyze("bridge", widened(bridges(3), 90.0))
    assert result.reps == []
    assert result.view == "front_or_oblique"
    assert not result.judgeable
    assert result.unjudged, "the whole clip should be reported as unjudged"
    assert all(span.reason.startswith("Turn side-on to the camera") for span in result.unjudged)
    covered = sum(span.end_s - span.start_s for span in result.unjudged)
    assert covered > 0.9 * 16.0
    note = next(n for n in result.notes if "does not look at the side" in n)
    assert "camera low" in note


def test_a_view_under_the_limit_is_judged():
    # 45 px: a width ratio of ~0.3, as 30 deg off side-on reads in the rendered suite.
    result = analyze("bridge", widened(bridges(3), 45.0))
    assert len(result.reps) == 3
    assert result.view == "side"
    assert result.unjudged == []
    assert not any("does not look at the side" in n for n in result.notes)


def test_turning_away_mid_clip_keeps_the_reps_already_seen():
    # Side-on for two reps (10 s), then turned for two more: the first two count,
    # the rest is reported as unjudged from the turn on.
    result = analyze("bridge", widened(bridges(4), 90.0, after_s=10.5))
    assert len(result.reps) == 2
    assert all(rep.end_s <= 10.5 for rep in result.reps)
    assert [span.reason.split(" and ")[0] for span in result.unjudged] == [
        "Turn side-on to the camera"
    ]
    assert abs(result.unjudged[0].start_s - 10.5) < 0.1


def test_turning_away_mid_recording_is_not_counted_in_hindsight():
    # A recorded clip is judged side-on as a whole, and frames refused for the view between
    # side-on frames count as that view (the pose changes the widths the gate reads). A
    # patient turned away for the rest of the clip is not that: those reps are not counted.
    from formcheck.analysis.analyzer import ExerciseAnalyzer

    analyzer = ExerciseAnalyzer(builtin("bridge"))
    for frame in widened(bridges(4), 90.0, after_s=15.5):
        analyzer.step(frame)
    result = analyzer.finish(hindsight=True)
    assert result.view == "side"
    assert len(result.reps) == 3
    assert all(rep.end_s <= 15.5 for rep in result.reps)
    assert [span.reason.split(" and ")[0] for span in result.unjudged] == [
        "Turn side-on to the camera"
    ]


def _legs(xy, knee_rise, knee_angle_deg):
    """Re-place both legs: the knee ``knee_rise`` torso lengths above the hip in the
    picture, 75 px towards the feet, the shin (60 px) at ``knee_angle_deg`` from the
    thigh, running down towards the floor."""
    xy = xy.copy()
    torso = 150.0  # supine_pose's shoulder-hip length at scale 1
    a = np.radians(knee_angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    for side in Side:
        hip = xy[Landmark.sided("hip", side)]
        knee = hip + np.array([75.0, -knee_rise * torso])
        to_hip = (hip - knee) / np.linalg.norm(hip - knee)
        # Turning knee->hip by the knee angle one way or the other: take the lower shin.
        ankle = max((knee + 60.0 * (r @ to_hip) for r in (rot, rot.T)), key=lambda p: p[1])
        xy[Landmark.sided("knee", side)] = knee
        for part in ("ankle", "heel", "foot_index"):
            xy[Landmark.sided(part, side)] = ankle
    return xy


def _starting_position(xy) -> bool:
    spec = builtin("bridge")
    return check_frame(xy, visibility(), Side.LEFT, (640, 480), spec.view, "supine").in_position


def test_bent_knees_flattened_by_a_high_camera_are_the_starting_position():
    # Filmed from 45 deg above the mat the knees stand only ~0.08 torso lengths above the
    # hips in the picture, while the knee still reads ~108 deg (rendered suite, "high").
    lying = supine_pose(REST)
    assert _starting_position(lying)
    high = _legs(lying, knee_rise=0.06, knee_angle_deg=108.0)
    assert joint_angle(*(high[Landmark.sided(p, Side.LEFT)] for p in ("hip", "knee", "ankle"))) \
        == pytest.approx(108.0, abs=0.5)  # fmt: skip
    assert _starting_position(high)
    # Legs out straight along the mat are not: the straight hip would read as a bridge's top.
    assert not _starting_position(_legs(lying, knee_rise=0.0, knee_angle_deg=178.0))
    # Nor is sitting up with the knees bent.
    assert not _starting_position(supine_pose(REST, standing=1.0, hip_height=0.0))
