"""Live counting driven directly with a signal (no landmarks).

Reps, holds and cycles count live with the segmentation a recorded clip gets (the
strategy's), on the signal seen so far. The decisive property: at the end
of a session, live has counted what the recorded clip's segmentation counts.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from formcheck.analysis.segment import Blank
from formcheck.analysis.state import Phase
from formcheck.analysis.strategies import strategy_for
from formcheck.exercises.schema import CountingSpec

FPS = 30.0


def spec(**kw):
    base = {"kind": "reps", "signal": "s", "reference": "baseline", "top": 20.0,
            "min_rep_s": 0.0, "min_top_s": 0.3}  # fmt: skip
    return CountingSpec(**{**base, **kw})


def live(s: CountingSpec):
    return strategy_for(s).live(s)


def drive(counter, values, valid=None, carry=None):
    """Feed ``values`` at FPS; the events as (kind, time), then those of finish()."""
    events = []
    for i, v in enumerate(values):
        t = i / FPS
        ok = True if valid is None else valid(t)
        c = False if carry is None else carry(t)
        events += [(e.kind, round(e.t, 3)) for e in counter.update(t, v, ok, carry=c)]
    events += [(e.kind, "end") for e in counter.finish((len(values) - 1) / FPS)]
    return events


def hold(v, s):
    return [v] * round(s * FPS)


def ramp(a, b, s):
    n = round(s * FPS)
    return list(a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * np.arange(1, n + 1) / n)))


def rep(rest=0.0, top=30.0, up=1.0, held=1.0, down=1.0):
    return ramp(rest, top, up) + hold(top, held) + ramp(top, rest, down)


def hindsight_count(s: CountingSpec, values) -> int:
    t = np.arange(len(values)) / FPS
    return len(strategy_for(s).segment(t, np.asarray(values, float), s, None).counted)


def test_one_rep_is_counted_at_its_top_not_on_its_return():
    c = live(spec())
    values = hold(0.0, 2.0) + rep() + hold(0.0, 1.0)
    events = drive(c, values)
    kinds = [k for k, _ in events]
    assert kinds == ["started", "counted", "finished"]
    counted_at = events[1][1]
    assert 3.0 < counted_at < 4.0  # at the top (reached at 3.0 s, left at 4.0 s)


def test_a_rise_as_the_session_opens_counts_when_it_ends():
    # Whether it rose from rest is known only once the rest is seen.
    c = live(spec())
    events = drive(c, hold(0.0, 0.5) + rep() + hold(0.0, 1.0))
    assert [k for k, _ in events] == ["started", "counted", "finished"]
    assert events[1][1] > 3.5
    assert c.count == 1


def test_phases_in_order():
    c = live(spec())
    seen: list[Phase] = []
    for i, v in enumerate(hold(0.0, 2.0) + rep() + hold(0.0, 1.5)):
        c.update(i / FPS, v, True)
        if not seen or seen[-1] is not c.phase:
            seen.append(c.phase)
    assert seen == [Phase.REST, Phase.RISING, Phase.TOP, Phase.LOWERING, Phase.REST]


@pytest.mark.parametrize("seed", range(20))
def test_live_counts_what_the_recorded_clip_counts(seed):
    # Uneven reps at uneven tempi from a wandering rest, with landmark noise; some rises
    # too small to count, some dips at the top.
    rng = np.random.default_rng(seed)
    values = hold(0.0, 1.0)
    for _ in range(rng.integers(2, 7)):
        rest = rng.uniform(-3, 3)
        size = rng.choice([8.0, 25.0, 35.0, 50.0])
        k = rng.uniform(0.5, 2.0)
        values += rep(rest, rest + size, up=k, held=rng.uniform(0.0, 3.0), down=1.2 * k)
        values += hold(rest, rng.uniform(0.0, 2.0))
    values = list(np.asarray(values) + rng.normal(0.0, 1.0, len(values)))
    s = spec()
    c = live(s)
    counts = []
    for i, v in enumerate(values):
        c.update(i / FPS, v, True)
        counts.append(c.count)
    c.finish((len(values) - 1) / FPS)
    assert all(a <= b for a, b in itertools.pairwise(counts))  # never goes back
    assert c.count == hindsight_count(s, values)


def test_a_top_that_wavers_is_one_rep():
    # A dip of 12 at a top 30 above rest: well short of half way down.
    c = live(spec())
    values = hold(0.0, 1.0) + ramp(0, 30, 1) + hold(30, 0.5) + ramp(30, 18, 0.3)
    values += ramp(18, 30, 0.3) + hold(30, 0.5) + ramp(30, 0, 1) + hold(0.0, 1.0)
    drive(c, values)
    assert c.count == 1


def test_a_rise_short_of_the_target_is_no_rep():
    c = live(spec())
    drive(c, hold(0.0, 1.0) + rep(top=15.0) + hold(0.0, 1.0))
    assert c.count == 0


def test_direction_down():
    c = live(spec(direction="down"))
    drive(c, hold(100.0, 1.0) + rep(100.0, 70.0) + rep(100.0, 70.0) + hold(100.0, 1.0))
    assert c.count == 2


def test_a_session_ending_at_the_top_counts_the_rep_held_there():
    c = live(spec())
    events = drive(c, hold(0.0, 1.0) + ramp(0, 30, 1) + hold(30, 1.0))
    assert c.count == 1
    assert events[-1] == ("finished", "end")


def test_a_session_opening_at_the_top_waits_for_the_rest():
    # Filming began mid-rep: the top it opens at is seen to be a top only once the patient
    # comes down; it is partial, and the next rep counts.
    c = live(spec())
    events = drive(c, hold(30.0, 1.0) + ramp(30, 0, 1) + hold(0.0, 1.0) + rep() + hold(0.0, 1))
    assert c.count == 1
    assert [k for k, _ in events][:2] == ["started", "abandoned"]


def test_a_gap_splits_and_a_doubted_pose_carries():
    values = hold(0.0, 2.0) + ramp(0, 30, 1) + hold(30, 4.0) + ramp(30, 0, 1) + hold(0.0, 1)

    def hidden(t):
        return not 3.5 <= t < 5.5  # 2 s without a judged frame, at the top

    split = live(spec())
    events = drive(split, values, valid=hidden)
    # Before the gap: a rep held at its top (counted, cut); after it: one seen only from
    # its top (partial).
    assert [k for k, _ in events] == ["started", "counted", "finished", "started", "abandoned"]
    carried = live(spec())
    events = drive(carried, values, valid=hidden, carry=lambda t: not hidden(t))
    assert [k for k, _ in events] == ["started", "counted", "finished"]


def test_holds_at_fixed_levels():
    # Child's pose: in the position below 55 (hips folded), out of it above 70.
    s = spec(kind="holds", reference="absolute", direction="down", start=70.0, top=55.0,
             min_top_s=1.0)  # fmt: skip
    glitch = hold(80.0, 1.0) + ramp(80, 40, 1) + hold(40, 3) + hold(85, 0.3) + hold(40, 3)
    c = live(s)
    drive(c, glitch + ramp(40, 80, 1) + hold(80, 1))
    assert c.count == 1  # 0.3 s out of the position: the model losing the body
    sat_up = hold(80.0, 1.0) + ramp(80, 40, 1) + hold(40, 3) + hold(85, 1.5) + hold(40, 3)
    c = live(s)
    drive(c, sat_up + ramp(40, 80, 1) + hold(80, 1))
    assert c.count == 2


def test_a_hold_the_model_flips_away_from_is_one_in_hindsight_and_two_live():
    # The reading leaves the position and comes back by jumps no body makes (the model
    # reading a folded trunk the wrong way round for 2.5 s): a recorded clip joins the two
    # stretches; live closed the first when the reading left, and a closed hold stays closed.
    s = spec(kind="holds", reference="absolute", direction="down", start=70.0, top=55.0,
             min_top_s=1.0)  # fmt: skip
    flipped = hold(80.0, 1.0) + ramp(80, 40, 1) + hold(40, 3) + hold(140, 2.5) + hold(40, 3)
    flipped += ramp(40, 80, 1) + hold(80, 1)
    c = live(s)
    events = drive(c, flipped)
    assert [k for k, _ in events] == ["started", "counted", "finished"] * 2
    assert hindsight_count(s, flipped) == 1


@pytest.mark.parametrize(("why", "holds"), [(Blank.LOST, 1), (Blank.SPLIT, 2)])
def test_a_hold_the_model_loses_is_one_hold_live_and_in_hindsight(why: Blank, holds: int):
    # Folded, the model finds nobody for 3 s (face down): the same hold on both sides, live
    # and in hindsight. Frames seen but unmeasured (sitting up) split it, as before.
    s = spec(kind="holds", reference="absolute", direction="down", start=70.0, top=55.0,
             min_top_s=1.0)  # fmt: skip
    values = hold(80.0, 3.0) + ramp(80, 40, 1) + hold(40, 9) + ramp(40, 80, 1) + hold(80, 1)

    def seen(t):
        return not 7.0 <= t < 10.0

    c = live(s)
    events = drive(c, values, valid=seen, carry=lambda t: Blank.SPLIT if seen(t) else why)
    assert [k for k, _ in events] == ["started", "counted", "finished"] * holds
    t = np.arange(len(values)) / FPS
    u = np.where([seen(x) for x in t], values, np.nan)
    blank = np.array([Blank.SPLIT if seen(x) else why for x in t])
    assert len(strategy_for(s).segment(t, u, s, blank).counted) == holds


@pytest.mark.parametrize("kind", ["holds", "reps"])
def test_a_hold_the_model_loses_at_its_top_is_one_live_and_in_hindsight(kind: str):
    # A 10-s hold from the patient's own rest; nobody is found for 3 s in the middle of it.
    s = spec(kind=kind, min_top_s=1.0)
    values = hold(0.0, 2.0) + ramp(0, 30, 1) + hold(30, 10) + ramp(30, 0, 1) + hold(0.0, 2)

    def seen(t):
        return not 6.0 <= t < 9.0

    c = live(s)
    events = drive(c, values, valid=seen, carry=lambda t: Blank.SPLIT if seen(t) else Blank.LOST)
    assert [k for k, _ in events] == ["started", "counted", "finished"]
    t = np.arange(len(values)) / FPS
    u = np.where([seen(x) for x in t], values, np.nan)
    blank = np.array([Blank.SPLIT if seen(x) else Blank.LOST for x in t])
    found = strategy_for(s).segment(t, u, s, blank)
    assert len(found.counted) == 1 and found.partial == 0


def test_thresholds_show_the_rest_and_the_top():
    c = live(spec())
    for i, v in enumerate(hold(0.0, 1.0) + ramp(0, 30, 1)):
        c.update(i / FPS, v, True)
    th = c.thresholds()
    assert th["rest"] == pytest.approx(0.0, abs=1.0)
    assert 20.0 < th["top"] < 30.0


def test_hindsight_count_helper_sees_what_live_sees():
    s = spec()
    values = hold(0.0, 1.0) + rep() + rep() + hold(0.0, 1.0)
    assert hindsight_count(s, values) == 2


def cycle_spec(**kw):
    base = {"kind": "cycles", "signal": "s", "reference": "centre", "top": 0.06,
            "hysteresis": 0.02, "min_top_s": 0.3}  # fmt: skip
    return CountingSpec(**{**base, **kw})


@pytest.mark.parametrize("phase", [0.0, math.pi])
def test_cycle_counter_order_free(phase):
    # Starting with either swing (cow first or cat first) gives the same count.
    c = live(cycle_spec())
    values = [0.15 * math.sin(2 * math.pi * i / FPS / 4.0 + phase) for i in range(int(FPS * 12.5))]
    drive(c, hold(0.0, 1.0) + values)
    assert c.count == 3
    assert c.phase in (Phase.REST, Phase.TOP)


def test_cycle_counter_same_swing_twice_is_not_a_cycle():
    c = live(cycle_spec())
    # Brief lifts from a steady centre: swings up, never down.
    pulses = (hold(0.0, 4.6) + hold(0.2, 0.4)) * 3 + hold(0.0, 1.0)
    events = drive(c, hold(0.0, 5.0) + pulses)
    assert c.count == 0
    assert "counted" not in [k for k, _ in events]
    assert hindsight_count(cycle_spec(), hold(0.0, 5.0) + pulses) == 0


# -- ending a rep: swaps and a higher rest ---------------------------------------------


def test_small_cycle_after_a_full_one_counts():
    # Neutral at -0.03; a full cycle (+0.17 / -0.17) then a small one (+0.015 / -0.07),
    # as the synthetic small_range clips: the small cat is only 0.045 above neutral.
    values = (hold(-0.03, 1.0) + hold(0.17, 1.5) + hold(-0.17, 1.5) + hold(-0.03, 2.0)
              + hold(0.015, 1.5) + hold(-0.07, 1.5) + hold(-0.03, 1.0))  # fmt: skip
    c = live(cycle_spec(top=0.06, hysteresis=0.01))
    drive(c, values)
    assert c.count == 2


def test_swings_smaller_than_top_are_jitter():
    c = live(cycle_spec(top=0.06, hysteresis=0.01))
    jitter = [0.025 * math.sin(2 * math.pi * i / FPS / 1.5) for i in range(int(FPS * 12))]
    drive(c, hold(0.0, 1.0) + jitter)
    assert c.count == 0


def test_cycle_times_span_both_swings():
    c = live(cycle_spec(top=0.06, hysteresis=0.01))
    done = []
    values = hold(0.0, 2.0) + hold(0.15, 1.5) + hold(-0.15, 1.5) + hold(0.0, 2.0)
    for i, v in enumerate(values):
        done += [e.rep for e in c.update(i / FPS, v, True) if e.kind == "finished"]
    assert len(done) == 1
    rep = done[0]
    assert rep.start_s == pytest.approx(2.0, abs=0.1)  # left neutral
    assert 3.5 <= rep.peak_s <= 5.0  # the second swing's turning point
    assert 5.0 <= rep.end_s <= 5.6  # on the way back from it
