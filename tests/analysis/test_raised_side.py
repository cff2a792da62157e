"""Which side is raised, each side judged against its own rest (``side_max`` signals)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcheck.analysis.raised_side import RaisedSide, raised_in_hindsight, rests_in_hindsight
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


# -- in hindsight, over a whole recorded clip ---------------------------------------------

LIFT = 24.0


def clip(segments: list[tuple[float, float, int]], noise: float = 1.0) -> tuple[np.ndarray, ...]:
    """Left and right readings at 10 fps from (left, right, frames) segments, with jitter."""
    rng = np.random.default_rng(0)
    left = np.concatenate([np.full(n, lv) for lv, _, n in segments])
    right = np.concatenate([np.full(n, rv) for _, rv, n in segments])
    return left + rng.normal(0, noise, left.size), right + rng.normal(0, noise, right.size)


def test_rests_further_apart_than_a_lift_are_learned_from_the_whole_clip():
    # 57 deg off side-on: the near (left) leg rests at 78, the far one at 113. Its lift reads
    # 145, and the resting right leg's reading follows it to 130 (the pelvis shifts). The live
    # rule never learns these rests (they are more than a lift apart), so the right leg's
    # resting 113 hid most of the left's lift.
    left, right = clip([(78, 113, 40), (80, 185, 30), (78, 113, 40), (145, 130, 30), (78, 113, 40)])
    rests = rests_in_hindsight(left, right, LIFT, np.ones(left.size, bool))
    assert rests == pytest.approx({"left": 78.0, "right": 113.0}, abs=1.0)
    value, left_won = raised_in_hindsight(left, right, rests)
    assert np.median(value[:40]) == pytest.approx(78.0, abs=1.0)  # both at rest: one level
    assert np.median(value[110:140]) == pytest.approx(145.0, abs=1.5)  # the left's whole lift
    assert left_won[110:140].all() and not left_won[40:70].any()


def test_a_clip_that_opens_with_a_leg_held_up_learns_the_rest_after_it():
    left, right = clip([(180, 96, 30), (96, 96, 60), (96, 175, 30), (96, 96, 30)])
    rests = rests_in_hindsight(left, right, LIFT, np.ones(left.size, bool))
    assert rests == pytest.approx({"left": 96.0, "right": 96.0}, abs=1.0)


def test_no_rest_of_both_seen_leaves_the_live_signal():
    # The far leg is seen only while the near one lifts (its readings there are the model's
    # guess, spread wide): no frame shows both legs resting.
    left, right = clip(
        [(75, math.nan, 40), (172, math.nan, 30), (75, math.nan, 40), (172, math.nan, 30)]
    )
    lifted = left > 120
    right[lifted] = np.random.default_rng(1).uniform(40.0, 160.0, lifted.sum())
    assert rests_in_hindsight(left, right, LIFT, np.ones(left.size, bool)) is None
    left, right = clip([(75, math.nan, 100)])
    assert rests_in_hindsight(left, right, LIFT, np.ones(left.size, bool)) is None
