"""Per-rep metrics: hold statistics come from the rep's final top plateau."""

from __future__ import annotations

import math

import pytest

from formcheck.analysis.metrics import RepAccumulator
from formcheck.analysis.segment import RepTiming


def test_hold_stats_leave_out_the_lift_even_though_it_led_at_the_time():
    # The counting value rises 0 -> 100 over 1 s (past the target from 30), then holds
    # at 100 for 2 s. While it rises every frame is the highest so far; only the last
    # 15% of the rise (from 85) is the plateau. A far arm is seen on the way up only
    # (reading low, as the model guesses a limb it has lost) and then is out of view.
    acc = RepAccumulator()
    timing = RepTiming(start_s=0.0, start_u=0.0)
    ts = [i / 30 for i in range(91)]
    for t in ts:
        u = min(100.0, 100.0 * t)
        timing.trace.append((t, u))
        arm = 60.0 if t < 0.8 else math.nan
        acc.add({"u": u, "arm": arm}, is_peak=False, top_u=u if u >= 30.0 else None)
    m = acc.metrics(timing, ts[-1], plateau=0.85)
    assert math.isnan(m["hold_max.arm"])  # not judged: never seen on the plateau
    assert m["max.arm"] == 60.0  # still part of the whole rep
    assert m["hold_mean.u"] == pytest.approx(99.7, abs=0.5)
    assert m["hold_s"] == pytest.approx(3.0 - 0.85, abs=0.05)


def _glimpsed_at_the_top(min_hold_seen: float) -> dict[str, float]:
    # A 2-s hold at 100; the far arm is seen on its first 0.3 s (reading low, the model
    # guessing a limb it is losing) and then hidden behind the head.
    acc = RepAccumulator(min_hold_seen)
    timing = RepTiming(start_s=0.0, start_u=0.0)
    for i in range(60):
        timing.trace.append((i / 30, 100.0))
        arm = 80.0 if i < 9 else math.nan
        acc.add({"u": 100.0, "arm": arm}, is_peak=i == 0, top_u=100.0)
    return acc.metrics(timing, 2.0, plateau=0.85)


def test_a_signal_glimpsed_on_part_of_the_hold_is_not_judged_when_the_exercise_says_so():
    strict = _glimpsed_at_the_top(min_hold_seen=0.5)
    assert math.isnan(strict["hold_max.arm"]) and math.isnan(strict["hold_mean.arm"])
    assert strict["max.arm"] == 80.0  # still part of the whole rep
    assert strict["hold_max.u"] == 100.0  # seen throughout
    assert _glimpsed_at_the_top(min_hold_seen=0.0)["hold_max.arm"] == 80.0
    assert _glimpsed_at_the_top(min_hold_seen=0.15)["hold_max.arm"] == 80.0  # 9 of 60 seen


def test_holds_without_a_plateau_use_the_frames_marked_in_hold():
    acc = RepAccumulator()
    timing = RepTiming(start_s=0.0, start_u=0.0)
    for i, v in enumerate([1.0, 5.0, 9.0, 9.0]):
        acc.add({"x": v}, is_peak=False, in_hold=i >= 2)
    m = acc.metrics(timing, 1.0, plateau=None)
    assert (m["hold_mean.x"], m["hold_max.x"], m["mean.x"]) == (9.0, 9.0, 6.0)


def test_holds_without_a_plateau_need_the_signal_seen_on_enough_hold_frames():
    acc = RepAccumulator(min_hold_seen=0.5)
    timing = RepTiming(start_s=0.0, start_u=0.0)
    for i, v in enumerate([1.0, 5.0, 9.0, math.nan, math.nan, math.nan]):
        acc.add({"x": v, "y": 2.0}, is_peak=False, in_hold=i >= 2)
    m = acc.metrics(timing, 1.0, plateau=None)
    assert math.isnan(m["hold_max.x"])  # seen on 1 of 4 hold frames
    assert m["hold_max.y"] == 2.0


@pytest.mark.parametrize("min_hold_seen", [0.0, 0.5])
def test_reading_the_metrics_every_frame_gives_what_one_reading_at_the_end_gives(
    min_hold_seen: float,
):
    # Live cues read the metrics on every frame; the plateau statistics are kept between
    # readings and redone when the peak rises, which must not change the result.
    rng = __import__("numpy").random.default_rng(3)
    us = [*range(0, 100, 7), *(95.0 + 5.0 * rng.random(60)), *range(90, 0, -9)]
    live, once = RepAccumulator(min_hold_seen), RepAccumulator(min_hold_seen)
    timing = RepTiming(start_s=0.0, start_u=0.0)
    for i, u in enumerate(us):
        x = float(rng.normal())
        signals = {"u": float(u), "x": x if x > -0.3 else math.nan}  # x is missing at times
        top = float(u) if u >= 30 else None
        for acc in (live, once):
            acc.add(signals, is_peak=False, top_u=top)
        timing.trace.append((i / 30, float(u)))
        live.metrics(timing, i / 30)
    end = len(us) / 30
    assert live.metrics(timing, end) == pytest.approx(once.metrics(timing, end), nan_ok=True)


def test_the_plateau_is_set_by_the_level_held_not_by_a_few_frame_jump():
    # A 2-s hold at 100 ends with a 3-frame jump to 130 (the model handing a limb from
    # one side to the other). Measured from 130, a plateau 15% below it would hold
    # only the jump; measured from the level held, the hold is the 2 s.
    acc = RepAccumulator()
    timing = RepTiming(start_s=0.0, start_u=0.0)
    us = [100.0] * 60 + [130.0, 120.0, 110.0]
    for i, u in enumerate(us):
        t = 0.5 + i / 30
        timing.trace.append((t, u))
        acc.add({"u": u}, is_peak=False, top_u=u, t=t)
    m = acc.metrics(timing, 3.0, plateau=0.85)
    assert m["hold_s"] == pytest.approx(2.1, abs=0.05)
    assert m["hold_max.u"] == 130.0  # the jump is still part of the plateau
    # Without times (no stretch can be measured) the highest frame sets the plateau.
    bare = RepAccumulator()
    for u in us:
        bare.add({"u": u}, is_peak=False, top_u=u)
    assert bare.metrics(timing, 3.0, plateau=0.85)["hold_s"] < 0.1


def test_metrics_without_timings_are_the_same_less_the_timings():
    # The live cues read the metrics every frame without the timings (they walk the rep).
    acc = RepAccumulator()
    timing = RepTiming(start_s=0.0, start_u=0.0)
    for i, u in enumerate([10.0, 60.0, 100.0, 100.0, 98.0, 100.0, 50.0]):
        t = 0.2 * i
        timing.trace.append((t, u))
        acc.add({"u": u}, is_peak=u == 100.0 and i == 2, top_u=u if u >= 90 else None, t=t)
    full = acc.metrics(timing, 1.4)
    bare = acc.metrics(timing, 1.4, timings=False)
    timing_keys = {"lift_s", "hold_s", "lower_s", "duration_s"}
    assert timing_keys <= set(full) and not timing_keys & set(bare)
    rest = {k: v for k, v in full.items() if k not in timing_keys}
    assert bare == pytest.approx(rest, nan_ok=True)
