"""Which side is raised, each side judged against its own rest (``side_max`` signals)."""

from __future__ import annotations

import math

import pytest

from formcheck.analysis.raised_side import RaisedSide
from formcheck.exercises.schema import CountingSpec

FPS = 30.0


def run(tracker: RaisedSide, left, right, seconds: float, t0: float = 0.0):
    """Feed constant (or callable) readings for ``seconds``; the last frame's output."""
    out = (math.nan, None)
    for i in range(round(seconds * FPS)):
        t = t0 + i / FPS
        v = {"leg_left": left(t) if callable(left) else left,
             "leg_right": right(t) if callable(right) else right}  # fmt: skip
        out = tracker.update(t, v)
    return out


def tracker() -> RaisedSide:
    # A countable lift: 24 deg. Rest samples: both legs seen, closer than that, still for
    # 0.3 s within 40% of it.
    counting = CountingSpec(kind="reps", signal="limbs", reference="baseline", top=24.0)
    return RaisedSide("leg", counting)


def test_before_both_rests_are_known_the_higher_reading_wins():
    value, side = run(tracker(), 113.0, 96.0, 0.2)  # not yet still long enough
    assert (value, side) == (113.0, "left")


def test_a_half_lift_of_the_lower_resting_side_wins_and_shows_its_whole_rise():
    # Oblique view: the far (left) leg rests at 113, the near (right) one at 96. The right
    # leg lifts half way (+30) and the left reading follows by +16: the plain higher
    # reading would name the left leg and show a rise of 16.
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0)
    assert raised.offsets() == pytest.approx({"left": 17.0, "right": 0.0})
    assert run(raised, 113.0, 96.0, 0.1, t0=2.0)[0] == pytest.approx(96.0)
    value, side = run(raised, 129.0, 126.0, 1.0, t0=2.1)
    assert side == "right"
    assert value == pytest.approx(126.0)  # 30 above the shared rest of 96


def test_a_limb_held_up_is_not_learned_as_rest():
    # A clip that opens with the left leg held up, still: a countable lift above the other
    # leg, so not rest.
    raised = tracker()
    run(raised, 180.0, 96.0, 3.0)
    assert raised.offsets() == {"left": 0.0, "right": 0.0}
    assert run(raised, 180.0, 96.0, 0.1, t0=3.0) == (180.0, "left")


def test_moving_frames_are_not_rest_samples():
    # A leg moving steadily (60 deg/s), still within a lift of the other, is no still sample.
    raised = tracker()
    run(raised, lambda t: 90.0 + 60.0 * t, 96.0, 0.45)
    assert raised.offsets() == {"left": 0.0, "right": 0.0}


def test_a_hidden_side_leaves_the_other_alone_and_nothing_seen_is_nan():
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0)
    assert run(raised, math.nan, 150.0, 0.1, t0=2.0) == (150.0, "right")
    value, side = run(raised, math.nan, math.nan, 0.1, t0=2.1)
    assert math.isnan(value) and side is None


def test_reset_forgets_the_rest_levels():
    raised = tracker()
    run(raised, 113.0, 96.0, 2.0)
    raised.reset()
    assert raised.offsets() == {"left": 0.0, "right": 0.0}
