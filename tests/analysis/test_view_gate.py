"""The side-on view gate, on hand-built glute bridges seen wider than side-on.

A lying body filmed side-on shows its shoulders and hips nearly edge-on; turned
towards the camera, or filmed from high above, the far shoulder and hip move away
from the near ones across the trunk. Here the far side is moved by a set number of
pixels across the 150-px trunk, which sets the width ratio the gate reads.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from factories import analyze, bridge_rep, profile, sequence
from formcheck.landmarks import SIDED_PARTS, Landmark, Side

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
