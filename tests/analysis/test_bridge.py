"""Glute bridge analysis on hand-built landmark sequences."""

from __future__ import annotations

import numpy as np
import pytest

from factories import analyze, bridge_rep, profile, sequence, supine_pose
from formcheck.exercises.loader import builtin

REST, TOP = 125.0, 178.0


def run(segments, start=REST, **kw):
    f = profile(segments, start)
    return analyze("bridge", sequence(f, duration=f.duration, **kw))


def faults_of(result):
    return [rep.faults for rep in result.reps]


@pytest.mark.parametrize("near", ["left", "right"])
@pytest.mark.parametrize("mirror", [False, True])
def test_clean_reps_counted_without_faults(near, mirror):
    result = run(bridge_rep() * 3 + [(1.0, REST)], near=near, mirror=mirror)
    assert len(result.reps) == 3
    assert result.faults == []
    assert faults_of(result) == [[], [], []]
    # Each rep takes 5 s; the peak is in the middle of the 1.5 s hold.
    for i, rep in enumerate(result.reps):
        truth = 5.0 * i + 1.0 + 1.0 + 0.75
        assert abs(rep.peak_s - truth) <= 0.2
        assert rep.start_s <= rep.peak_s <= rep.end_s
        assert abs(rep.start_s - (5.0 * i + 1.0)) <= 0.3
    assert result.partial_reps == 0
    assert result.judgeable
    assert result.unjudged == []
    assert result.near_side == near
    assert result.view == "side"


def test_sagging_reps_counted_and_flagged_clean_reps_not():
    result = run(bridge_rep(top=152.0) + bridge_rep() + bridge_rep(top=152.0) + [(1.0, REST)])
    assert len(result.reps) == 3
    assert faults_of(result) == [["sagging_hips"], [], ["sagging_hips"]]
    sag = [f for f in result.faults if f.id == "sagging_hips"]
    assert [f.rep_index for f in sag] == [1, 3]
    assert all(f.value < 165.0 for f in sag)


def test_jitter_around_thresholds_counts_nothing():
    # ±3 deg of landmark-angle noise hovering half way to the target (rest + top / 2):
    # never a lift worth counting, so no rep and no phantom partial.
    counting = builtin("bridge").counting
    level = REST + counting.top / 2
    result = run([(1.0, REST), (1.0, level), (10.0, level)], jitter_deg=3.0,
                 rng=np.random.default_rng(1))  # fmt: skip
    assert len(result.reps) == 0


def test_jitter_around_the_target_counts_at_most_once():
    # Hovering at the target with ±3 deg of noise: it never comes half way back down to
    # rest between two tops, so it is one rep at most.
    counting = builtin("bridge").counting
    level = REST + counting.top
    result = run([(1.0, REST), (1.0, level), (10.0, level)], jitter_deg=3.0,
                 rng=np.random.default_rng(2))  # fmt: skip
    assert len(result.reps) <= 1


@pytest.mark.xfail(
    strict=True,
    reason="a clip of nothing but lying back into position reads the last of the lie-back "
    "(hip 108 -> 125 deg, trunk half reclined, which the posture check already accepts) as "
    "one rep held to the end: live and recorded alike (recorded clips did so before live "
    "counting shared their segmentation); with reps after it only the reps count (next test)",
)
def test_getting_into_position_is_not_a_rep():
    # Standing (hip angle 180, trunk vertical), sitting down (90), lying back with the
    # knees bent (125): the hip angle passes the whole rep range while upright.
    def fn(t):
        if t < 2.0:
            return {"hip_angle_deg": 180.0 - 90.0 * t / 2.0, "standing": 1.0,
                    "hip_height": 130.0 * (1.0 - t / 2.0)}  # fmt: skip
        if t < 4.0:
            s = (t - 2.0) / 2.0
            return {"hip_angle_deg": 90.0 + 35.0 * s, "standing": 1.0 - s}
        return {"hip_angle_deg": REST}

    result = analyze("bridge", sequence(fn, duration=7.0))
    assert len(result.reps) == 0
    assert result.partial_reps == 0


def test_getting_into_position_then_reps_counts_only_the_reps():
    rep_profile = profile(bridge_rep() * 2 + [(1.0, REST)], REST)

    def fn(t):
        if t < 2.0:
            return {"hip_angle_deg": 180.0 - 90.0 * t / 2.0, "standing": 1.0,
                    "hip_height": 130.0 * (1.0 - t / 2.0)}  # fmt: skip
        if t < 4.0:
            s = (t - 2.0) / 2.0
            return {"hip_angle_deg": 90.0 + 35.0 * s, "standing": 1.0 - s}
        return {"hip_angle_deg": rep_profile(t - 4.0)}

    result = analyze("bridge", sequence(fn, duration=4.0 + rep_profile.duration))
    assert len(result.reps) == 2
    for rep, truth in zip(result.reps, (6.75, 11.75), strict=True):
        assert abs(rep.peak_s - truth) <= 0.2


@pytest.mark.parametrize("hindsight", [False, True])
def test_getting_up_after_the_last_rep_is_not_a_rep(hindsight):
    # Two reps, then sitting up (hip 125 -> 90, trunk rising) and standing (hip 90 -> 180,
    # trunk upright): standing reads the bridge's top from the hip angle alone.
    from formcheck.analysis.analyzer import ExerciseAnalyzer

    reps = profile(bridge_rep() * 2 + [(1.0, REST)], REST)

    def fn(t):
        u = t - reps.duration
        if u < 0.0:
            return {"hip_angle_deg": reps(t)}
        if u < 2.0:
            return {"hip_angle_deg": 125.0 - 35.0 * u / 2.0, "standing": u / 2.0}
        s = min(1.0, (u - 2.0) / 2.0)
        return {"hip_angle_deg": 90.0 + 90.0 * s, "standing": 1.0, "hip_height": 130.0 * s}

    analyzer = ExerciseAnalyzer(builtin("bridge"))
    for frame in sequence(fn, duration=reps.duration + 6.0):
        analyzer.step(frame)
    result = analyzer.finish(hindsight=hindsight)
    assert len(result.reps) == 2
    for rep, truth in zip(result.reps, (2.75, 7.75), strict=True):
        assert abs(rep.peak_s - truth) <= 0.2


@pytest.mark.parametrize("hindsight", [False, True])
def test_never_in_the_starting_position_is_not_judged(hindsight):
    # Standing for the whole clip, squatting down and up twice (hip 180 -> 100 -> 180): never
    # lying on the back, so neither "2 bridges" nor "0 bridges" but cannot judge.
    from formcheck.analysis.analyzer import ExerciseAnalyzer

    squat = profile([(1.0, 180.0), (1.0, 100.0), (1.0, 180.0)] * 2 + [(1.0, 180.0)], 180.0)
    analyzer = ExerciseAnalyzer(builtin("bridge"))
    frames = sequence(lambda t: {"hip_angle_deg": squat(t), "standing": 1.0,
                                 "hip_height": 130.0}, duration=squat.duration)  # fmt: skip
    for frame in frames:
        analyzer.step(frame)
    result = analyzer.finish(hindsight=hindsight)
    assert (len(result.reps), result.judgeable) == (0, False)
    assert any("never seen in the starting position" in n for n in result.notes)


def test_lying_down_with_straight_legs_then_bending_knees_is_not_a_rep():
    def fn(t):
        if t < 1.0:
            return {"hip_angle_deg": 90.0, "standing": 1.0}
        if t < 3.0:
            s = (t - 1.0) / 2.0  # trunk lowers, legs stay straight: hip angle 90 -> 180
            return {"hip_angle_deg": 90.0 + 90.0 * s, "standing": 1.0 - s}
        if t < 4.0:
            return {"hip_angle_deg": 180.0, "torso_tilt_deg": 0.0}
        s = min(1.0, t - 4.0)  # bend the knees to the start position
        return {"hip_angle_deg": 180.0 - 55.0 * s, "torso_tilt_deg": 0.0}

    result = analyze("bridge", sequence(fn, duration=7.0))
    assert len(result.reps) == 0


def test_few_missing_frames_mid_rep_counted_once():
    # Five frames without a person in the middle of the second lift.
    result = run(bridge_rep() * 3, missing=lambda t: 6.3 < t < 6.3 + 5 / 30)
    assert len(result.reps) == 3
    assert faults_of(result) == [[], [], []]


def test_long_gap_not_double_counted_and_reported_unjudged():
    # Second rep holds 5 s; the person is gone for 3 s of it, the hips up on both sides of
    # the gap: one rep, held through it (not a rep cut there and a partial one after it).
    segments = bridge_rep() + bridge_rep(hold_s=5.0) + bridge_rep()
    result = run(segments, missing=lambda t: 8.5 < t < 11.5)
    assert len(result.reps) == 3
    spans = [u for u in result.unjudged if u.reason == "No person in view"]
    assert len(spans) == 1
    assert 8.5 <= spans[0].start_s <= 9.2
    assert abs(spans[0].end_s - 11.5) <= 0.2
    assert result.partial_reps == 0
    held = result.reps[1]
    assert held.hold_start_s is not None and held.hold_end_s is not None
    assert held.hold_start_s < 8.5 and held.hold_end_s > 11.5


@pytest.mark.parametrize("fps", [24.0, 30.0])
@pytest.mark.parametrize("lost_at", [1.65, 1.9, 2.15])
def test_rep_cut_by_a_long_gap_at_its_top_counts_once_live(fps, lost_at):
    # The person is lost for 2 s as the hips reach the top. Live, each frame after the gap
    # segments a window that starts elsewhere, on a time grid laid elsewhere, and the cut rep
    # came back with its peak a fraction of a grid step past the end it was closed at: two.
    segments = [(1.0, REST), (1.0, TOP), (3.0, TOP), (1.5, REST), (2.0, REST)]
    result = run(segments, fps=fps, missing=lambda t: lost_at <= t < lost_at + 2.0)
    assert len(result.reps) == 1


def test_clip_starting_at_the_top_is_partial():
    result = run([(1.0, TOP), (1.5, REST)] + bridge_rep() * 2 + [(1.0, REST)], start=TOP)
    assert len(result.reps) == 2
    assert result.partial_reps >= 1
    assert result.reps[0].start_s > 2.5


def test_clip_ending_at_the_top_counts_the_last_lift():
    result = run([*bridge_rep(), (1.0, REST), (1.0, TOP), (0.5, TOP)])
    assert len(result.reps) == 2
    last = result.reps[-1]
    assert last.start_s <= last.peak_s <= last.end_s
    # The hold was cut by the clip: not judged as too short, lowering not judged.
    assert "lower_s" not in last.metrics


@pytest.mark.parametrize("fps", [10.0, 15.0, 30.0])
def test_person_lost_just_after_the_top_leaves_that_rep_partial(fps):
    # Two reps, then a third lift lost as it reaches its top (0.15 s past 85 % of its
    # rise, under min_top_s) to the clip's end: the patient walks off, the clip fades out.
    # The smoother holds the last pose for half a second so that a live hold survives a
    # missed frame; a recorded clip must not read that held pose as time at the top.
    from formcheck.analysis.analyzer import ExerciseAnalyzer

    f = profile([*bridge_rep() * 2, (1.0, REST), (1.0, TOP), (2.0, TOP)], REST)
    lost_from = 10.0 + 1.0 + 1.0  # two 5-s reps, a second at rest, a 1-s lift
    analyzer = ExerciseAnalyzer(builtin("bridge"))
    for frame in sequence(f, duration=f.duration, fps=fps, missing=lambda t: t > lost_from):
        analyzer.step(frame)
    result = analyzer.finish(hindsight=True)
    assert len(result.reps) == 2
    assert result.partial_reps == 1


def test_over_arching():
    result = run([*bridge_rep(top=200.0), (2.0, REST)])
    assert faults_of(result) == [["over_arching"]]
    assert result.faults[0].value > 192.0


def test_fast_lowering_flagged():
    result = run([*bridge_rep(lower_s=0.3), (1.0, REST), *bridge_rep(), (1.0, REST)])
    assert len(result.reps) == 2
    assert "lowering_too_fast" in result.reps[0].faults


def test_fast_lowering_flagged_when_clip_ends_soon_after():
    # With little rest after the lowering, the inflated lower_s stays under 0.8 s.
    result = run([*bridge_rep(lower_s=0.3), (0.3, REST)])
    assert len(result.reps) == 1
    assert result.reps[0].faults == ["lowering_too_fast"]


def test_slow_lowering_not_flagged():
    result = run([*bridge_rep(lower_s=2.0), (0.3, REST)])
    assert result.reps[0].faults == []


def _heel_rep(top_lift: float):
    lift = profile([(2.0, 0.0), (1.0, top_lift), (1.5, top_lift), (1.0, 0.0), (2.0, 0.0)], 0.0)
    angle = profile([*bridge_rep(), (2.0, REST)], REST)

    def fn(t):
        return {"hip_angle_deg": angle(t), "heel_lift": lift(t)}

    return analyze("bridge", sequence(fn, duration=angle.duration))


def test_heel_lifting():
    # Heels up by 0.4 torso lengths above the toes: onto the balls of the feet.
    result = _heel_rep(0.4)
    assert faults_of(result) == [["feet_lifting"]]
    assert result.reps[0].metrics["rise.heel_lift"] == pytest.approx(0.4, abs=0.05)


def test_heel_wobble_below_the_threshold_not_flagged():
    # The model reads flat feet as rising by up to ~0.19 torso lengths in oblique views.
    result = _heel_rep(0.15)
    assert faults_of(result) == [[]]


def test_series_kept_per_frame():
    f = profile(bridge_rep(), REST)
    frames = sequence(f, duration=f.duration)
    result = analyze("bridge", frames)
    assert len(result.series_t) == len(frames)
    assert set(result.series) >= {"hip_angle", "knee_angle", "heel_lift"}
    assert max(result.series["hip_angle"]) == pytest.approx(TOP, abs=0.5)


def test_factory_pose_measures_back():
    from factories import visibility
    from formcheck.exercises.loader import builtin
    from formcheck.landmarks import Side
    from formcheck.signals.measure import measure

    spec = builtin("bridge")
    for angle in (120.0, 150.0, 178.0, 200.0):
        values, _ = measure(spec.signals, supine_pose(angle), visibility(), Side.LEFT, 480)
        assert values["hip_angle"] == pytest.approx(angle, abs=1e-6)


def test_oblique_view_resting_high_counts_full_and_sagging_lifts():
    # 30 deg off side-on the picture stretches the hip angle towards 180: the rest reads
    # ~165 deg, a full lift rises ~27 deg and a sagging one only ~7.5. Both count (the
    # sagging one with its fault); the rest is the patient's own, not the top of a lift.
    rest = 165.0
    segments = [*bridge_rep(rest, 192.0), *bridge_rep(rest, rest + 7.5)] * 2 + [(1.0, rest)]
    result = run(segments, start=rest)
    assert len(result.reps) == 4
    assert faults_of(result) == [[], ["sagging_hips"], [], ["sagging_hips"]]


def test_high_camera_rest_near_a_straight_line_counts_every_lift():
    # A camera high above the mat (40 deg) stretches the hip angle in the picture towards
    # 180: the rest reads ~174 and each lift rises to ~197. The rest is the patient's own
    # (they lift from it), not the top of a rep begun before the clip.
    rest = 174.0
    result = run([*bridge_rep(rest, 197.0)] * 4 + [(1.0, rest)], start=rest)
    assert len(result.reps) == 4
    assert result.partial_reps == 0
    assert all(abs(r.peak_s - (5.0 * i + 2.75)) <= 0.3 for i, r in enumerate(result.reps))


def test_clip_opening_at_the_top_then_lowering_is_partial():
    # The clip opens at a level the signal then falls far below and keeps returning to:
    # that level was the top of a rep begun before the clip (partial), not the rest.
    result = run([(1.5, TOP), (1.5, REST), *bridge_rep(), (1.0, REST)], start=TOP)
    assert len(result.reps) == 1
    assert result.partial_reps == 1
