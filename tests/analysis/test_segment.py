"""Hindsight segmentation on hand-built signals: what a person counts, at any frame rate."""

from __future__ import annotations

import numpy as np
import pytest

from formcheck.analysis.segment import Blank, segment, segment_levels
from formcheck.exercises.loader import builtin

BRIDGE = builtin("bridge").counting
CHILDS = builtin("childs_pose").counting


def _signal(
    knots: list[tuple[float, float]], fps: float, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A hip angle through ``(time, degrees)`` knots, smoothly, sampled at ``fps``."""
    ts, vs = np.array(knots).T
    t = np.arange(0.0, ts[-1] + 1e-9, 1.0 / fps)
    # Smoothstep between knots: a body accelerates and decelerates.
    i = np.clip(np.searchsorted(ts, t, side="right") - 1, 0, len(ts) - 2)
    f = (t - ts[i]) / (ts[i + 1] - ts[i])
    f = f * f * (3 - 2 * f)
    u = vs[i] + f * (vs[i + 1] - vs[i])
    return t, u + np.random.default_rng(seed).normal(0.0, noise, t.size)


# A weighted bridge filmed from a raised, oblique, handheld camera: the picture stretches
# the angle past 180 at the top; three textbook reps about 4 s apart.
HIGH_OBLIQUE = [
    (0.0, 134), (0.5, 134), (1.7, 192), (2.5, 192), (3.8, 138), (4.5, 138),
    (5.7, 193), (6.5, 193), (7.8, 139), (8.5, 139), (9.7, 193), (10.5, 193),
    (11.8, 137), (12.5, 137),
]  # fmt: skip


@pytest.mark.parametrize("fps", [6, 10, 15, 24, 30, 60])
def test_three_reps_from_a_raised_oblique_camera_at_any_frame_rate(fps: float) -> None:
    t, u = _signal(HIGH_OBLIQUE, fps, noise=1.5)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 3
    assert found.partial == 0
    peaks = [r.peak_s for r in found.counted]
    assert peaks == pytest.approx([2.1, 6.1, 10.1], abs=0.5)
    # Each rep measured from its own rest, not from the first frame past a threshold.
    assert [r.start_u for r in found.counted] == pytest.approx([134, 138, 139], abs=2.0)


def test_opening_at_the_top_is_a_partial_rep_and_the_rest_count() -> None:
    knots = [(0.0, 178), (0.8, 178), (2.0, 140), (3.0, 140), (4.2, 178), (5.0, 178), (6.2, 140),
             (7.0, 140)]  # fmt: skip
    t, u = _signal(knots, 25, noise=1.0)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 1
    assert found.partial == 1
    assert found.reps[0].started_before and not found.reps[0].counted


def test_a_rep_held_when_the_clip_ends_counts_and_is_cut() -> None:
    knots = [(0.0, 140), (1.0, 140), (2.2, 178), (4.0, 178)]
    t, u = _signal(knots, 30, noise=1.0)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 1
    rep = found.counted[0]
    assert rep.cut and rep.top_exit_s is None


@pytest.mark.parametrize("noise", [1.0, 2.0])
def test_landmark_jitter_at_rest_is_no_rep(noise: float) -> None:
    t, u = _signal([(0.0, 140), (20.0, 140)], 30, noise=noise, seed=3)
    assert segment(t, u, BRIDGE).reps == []


def test_reps_of_uneven_size_and_a_drifting_rest_each_count() -> None:
    # Full, shallow (just past the definition's 7 deg), full; the rest creeps up by 6 deg
    # as the patient shuffles, which a rest learned once at the start would misread.
    knots = [(0.0, 135), (1.0, 135), (2.2, 178), (3.0, 178), (4.2, 138), (5.5, 138),
             (6.5, 148), (7.3, 148), (8.3, 139), (9.5, 141), (10.7, 182), (11.5, 182),
             (12.7, 141), (13.5, 141)]  # fmt: skip
    t, u = _signal(knots, 30, noise=0.8)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 3
    assert [round(r.peak_u - r.start_u) for r in found.counted] == pytest.approx(
        [43, 10, 41], abs=3
    )


@pytest.mark.parametrize("tempo", [0.5, 1.0, 2.0])
def test_tempo_does_not_change_the_count(tempo: float) -> None:
    knots = [(t * tempo, v) for t, v in HIGH_OBLIQUE]
    t, u = _signal(knots, 30, noise=1.0)
    assert len(segment(t, u, BRIDGE).counted) == 3


def test_a_long_gap_mid_rep_cuts_it_and_the_next_opening_is_partial() -> None:
    t, u = _signal(HIGH_OBLIQUE, 30, noise=1.0)
    u = u.copy()
    u[(t > 5.9) & (t < 7.0)] = np.nan  # the person lost at the top of rep 2
    found = segment(t, u, BRIDGE)
    # Rep 2 rose before the gap (counted, cut there); after it the signal opens at the top
    # and comes down: a partial rep, not a fourth.
    assert len(found.counted) == 3
    assert found.partial == 1


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_rep_the_model_loses_at_its_top_goes_on_through_the_gap(fps: float) -> None:
    # Two bridges held 4 s; the model finds nobody for 2 s in the middle of the second hold.
    # The hips are up on both sides of the gap: one rep held through it, not a rep cut at the
    # gap and a partial one after it.
    knots = [(0.0, 134), (1.0, 134), (2.0, 190), (6.0, 190), (7.0, 134), (9.0, 134),
             (10.0, 190), (14.0, 190), (15.0, 134), (17.0, 134)]  # fmt: skip
    t, u = _signal(knots, fps, noise=1.0)
    u, blank = _unseen(t, u, 11.0, 13.0, Blank.LOST)
    found = segment(t, u, BRIDGE, bridge=blank)
    assert len(found.counted) == 2
    assert found.partial == 0
    second = found.counted[1]
    assert second.top_enter_s is not None and second.top_exit_s is not None
    assert second.top_enter_s < 11.0 and second.top_exit_s > 13.0


def test_doubted_frames_do_not_split_a_hold() -> None:
    t, u = _signal(HIGH_OBLIQUE, 30, noise=1.0)
    u = u.copy()
    doubted = (t > 5.9) & (t < 7.6)
    u[doubted] = np.nan
    found = segment(t, u, BRIDGE, bridge=doubted)
    assert len(found.counted) == 3
    assert found.partial == 0


def test_a_rise_still_under_way_when_the_clip_ends_is_partial() -> None:
    # One full rep, then the clip ends while the hips are still going up: no top yet.
    knots = [(0.0, 140), (1.0, 140), (2.2, 178), (3.0, 178), (4.2, 140), (5.5, 140),
             (6.5, 165)]  # fmt: skip
    t, u = _signal(knots, 30, noise=0.8)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 1
    assert found.partial == 1 and found.reps[-1].cut


BIRD_DOG = builtin("bird_dog").counting


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_the_model_losing_a_held_leg_for_two_frames_is_no_second_rep(fps: float) -> None:
    # A bird-dog's raised leg (hip 85 -> 160 deg, 3 s held) that the model drops to 100 for
    # two frames mid-hold (it swaps or loses the leg, 40-60 deg off side-on): at 10 fps that
    # is 0.2 s, which the median keeps. No leg is lowered and raised again that fast.
    t, u = _signal([(0.0, 85), (1.0, 85), (2.0, 160), (5.0, 160), (6.0, 85), (7.5, 85)], fps)
    u = u.copy()
    mid = int(np.searchsorted(t, 3.5))
    u[mid : mid + 2] = 100.0
    found = segment(t, u, BIRD_DOG)
    assert len(found.counted) == 1
    assert found.partial == 0


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_leg_lowered_and_raised_again_quickly_is_two_reps(fps: float) -> None:
    # The same leg down for half a second between two holds, and up again: two reps.
    knots = [(0.0, 85), (1.0, 85), (1.8, 160), (3.0, 160), (3.6, 85), (4.1, 85), (4.7, 160),
             (6.0, 160), (6.8, 85), (8.0, 85)]  # fmt: skip
    t, u = _signal(knots, fps, noise=1.0)
    found = segment(t, u, BIRD_DOG)
    assert len(found.counted) == 2


TILT = builtin("pelvic_tilt").counting
# Three short tilts of 16 units (the tilt index), 1.4 s each, 3.5 s apart, from a rest at 0.
TILTS = [(1.9, 0), (2.2, 16), (3.6, 16), (3.9, 0), (5.4, 0), (5.7, 16), (7.1, 16), (7.4, 0),
         (8.9, 0), (9.2, 16), (10.6, 16), (10.9, 0), (12.0, 0)]  # fmt: skip


def test_the_tracks_first_frames_are_no_rest_to_rise_from() -> None:
    # MediaPipe's track starts from the detector's box and settles on the body in a few
    # frames: the shared tabletop tilt clip opens 8-9 units below the rest it keeps, half
    # its tilts' size. The first tilt, risen from the rest seen after that, counts.
    t, u = _signal([(0.0, -10), (0.3, 0), *TILTS], 30, noise=0.3)
    found = segment(t, u, TILT)
    assert len(found.counted) == 3
    assert found.partial == 0
    assert found.counted[0].start_s == pytest.approx(1.9, abs=0.3)


def test_a_rep_rising_from_the_first_frames_still_counts() -> None:
    # No settled rest before it (a continuous bridge filmed from its first frame, as the
    # second set's bridge clip): the rise is measured from the clip's first frames.
    knots = [(0.0, 140), (0.1, 140), (0.7, 178), (1.7, 178), (2.5, 140), (3.0, 140),
             (3.8, 178), (4.6, 178), (5.4, 140), (6.0, 140)]  # fmt: skip
    t, u = _signal(knots, 30, noise=1.0)
    found = segment(t, u, BRIDGE)
    assert len(found.counted) == 2
    assert found.partial == 0


# Long holds, short rests: 10-s tilts with 3 s between them, the tilt index 9 units up.
HELD_TILTS = [(4.4, 0), (4.8, 9), (16.8, 9), (17.2, 0), (20.2, 0), (20.6, 9), (32.6, 9),
              (33.0, 0), (35.0, 0)]  # fmt: skip


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_clip_opening_mid_hold_keeps_the_rest_it_closes_on(fps: float) -> None:
    # The clip opens in the last moments of a hold (most of a set is spent holding): its
    # opening alone would make the held level the rest and the rests the holds. It closes
    # at rest, which settles the direction: two holds counted, the opening one partial.
    t, u = _signal([(0.0, 9), (0.6, 9), (1.0, 0), *HELD_TILTS], fps, noise=0.4)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    assert found.partial == 1
    assert [r.peak_s for r in found.counted] == pytest.approx([10.8, 26.6], abs=6.0)
    assert found.rest == pytest.approx(0.0, abs=1.0)


@pytest.mark.parametrize("fps", [10, 15, 30])
@pytest.mark.parametrize("cut_after_s", [0.1, 0.2, 0.4])
def test_a_clip_cut_just_after_the_last_return_still_closes_at_rest(
    fps: float, cut_after_s: float
) -> None:
    # The same clip, trimmed a moment after the last tilt comes back down (a tight edit):
    # the level it closes on is where the body is as it ends, at rest, not the last hold.
    knots = [(0.0, 9), (0.6, 9), (1.0, 0), *HELD_TILTS[:-1], (33.0 + cut_after_s, 0)]
    t, u = _signal(knots, fps, noise=0.4)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    assert found.partial == 1
    assert found.rest == pytest.approx(0.0, abs=1.0)


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_patient_whose_tilt_goes_down_is_counted_from_the_rest_at_both_edges(
    fps: float,
) -> None:
    # The same holds in a signal whose tilt lowers it (which way the parts move differs
    # between people): both edges rest high, so the tilts are the dips.
    t, u = _signal([(0.0, 0), *HELD_TILTS], fps, noise=0.4)
    found = segment(t, -u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    assert found.partial == 0


# Cat-cow from a camera off side-on and above the mat: the cow reads five times the cat, and
# the patient rests between swings a little above the clip's median (head height, torso).
LOPSIDED = [
    (0.0, -0.08), (1.0, -0.08), (2.0, 0.06), (4.0, 0.06), (5.0, 0.38), (6.5, 0.38),
    (8.0, -0.08), (11.0, -0.08), (12.0, 0.06), (15.0, 0.06), (16.0, 0.38), (17.5, 0.38),
    (19.0, -0.08), (22.0, -0.08), (23.0, 0.07), (25.0, 0.07),
]  # fmt: skip


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_rest_the_clip_ends_on_just_past_the_centre_is_no_half_cycle(fps: float) -> None:
    from formcheck.analysis.segment import segment_cycles

    t, v = _signal(LOPSIDED, fps, noise=0.004)
    found = segment_cycles(t, v, builtin("cat_cow").counting)
    # The opening cat and two cow-cat cycles: two cycles and a partial; the closing rest
    # does not make the last cat a cycle.
    assert len(found.counted) == 2
    assert found.partial == 1


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_the_trackers_first_frames_are_no_turn_of_a_cycle(fps: float) -> None:
    from formcheck.analysis.segment import segment_cycles

    # The model's track opens 0.07 torso below the rest it settles on within half a second
    # (VIDEO mode starts from the detector's box), then two cow-cat cycles and a cow the
    # clip ends in: two cycles and a partial, not a third cycle made of the opening.
    knots = [
        (0.0, -0.09), (0.5, -0.02), (1.0, -0.02), (1.8, 0.20), (2.4, 0.20), (3.4, -0.23),
        (4.4, -0.23), (5.4, -0.02), (8.0, -0.02), (8.8, 0.19), (9.4, 0.19), (10.4, -0.23),
        (12.0, -0.23), (13.2, -0.02), (15.4, -0.02), (16.2, 0.19), (17.0, 0.19), (17.5, 0.10),
    ]  # fmt: skip
    t, v = _signal(knots, fps, noise=0.004)
    found = segment_cycles(t, v, builtin("cat_cow").counting)
    assert len(found.counted) == 2
    assert found.partial == 1


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_tilt_after_a_sigh_and_a_pause_is_no_drift(fps: float) -> None:
    # After the first hold the patient sighs (the index dips 8 below rest), settles back at
    # rest for 3 s and tilts again in half a second: timed from the sigh's low, that lift
    # took over 3 s, the definition's limit for drift, and the hold was not counted.
    knots = [(0.0, 0), (1.0, 0), (1.4, 10), (11.4, 10), (11.8, 0), (12.6, 0), (12.9, -8),
             (13.3, -8), (13.7, 0), (16.7, 0), (17.2, 10), (27.2, 10), (27.6, 0),
             (29.0, 0)]  # fmt: skip
    t, u = _signal(knots, fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    assert not any(r.too_slow for r in found.reps)


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_tilt_that_creeps_up_over_ten_seconds_is_drift(fps: float) -> None:
    # The same hold reached by a steady creep from rest: landmarks drifting, not a tilt.
    knots = [(0.0, 0), (2.0, 0), (12.0, 10), (22.0, 10), (22.4, 0), (24.0, 0)]
    t, u = _signal(knots, fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert not found.counted
    assert any(r.too_slow for r in found.reps)


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_tilt_after_a_shuffle_that_shifts_the_rest_is_no_drift(fps: float) -> None:
    # Between two held tilts the patient shuffles along the mat: the picture's signal steps
    # up a quarter of a tilt and stays there, still, for 2.5 s; then a brisk tilt. Timed
    # from the rest before the shuffle, that tilt took 4 s to rise and read as drift.
    knots = [(0.0, 0), (2.0, 0), (3.0, 12), (13.0, 12), (14.0, 0), (15.0, 0), (15.5, 3),
             (18.0, 3), (19.2, 12), (29.2, 12), (30.2, 0), (32.0, 0)]  # fmt: skip
    t, u = _signal(knots, fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    assert not any(r.too_slow for r in found.reps)


def _brisk_set(gaps: list[float], rise: float = 12.0) -> list[tuple[float, float]]:
    """Tilts up in 0.5 s and straight back down, each starting ``gaps`` apart, after 2 s
    lying still; 2 s still after the last."""
    knots, t = [(0.0, 0.0)], 2.0
    for gap in gaps:
        knots += [(t, 0.0), (t + 0.5, rise), (t + 1.0, 0.0)]
        t += gap
    knots.append((t + 2.0, 0.0))
    return knots


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_brisk_set_of_tilts_with_no_hold_is_counted(fps: float) -> None:
    # Six tilts, none held the second a lone tilt needs: they keep one pace and one size,
    # far above the landmarks' jitter, so they are a set, each one counted.
    t, u = _signal(_brisk_set([1.5] * 6), fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert len(found.counted) == 6
    assert [r.start_s for r in found.counted] == pytest.approx(
        [2.0 + 1.5 * k for k in range(6)], abs=0.3
    )


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_quick_fidgets_out_of_time_are_not_a_set(fps: float) -> None:
    # Three quick movements as big as a tilt, but 4.5, 1.5 and 7 s apart: fidgets, not reps.
    t, u = _signal(_brisk_set([4.5, 1.5, 7.0, 1.5]), fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert not found.counted


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_a_quick_movement_between_long_holds_is_not_one_of_a_set(fps: float) -> None:
    # Three 10-s holds and, between the second and the third, a one-second bump (a sigh) of
    # like size, its peak in time with the holds' peaks: a 1-s movement is not one of a set
    # of 10-s holds.
    knots = [(0.0, 0), (2.0, 0), (3.0, 10), (7.0, 11), (11.0, 10), (12.0, 0), (14.0, 0),
             (15.0, 10), (19.0, 11), (23.0, 10), (24.0, 0), (30.5, 0), (31.0, 8), (31.5, 0),
             (34.0, 0), (35.0, 10), (39.0, 11), (43.0, 10), (44.0, 0), (46.0, 0)]  # fmt: skip
    t, u = _signal(knots, fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert [r.peak_s for r in found.counted] == pytest.approx([7.0, 19.0, 39.0], abs=1.5)


@pytest.mark.parametrize("fps", [10, 15, 30])
def test_quick_movements_of_unlike_size_are_not_a_set(fps: float) -> None:
    # Evenly spaced, but one three times the size of the others (a sigh among small shifts).
    knots = _brisk_set([1.5] * 4, rise=8.0)
    knots[5] = (knots[5][0], 24.0)  # the second movement's top
    t, u = _signal(knots, fps, noise=0.3)
    found = segment(t, u, TILT, plateau=TILT.hold_plateau)
    assert not found.counted


def _folded(knots: list[tuple[float, float]], fps: float) -> tuple[np.ndarray, np.ndarray]:
    """A child's pose hip fold through ``knots`` (kneeling ~100 deg, folded ~25), oriented
    for its downward hold."""
    t, fold = _signal(knots, fps, noise=1.0)
    return t, -fold


FOLD_IN = [(0.0, 100), (1.0, 100), (3.0, 25)]


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
def test_the_model_flipping_a_folded_body_for_seconds_does_not_split_the_hold(
    fps: float,
) -> None:
    # Folded from 3 s to 14 s; from 6 to 8.5 s the model reads the trunk the wrong way round
    # (the fold jumps to 140 deg between two frames and back): no body unfolds that fast.
    t, u = _folded(
        [*FOLD_IN, (6.0, 25), (6.01, 140), (8.5, 140), (8.51, 25), (14.0, 25), (16.0, 100)], fps
    )
    found = segment_levels(t, u, CHILDS)
    assert len(found.counted) == 1
    assert found.counted[0].top_exit_s == pytest.approx(14.4, abs=0.5)


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
@pytest.mark.parametrize("jump_out", [False, True])
def test_coming_up_between_two_holds_is_two_holds(fps: float, jump_out: bool) -> None:
    # Up on the knees for 2.5 s between two holds, refolding over a second: two holds, even
    # when the model jumps as the body unfolds.
    up = [(6.0, 25), (6.01, 100)] if jump_out else [(6.0, 25), (7.0, 100)]
    t, u = _folded([*FOLD_IN, *up, (9.5, 100), (10.5, 25), (14.0, 25), (16.0, 100)], fps)
    assert len(segment_levels(t, u, CHILDS).counted) == 2


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
def test_a_hold_the_clip_opens_in_is_not_split_by_a_flip_either(fps: float) -> None:
    t, u = _folded([(0.0, 25), (5.0, 25), (5.01, 140), (7.5, 140), (7.51, 25), (12.0, 25)], fps)
    assert len(segment_levels(t, u, CHILDS).counted) == 1
    # Live windows open on the tail of a closed hold: there the guard keeps them apart.
    assert len(segment_levels(t, u, CHILDS, openings=False).counted) == 2


def _unseen(
    t: np.ndarray, u: np.ndarray, a: float, b: float, why: Blank
) -> tuple[np.ndarray, np.ndarray]:
    """No reading from ``a`` to ``b`` s, for the reason ``why``: the signal and its blanks."""
    gap = (t >= a) & (t < b)
    return np.where(gap, np.nan, u), np.where(gap, why, Blank.SPLIT)


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
@pytest.mark.parametrize("lost_s", [1.5, 3.0, 5.0])
def test_a_hold_the_model_loses_for_seconds_is_one_hold(fps: float, lost_s: float) -> None:
    # Folded from 3 s to 14 s; from 6 s the model finds nobody for lost_s (face down).
    t, u = _folded([*FOLD_IN, (14.0, 25), (16.0, 100)], fps)
    u, blank = _unseen(t, u, 6.0, 6.0 + lost_s, Blank.LOST)
    found = segment_levels(t, u, CHILDS, bridge=blank)
    assert len(found.counted) == 1
    assert found.counted[0].top_exit_s == pytest.approx(14.4, abs=0.5)  # held through it
    # Live windows join it too: only a flipped reading needs the hold to be seen entered.
    assert len(segment_levels(t, u, CHILDS, bridge=blank, openings=False).counted) == 1


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
def test_a_gap_where_the_body_was_seen_out_of_the_position_still_splits(fps: float) -> None:
    # The same gap, but its frames were seen: sitting up (the trunk upright, no measurement).
    t, u = _folded([*FOLD_IN, (14.0, 25), (16.0, 100)], fps)
    u, blank = _unseen(t, u, 6.0, 9.0, Blank.SPLIT)
    assert len(segment_levels(t, u, CHILDS, bridge=blank).counted) == 2


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
@pytest.mark.parametrize("lost", [(6.5, 9.5), (5.0, 8.0), (8.0, 10.8), (6.5, 10.0)])
def test_coming_up_while_the_model_loses_the_body_is_still_two_holds(
    fps: float, lost: tuple[float, float]
) -> None:
    # Up on the knees from 6 to 9.5 s between two holds; nobody is found over part of it:
    # the unfolding, the kneeling or the refolding is seen, and it stays two holds. Last:
    # both edges of the gap are still in the position, the body on its way out and back in.
    t, u = _folded([*FOLD_IN, (6.0, 25), (7.0, 100), (9.5, 100), (10.5, 25), (14.0, 25),
                    (16.0, 100)], fps)  # fmt: skip
    u, blank = _unseen(t, u, *lost, Blank.LOST)
    assert len(segment_levels(t, u, CHILDS, bridge=blank).counted) == 2


@pytest.mark.parametrize("fps", [5, 10, 15, 30])
def test_the_models_first_frames_after_it_finds_the_body_again_do_not_end_the_hold(
    fps: float,
) -> None:
    # The tracker restarts from the detector's box and reads the fold wrong for a frame or
    # two (unfolded, 120 deg) before it settles on the folded body.
    t, u = _folded([*FOLD_IN, (8.0, 25), (8.01, 120), (8.2, 120), (8.21, 25), (14.0, 25),
                    (16.0, 100)], fps)  # fmt: skip
    u, blank = _unseen(t, u, 6.0, 8.0, Blank.LOST)
    assert len(segment_levels(t, u, CHILDS, bridge=blank).counted) == 1


@pytest.mark.parametrize("fps", [10, 15, 30])
@pytest.mark.parametrize("lost_s", [1.5, 3.0])
def test_a_tilt_held_while_the_model_finds_nobody_is_one_hold(fps: float, lost_s: float) -> None:
    # Nobody is found for lost_s in the middle of the first 12-s hold: one hold, held through
    # it (a hold cut by the gap and another the next run opens in would be two).
    t, u = _signal([(0.0, 0), *HELD_TILTS], fps, noise=0.3)
    u, blank = _unseen(t, u, 10.8 - lost_s / 2, 10.8 + lost_s / 2, Blank.LOST)
    found = segment(t, u, TILT, bridge=blank, plateau=TILT.hold_plateau)
    assert len(found.counted) == 2
    first = found.counted[0]
    assert first.top_exit_s is not None and first.top_enter_s is not None
    assert first.top_exit_s - first.top_enter_s > 11.0
