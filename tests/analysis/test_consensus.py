"""Consensus signals: parts that move together, each its own way (pelvic tilt)."""

from __future__ import annotations

import math

import numpy as np

from factories import profile, sequence, supine_pose
from formcheck.analysis.analyzer import AnalysisResult, ExerciseAnalyzer
from formcheck.analysis.consensus import MIN_FRAMES, learn_signs
from formcheck.exercises.loader import builtin
from formcheck.landmarks import Landmark

REST = 135.0


def test_a_learned_part_joins_the_way_it_moves_with_the_others():
    rng = np.random.default_rng(1)
    move = np.sin(np.linspace(0, 6 * np.pi, 300))
    a = 4 * move + rng.normal(0, 0.3, 300)
    b = -6 * move + rng.normal(0, 0.3, 300)  # against the movement, as b's usual sign says
    c = 0.07 * move + rng.normal(0, 0.005, 300)  # with it, another unit
    learn_a = [True, False, False]
    assert learn_signs([a, b, c], [1, -1, 1], learn_a) == (1, -1, 1)
    # This person's a moves against the others: learned, whatever its usual sign says.
    assert learn_signs([-a, b, c], [1, -1, 1], learn_a) == (-1, -1, 1)
    assert learn_signs([a, b, c], [-1, -1, 1], learn_a) == (1, -1, 1)


def test_parts_with_known_signs_keep_them_through_a_larger_movement():
    """A shuffle along the mat shifts every part at once, by more than the movement moves
    them: the clip's largest shared movement is not the exercise, and a part whose way is
    known is not turned round by it."""
    rng = np.random.default_rng(2)
    n = 600
    move = np.clip(np.sin(np.linspace(0, 6 * np.pi, n)), 0.0, None)  # three holds
    shuffle = np.where(np.arange(n) >= n // 2, 1.0, 0.0)
    hip = 1.0 * move + 3.0 * shuffle + rng.normal(0, 0.1, n)
    knee = -1.0 * move + 2.0 * shuffle + rng.normal(0, 0.1, n)  # the shuffle opens the knee
    reach = -1.0 * move - 0.5 * shuffle + rng.normal(0, 0.1, n)
    parts, usual = [hip, knee, reach], [1, -1, -1]
    # The clip's main shared movement (its first principal component) is the shuffle: the
    # knee goes with the hip there. Learning every sign from it sums the knee wrong way round.
    x = np.column_stack(parts)
    x = (x - np.median(x, axis=0)) / np.ptp(x, axis=0)
    main = np.linalg.eigh(x.T @ x)[1][:, -1]
    assert np.sign(main[0]) == np.sign(main[1])
    assert learn_signs(parts, usual, [True, False, False])[1:] == (-1, -1)


def test_parts_with_known_signs_moving_clearly_against_each_other_are_all_learned():
    """Filmed well off side-on, the knee angle seen in the picture can open as the knee closes
    and slides towards the foot: the two knee readings then move against each other all
    clip long, and the definition's signs do not hold in this view."""
    rng = np.random.default_rng(3)
    move = np.clip(np.sin(np.linspace(0, 6 * np.pi, 600)), 0.0, None)
    hip = 1.0 * move + rng.normal(0, 0.05, 600)
    knee = 1.0 * move + rng.normal(0, 0.05, 600)  # opens in the picture
    reach = -1.0 * move + rng.normal(0, 0.05, 600)
    assert learn_signs([hip, knee, reach], [1, -1, -1], [True, False, False]) == (1, 1, -1)
    # Noise alone does not: two still knee readings keep their signs.
    still = [rng.normal(0, 0.05, 600) for _ in range(2)]
    assert learn_signs([hip, *still], [1, -1, -1], [True, False, False])[1:] == (-1, -1)


def test_too_few_frames_keep_the_usual_signs():
    move = np.sin(np.linspace(0, 2 * np.pi, MIN_FRAMES - 1))
    assert learn_signs([move, move], [1, -1], [True, False]) == (1, -1)
    use = np.zeros(300, dtype=bool)
    long = np.sin(np.linspace(0, 6 * np.pi, 300))
    assert learn_signs([long, long], [1, -1], [True, False], use) == (1, -1)


def _readings(builder, value: float) -> dict[str, float]:
    """The pelvic-tilt signals a still pose reads."""
    analyzer = ExerciseAnalyzer(builtin("pelvic_tilt"))
    for frame in sequence(lambda t: value, duration=0.5, builder=builder):
        analyzer.step(frame)
    result = analyzer.finish()
    return {n: float(result.series[n][-1]) for n in ("hip_angle", "knee_angle", "knee_reach")}


def _knee_tilt(shoulder_turn_deg: float):
    """A supine pose builder taking a tilt's progress ``s`` (0 rest, 1 held): the knee travels
    8 px along the thigh (the knee closes and slides towards the foot) and the shoulders turn
    about the hip by ``shoulder_turn_deg`` times ``s`` (the hip angle moving either way)."""

    def build(s: float, **kwargs) -> np.ndarray:
        xy = supine_pose(REST, **kwargs).copy()
        turn = math.radians(shoulder_turn_deg * s)
        rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
        for side in ("LEFT", "RIGHT"):
            knee, hip_i = Landmark[f"{side}_KNEE"], Landmark[f"{side}_HIP"]
            thigh = xy[knee, :2] - xy[hip_i, :2]
            xy[knee, :2] += 8.0 * s * thigh / np.linalg.norm(thigh)
            hip = xy[hip_i, :2].copy()
            for part in ("SHOULDER", "ELBOW", "WRIST", "EAR", "NOSE"):
                i = Landmark[f"{part}" if part == "NOSE" else f"{side}_{part}"]
                xy[i, :2] = hip + rot @ (xy[i, :2] - hip)
        return xy

    return build


def _tilts(builder) -> AnalysisResult:
    """Three 10-s tilts, analysed as a recorded clip (in hindsight)."""
    progress = profile([(3.0, 0.0)] + [(1.0, 1.0), (10.0, 1.0), (1.0, 0.0), (3.0, 0.0)] * 3, 0.0)
    analyzer = ExerciseAnalyzer(builtin("pelvic_tilt"))
    for frame in sequence(progress, duration=progress.duration, builder=builder):
        analyzer.step(frame)
    return analyzer.finish(hindsight=True)


def _cancelling_turn() -> float:
    """The shoulder turn whose hip-angle change cancels the knee's signals in the usual sum."""
    spec = builtin("pelvic_tilt").consensus["tilt"]

    def usual_change(turn: float) -> float:
        rest, held = _readings(_knee_tilt(turn), 0.0), _readings(_knee_tilt(turn), 1.0)
        return sum(k * (held[p] - rest[p]) for p, k in zip(spec.parts, spec.signs, strict=True))

    a, b = usual_change(0.0), usual_change(10.0)
    return -a * 10.0 / (b - a)  # the change is linear in small turns


def test_tilts_whose_hip_goes_the_unusual_way_are_counted():
    turn = _cancelling_turn()
    rest, held = _readings(_knee_tilt(turn), 0.0), _readings(_knee_tilt(turn), 1.0)
    moves = {p: held[p] - rest[p] for p in rest}
    # Each part moves clearly, the hip against the usual way: the usual sum cancels.
    assert all(abs(m) >= 1.0 for m in moves.values()), moves
    spec = builtin("pelvic_tilt").consensus["tilt"]
    assert abs(sum(k * moves[p] for p, k in zip(spec.parts, spec.signs, strict=True))) < 0.5
    result = _tilts(_knee_tilt(turn))
    assert len(result.reps) == 3
    assert [r.faults for r in result.reps] == [[], [], []]
