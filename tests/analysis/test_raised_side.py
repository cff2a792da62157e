"""Which side is raised, each side judged against its own rest (``side_max`` signals)."""

from __future__ import annotations

import math

import pytest

from formcheck.analysis.raised_side import RaisedSide
from formcheck.exercises.schema import CountingSpec

FPS = 30.0


def run(tracker: RaisedSide, left, right, seconds: float, at_rest: bool, t0: float = 0.0):
    """Feed constant (or callable) readings for ``seconds``; the last frame's output."""
    out = (math.nan, None)
    for i in range(round(seconds * FPS)):
        t = t0 + i / FPS
        v = {"leg_left": left(t) if callable(left) else left,
             "leg_right": right(t) if callable(right) else right}  # fmt: skip
        out = tracker.update(t, v, at_rest)
    return out


def tracker() -> RaisedSide:
    # Rest samples: still for 0.3 s, within max(top - start, 2 x hysteresis) = 10.
    counting = CountingSpec(kind="reps", signal="limbs", reference="baseline", start=17.0,
                            top=24.0, hysteresis=5.0, baseline_s=0.3)  # fmt: skip
    return RaisedSide("leg", counting)


def test_before_both_rests_are_known_the_higher_reading_wins():
    value, side = run(tracker(), 113.0, 96.0, 1.0, at_rest=False)
    assert (value, side) == (113.0, "left")


def test_a_half_lift_of_the_lower_resting_side_wins_and_shows_its_whole_rise():
    # Oblique view: the far (left) leg rests at 113, the near (right) one at 96. The right
    # leg lifts half way (+30) and the left reading follows by +16: the plain higher
    # reading would name the left leg and show a rise of 16.
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0, at_rest=True)
    assert raised.offsets() == pytest.approx({"left": 17.0, "right": 0.0})
    assert run(raised, 113.0, 96.0, 0.1, at_rest=True, t0=2.0)[0] == pytest.approx(96.0)
    value, side = run(raised, 129.0, 126.0, 1.0, at_rest=False, t0=2.1)
    assert side == "right"
    assert value == pytest.approx(126.0)  # 30 above the shared rest of 96


def test_only_resting_frames_teach_the_rest_levels():
    # A clip that opens with the left leg held up: not at rest, so not learned as rest.
    raised = tracker()
    run(raised, 180.0, 96.0, 3.0, at_rest=False)
    assert raised.offsets() == {"left": 0.0, "right": 0.0}
    assert run(raised, 180.0, 96.0, 0.1, at_rest=False, t0=3.0) == (180.0, "left")


def test_moving_frames_are_not_rest_samples():
    # A leg moving steadily (60 deg/s) while "at rest" never gives a still sample.
    raised = tracker()
    run(raised, lambda t: 100.0 + 60.0 * t, 96.0, 1.5, at_rest=True)
    assert raised.offsets() == {"left": 0.0, "right": 0.0}


def test_a_hidden_side_leaves_the_other_alone_and_nothing_seen_is_nan():
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0, at_rest=True)
    assert run(raised, math.nan, 150.0, 0.1, at_rest=False, t0=2.0) == (150.0, "right")
    value, side = run(raised, math.nan, math.nan, 0.1, at_rest=False, t0=2.1)
    assert math.isnan(value) and side is None


def test_reset_forgets_the_rest_levels():
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0, at_rest=True)
    raised.reset()
    assert raised.offsets() == {"left": 0.0, "right": 0.0}
