"""Rep, hold and cycle counters driven directly with a signal (no landmarks)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from formcheck.analysis.counter import CycleCounter, RepCounter
from formcheck.analysis.rest_level import RestLevel
from formcheck.analysis.state import Phase
from formcheck.exercises.schema import CountingSpec

FPS = 30.0


def spec(**kw):
    base = {"kind": "reps", "signal": "s", "start": 10.0, "top": 20.0, "hysteresis": 2.0,
            "min_rep_s": 0.0, "min_top_s": 0.0}  # fmt: skip
    return CountingSpec(**{**base, **kw})


def drive(counter, values, valid=None):
    events = []
    for i, v in enumerate(values):
        t = i / FPS
        ok = True if valid is None else valid(t)
        events += [(e.kind, round(e.t, 3)) for e in counter.update(t, v, ok)]
    events += [(e.kind, "end") for e in counter.finish(len(values) / FPS)]
    return events


def hold(v, s):
    return [v] * round(s * FPS)


def test_one_clean_rep():
    c = RepCounter(spec())
    events = drive(c, hold(0.0, 1) + hold(25.0, 1) + hold(0.0, 1))
    assert c.count == 1
    assert [k for k, _ in events] == ["started", "counted", "finished"]


def test_hysteresis_oscillation_around_top_counts_once():
    c = RepCounter(spec(hysteresis=2.0))
    wobble = [20.0 + (1.0 if i % 2 else -1.0) for i in range(90)]
    drive(c, hold(0.0, 1) + wobble + hold(0.0, 1))
    assert c.count == 1


def test_without_hysteresis_dip_below_top_and_back_is_the_same_rep():
    # A dip below top - hysteresis (but not back to rest) does not start a new rep.
    c = RepCounter(spec(hysteresis=2.0))
    drive(c, hold(0.0, 1) + hold(25.0, 0.5) + hold(15.0, 0.5) + hold(25.0, 0.5) + hold(0.0, 1))
    assert c.count == 1


def test_two_reps():
    c = RepCounter(spec())
    rep = hold(0.0, 1) + hold(25.0, 1)
    drive(c, rep + rep + hold(0.0, 1))
    assert c.count == 2


@pytest.mark.parametrize(("top_s", "counted"), [(0.2, 0), (0.6, 1)])
def test_min_top_s(top_s, counted):
    c = RepCounter(spec(min_top_s=0.4))
    drive(c, hold(0.0, 1) + hold(25.0, top_s) + hold(0.0, 1))
    assert c.count == counted


def test_abandoned_rep_not_counted():
    c = RepCounter(spec())
    events = drive(c, hold(0.0, 1) + hold(15.0, 1) + hold(0.0, 1))
    assert c.count == 0
    assert "abandoned" in [k for k, _ in events]


def test_direction_down():
    c = RepCounter(spec(direction="down", start=40.0, top=20.0, hysteresis=3.0))
    drive(c, hold(60.0, 1) + hold(10.0, 1) + hold(60.0, 1) + hold(10.0, 1) + hold(60.0, 1))
    assert c.count == 2
    assert c.thresholds() == {"start": 40.0, "top": 20.0}
    # Moving up does nothing for a "down" counter.
    c2 = RepCounter(spec(direction="down", start=40.0, top=20.0, hysteresis=3.0))
    drive(c2, hold(60.0, 1) + hold(90.0, 1) + hold(60.0, 1))
    assert c2.count == 0


def test_start_at_top_is_partial_not_counted():
    c = RepCounter(spec())
    drive(c, hold(25.0, 1) + hold(0.0, 1) + hold(25.0, 1) + hold(0.0, 1))
    assert c.count == 1


def test_clip_ending_at_top_counts():
    c = RepCounter(spec())
    events = drive(c, hold(0.0, 1) + hold(25.0, 0.5))
    assert c.count == 1
    assert events[-1] == ("finished", "end")
    assert c.current is not None and c.current.cut


def test_baseline_reference():
    # Thresholds are offsets from the rest level learned over baseline_s.
    s = spec(reference="baseline", start=2.0, top=4.0, hysteresis=0.5, baseline_s=1.0)
    c = RepCounter(s)
    assert c.thresholds() == {}
    drive(c, hold(100.0, 1.5) + hold(105.0, 1) + hold(100.0, 1) + hold(103.0, 1) + hold(100.0, 1))
    assert c.count == 1  # 105 is past 100 + 4; 103 is not
    th = c.thresholds()
    assert th["baseline"] == pytest.approx(100.0)
    assert th["top"] == pytest.approx(104.0)


def test_baseline_follows_the_patient_level():
    s = spec(reference="baseline", start=2.0, top=4.0, hysteresis=0.5, baseline_s=1.0)
    c = RepCounter(s)
    # Rest at 50: the absolute level never matters.
    drive(c, hold(50.0, 1.5) + hold(55.0, 1) + hold(50.0, 1))
    assert c.count == 1


def test_nan_and_gaps():
    c = RepCounter(spec(), max_gap_s=1.0)
    values = hold(0.0, 1) + hold(25.0, 1) + hold(math.nan, 0.2) + hold(25.0, 0.5) + hold(0.0, 1)
    drive(c, values)
    assert c.count == 1
    # A long gap at the top cuts the rep; seeing the top again is not a new rep.
    c = RepCounter(spec(), max_gap_s=1.0)
    values = hold(0.0, 1) + hold(25.0, 1) + hold(math.nan, 2.0) + hold(25.0, 1) + hold(0.0, 1)
    drive(c, values)
    assert c.count == 1


def drive_carry(counter, values, carried):
    """Like ``drive``; frames where ``carried(t)`` are unjudged with the person still there."""
    events = []
    for i, v in enumerate(values):
        t = i / FPS
        c = carried(t)
        events += [(e.kind, round(e.t, 3)) for e in counter.update(t, v, not c, carry=c)]
    events += [(e.kind, "end") for e in counter.finish(len(values) / FPS)]
    return events


def test_a_hold_carries_on_through_a_doubted_pose():
    # Holding from 1 s; from 1.5 s to 6.5 s the pose is doubted (values wild): one hold,
    # counted during the doubt (its time at the top goes on), ending at the real release.
    c = RepCounter(spec(kind="holds", min_top_s=2.0), max_gap_s=1.0)
    values = hold(0.0, 1) + hold(25.0, 0.5) + hold(-40.0, 5.0) + hold(25.0, 1) + hold(0.0, 1)
    events = drive_carry(c, values, lambda t: 1.5 <= t < 6.5)
    assert c.count == 1
    assert [k for k, _ in events] == ["started", "counted", "finished"]
    assert events[1][1] == pytest.approx(3.0, abs=0.1)  # 2 s after reaching the top
    assert c.current is not None and c.current.end_s == pytest.approx(7.5, abs=0.2)
    assert not c.current.cut


def test_a_doubted_pose_away_from_the_top_is_a_gap():
    # At rest when the doubt starts: the same as any long gap (no rep, back to setup).
    c = RepCounter(spec(), max_gap_s=1.0)
    values = hold(0.0, 1) + hold(25.0, 3.0) + hold(0.0, 1)
    drive_carry(c, values, lambda t: 0.5 <= t < 4.0)
    assert c.count == 0


def test_rep_counter_rejects_cycles():
    with pytest.raises(ValueError):
        RepCounter(CountingSpec(kind="cycles", signal="s", start=0.0, top=1.0, hysteresis=0.2))


def cycle_spec(**kw):
    base = {"kind": "cycles", "signal": "s", "reference": "centre", "start": 0.0, "top": 0.06,
            "hysteresis": 0.02, "min_top_s": 0.3, "baseline_s": 1.0}  # fmt: skip
    return CountingSpec(**{**base, **kw})


@pytest.mark.parametrize("phase", [0.0, math.pi])
def test_cycle_counter_order_free(phase):
    # Starting with either swing (cow first or cat first) gives the same count.
    c = CycleCounter(cycle_spec())
    values = [0.15 * math.sin(2 * math.pi * i / FPS / 4.0 + phase) for i in range(int(FPS * 12.5))]
    drive(c, hold(0.0, 1.0) + values)
    assert c.count == 3
    assert c.phase in (Phase.REST, Phase.TOP)


def test_cycle_counter_same_swing_twice_is_not_a_cycle():
    c = CycleCounter(cycle_spec())
    # Brief lifts from a steady centre: swings up, never down.
    pulses = (hold(0.0, 4.6) + hold(0.2, 0.4)) * 3 + hold(0.0, 1.0)
    events = drive(c, hold(0.0, 5.0) + pulses)
    assert c.count == 0
    assert [k for k, _ in events].count("started") == 3


def test_cycle_counter_rejects_reps():
    with pytest.raises(ValueError):
        CycleCounter(spec())


# -- ending a rep: swaps and a higher rest ---------------------------------------------


def test_short_dip_to_rest_is_not_the_end_with_min_rest_s():
    # The model swapping legs for 4 frames drops the signal to rest mid-hold.
    swap = hold(25.0, 1) + hold(0.0, 4 / FPS) + hold(25.0, 1)
    plain = RepCounter(spec())
    drive(plain, hold(0.0, 1) + swap + hold(0.0, 1))
    assert plain.count == 2  # without the guard the swap splits the rep
    guarded = RepCounter(spec(min_rest_s=0.3))
    events = drive(guarded, hold(0.0, 1) + swap + hold(0.0, 1))
    assert guarded.count == 1
    assert [k for k, _ in events] == ["started", "counted", "finished"]


def test_min_rest_s_still_ends_the_rep_at_the_first_frame_back():
    c = RepCounter(spec(min_rest_s=0.3))
    ends = []
    for i, v in enumerate(hold(0.0, 1) + hold(25.0, 1) + hold(0.0, 3)):
        ends += [e.rep.end_s for e in c.update(i / FPS, v, True) if e.kind == "finished"]
    assert ends == [pytest.approx(2.0, abs=0.05)]


def test_rest_return_ends_reps_that_settle_above_the_first_rest():
    # Rest at 0, then the patient settles at 9 between reps (above start - hysteresis).
    rep = hold(40.0, 1) + hold(9.0, 1)
    values = hold(0.0, 1) + rep + rep + rep
    plain = RepCounter(spec(reference="baseline", baseline_s=0.5))
    drive(plain, values)
    assert plain.count == 1  # never back below 8: one long rep
    c = RepCounter(spec(reference="baseline", baseline_s=0.5, rest_return=0.3))
    drive(c, values)
    assert c.count == 3


# -- cycles: zigzag turning points ---------------------------------------------------


def test_small_cycle_after_a_full_one_counts():
    # Neutral at -0.03; a full cycle (+0.17 / -0.17) then a small one (+0.015 / -0.07),
    # as the synthetic small_range clips: the small cat is only 0.045 above neutral.
    values = (hold(-0.03, 1.0) + hold(0.17, 1.5) + hold(-0.17, 1.5) + hold(-0.03, 2.0)
              + hold(0.015, 1.5) + hold(-0.07, 1.5) + hold(-0.03, 1.0))  # fmt: skip
    c = CycleCounter(cycle_spec(top=0.06, hysteresis=0.01))
    drive(c, values)
    assert c.count == 2


def test_swings_smaller_than_top_are_jitter():
    c = CycleCounter(cycle_spec(top=0.06, hysteresis=0.01))
    jitter = [0.025 * math.sin(2 * math.pi * i / FPS / 1.5) for i in range(int(FPS * 12))]
    drive(c, hold(0.0, 1.0) + jitter)
    assert c.count == 0


def test_cycle_times_span_both_swings():
    c = CycleCounter(cycle_spec(top=0.06, hysteresis=0.01))
    done = []
    values = hold(0.0, 2.0) + hold(0.15, 1.5) + hold(-0.15, 1.5) + hold(0.0, 2.0)
    for i, v in enumerate(values):
        done += [e.rep for e in c.update(i / FPS, v, True) if e.kind == "finished"]
    assert len(done) == 1
    rep = done[0]
    assert rep.start_s == pytest.approx(2.0, abs=0.1)  # left neutral
    assert 3.5 <= rep.peak_s <= 5.0  # the second swing's turning point
    assert 5.0 <= rep.end_s <= 5.6  # on the way back from it


def test_rest_past_rest_limit_is_provisional():
    s = spec(reference="baseline", start=3.0, top=6.0, hysteresis=1.0, baseline_s=0.5,
             rest_limit=100.0)  # fmt: skip
    # Resting past the limit and lifting from it: the level was the rest.
    c = RepCounter(s)
    events = drive(c, (hold(104.0, 1) + hold(115.0, 1)) * 3 + hold(104.0, 1))
    assert c.count == 3
    assert [k for k, _ in events].count("abandoned") == 0
    # Still past the limit, then back within it: the opening level was a top (partial).
    c = RepCounter(s)
    events = drive(c, hold(115.0, 1) + hold(90.0, 1) + hold(101.0, 1) + hold(90.0, 1))
    assert c.count == 1
    assert events[0][0] == "abandoned"


def bridge_opening_at_top(fps: float) -> list[tuple[float, float]]:
    """A bridge filmed from the top of a rep: held at ~181 deg, lowered to ~126 and lifted
    straight back (no still rest at the bottom), twice; the clip ends at the top. With
    landmark jitter of +-2 deg, as the model gives a small or distant person."""
    rng = np.random.default_rng(int(fps * 10))
    rest, top = 126.0, 181.0
    keys = [(0.0, top), (1.2, top), (2.4, rest), (2.5, rest), (3.7, top), (4.7, top),
            (5.9, rest), (6.0, rest), (7.2, top), (7.8, top)]  # fmt: skip
    times = [i / fps for i in range(int(keys[-1][0] * fps))]
    out = []
    for t in times:
        (t0, v0), (t1, v1) = next((a, b) for a, b in itertools.pairwise(keys) if a[0] <= t < b[0])
        w = 0.5 - 0.5 * math.cos(math.pi * (t - t0) / (t1 - t0))  # eased like a real lift
        out.append((t, v0 + w * (v1 - v0) + rng.uniform(-2.0, 2.0)))
    return out


@pytest.mark.parametrize("fps", [6.0, 8.0, 10.0, 12.5, 15.0, 25.0, 30.0])
def test_brief_rests_after_an_opening_top_are_learned_at_any_frame_rate(fps: float):
    # Bridge settings: the opening level (past rest_limit) proves to be a top when the hips
    # come down; the bottoms then last ~0.1 s and never read as still at low frame rates.
    # The low the hips turn back up from is then the rest (the way down took 1.2 s: a
    # lowering, not the model losing the body).
    s = spec(reference="baseline", start=3.5, top=7.0, hysteresis=3.0, baseline_s=0.5,
             min_top_s=0.3, min_rep_s=0.5, rest_return=0.3, rest_limit=170.0)  # fmt: skip
    c = RepCounter(s)
    events = [e for t, v in bridge_opening_at_top(fps) for e in c.update(t, v, True)]
    events += c.finish(7.8)
    assert c.count == 2
    assert any(e.kind == "abandoned" and e.rep.started_before for e in events)  # the opening
    starts = [e.rep.start_s for e in events if e.kind == "counted"]
    assert starts == [pytest.approx(2.5, abs=0.3), pytest.approx(6.0, abs=0.3)]


def test_a_level_past_rest_limit_that_the_signal_later_falls_far_below_was_no_rest():
    # A bird-dog clip opening mid-hold (limbs summed ~330; rest ~170, rest_limit 200). The
    # raised hand leaves the picture: the sum drops to ~225 and wobbles there (still past
    # the limit), then the limbs come down to ~170. The wobble is no rep: everything up to
    # the return is one partial rep, and the rep after it counts from the real rest.
    s = spec(reference="baseline", start=17.0, top=24.0, hysteresis=5.0, baseline_s=0.3,
             min_top_s=0.3, min_rep_s=0.5, rest_return=0.3, min_rest_s=0.3,
             rest_limit=200.0)  # fmt: skip
    values = (hold(330.0, 0.6) + hold(225.0, 0.8) + hold(252.0, 0.6) + hold(225.0, 0.4)
              + hold(170.0, 1.5) + hold(335.0, 2.0) + hold(170.0, 1.0))  # fmt: skip
    c = RepCounter(s)
    events = drive(c, values)
    assert c.count == 1
    kinds = [k for k, _ in events]
    assert kinds.count("abandoned") == 1
    assert kinds.index("abandoned") < kinds.index("counted")
    # The same shape from a real rest that a high camera reads past the limit (~215, the
    # lifts ~37 over it) and back to it: the level is confirmed; the first lift counts
    # when it has come back down to it (the second lift ends its settling), not at its top.
    c = RepCounter(s)
    events = drive(c, (hold(215.0, 1.0) + hold(252.0, 1.0)) * 2 + hold(215.0, 1.0))
    assert c.count == 2
    assert [k for k, _ in events] == ["started", "counted", "finished", "started", "counted",
                                      "finished"]  # fmt: skip
    assert events[1][1] >= 2.0  # the first lift's top was over by 2.0 s


def test_a_fall_too_fast_to_be_a_lowering_is_not_taken_for_the_rest():
    # A bird-dog filmed from mid-hold (limbs summed ~320, rest_limit 200). The model loses
    # the raised limbs: in two frames the sum falls to rest level and jitters there for
    # 0.4 s, then the limbs are found again (~245) and really come down. That low is no
    # rest: the end of the hold is no rep. The next rep, from the real rest, counts.
    s = spec(reference="baseline", start=17.0, top=24.0, hysteresis=5.0, baseline_s=0.3,
             min_top_s=0.3, min_rep_s=0.5, rest_return=0.3, min_rest_s=0.3,
             rest_limit=200.0)  # fmt: skip
    rng = np.random.default_rng(3)
    lost = list(170.0 + rng.uniform(-20.0, 20.0, round(0.4 * FPS)))  # as the model had it
    lowering = list(np.linspace(245.0, 170.0, round(0.8 * FPS)))
    rising = list(np.linspace(170.0, 335.0, round(0.8 * FPS)))
    values = [*hold(320.0, 0.5), 250.0, *lost, *hold(245.0, 0.6), *lowering,
              *hold(170.0, 1.5), *rising, *hold(335.0, 1.5), *rising[::-1],
              *hold(170.0, 1.0)]  # fmt: skip
    c = RepCounter(s)
    events = drive(c, values)
    assert c.count == 1
    counted = [t for k, t in events if k == "counted"]
    assert counted[0] > 3.3  # the real rep (lifted at ~3.4 s), not the end of the hold


def test_a_seeded_rest_outweighs_a_long_hold_until_it_leaves_the_window():
    level = RestLevel(window_s=10.0, needed_s=0.5, still_within=6.0)
    level.seed(0.0, 126.0)  # the low a lift turned back up from: one frame, never still
    assert level.ready
    for i in range(1, 9 * 30):  # then a 9 s hold at the top: still samples, all of them
        level.add(i / 30, 181.0)
    assert level.value() == pytest.approx(126.0)
    for i in range(9 * 30, 12 * 30):
        level.add(i / 30, 181.0)
    assert level.value() == pytest.approx(181.0)  # 10 s on, only the hold is left
