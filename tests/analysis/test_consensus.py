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


def test_signs_follow_how_the_parts_move_together():
    rng = np.random.default_rng(1)
    move = np.sin(np.linspace(0, 6 * np.pi, 300))
    a = 4 * move + rng.normal(0, 0.3, 300)
    b = -6 * move + rng.normal(0, 0.3, 300)  # against a
    c = 0.07 * move + rng.normal(0, 0.005, 300)  # with a, another unit
    assert learn_signs([a, b, c], [1, -1, 1]) == (1, -1, 1)
    # This person's b moves with a: learned, whatever the usual sign says.
    assert learn_signs([a, -b, c], [1, -1, 1]) == (1, 1, 1)
    # The movement's direction is not the parts' business: oriented to the usual signs.
    assert learn_signs([a, b, c], [-1, 1, -1]) == (-1, 1, -1)


def test_too_few_frames_keep_the_usual_signs():
    move = np.sin(np.linspace(0, 2 * np.pi, MIN_FRAMES - 1))
    assert learn_signs([move, move], [1, -1]) == (1, -1)
    use = np.zeros(300, dtype=bool)
    long = np.sin(np.linspace(0, 6 * np.pi, 300))
    assert learn_signs([long, long], [1, -1], use) == (1, -1)


def _readings(builder, value: float) -> dict[str, float]:
    """The pelvic-tilt signals a still pose reads."""
    analyzer = ExerciseAnalyzer(builtin("pelvic_tilt"))
    for frame in sequence(lambda t: value, duration=0.5, builder=builder):
        analyzer.step(frame)
    result = analyzer.finish()
    return {n: float(result.series[n][-1]) for n in ("hip_angle", "knee_angle", "knee_reach")}


def _knee_tilt(shoulder_turn_deg: float):
    """A supine pose builder taking a tilt's progress ``s`` (0 rest, 1 held): the knee slides
    8 px towards the foot along the shin and the shoulders turn about the hip by
    ``shoulder_turn_deg`` times ``s`` (the hip angle moving one way or the other)."""

    def build(s: float, **kwargs) -> np.ndarray:
        xy = supine_pose(REST, **kwargs).copy()
        turn = math.radians(shoulder_turn_deg * s)
        rot = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
        for side in ("LEFT", "RIGHT"):
            knee, ankle = Landmark[f"{side}_KNEE"], Landmark[f"{side}_ANKLE"]
            shin = xy[ankle, :2] - xy[knee, :2]
            xy[knee, :2] += 8.0 * s * shin / np.linalg.norm(shin)
            hip = xy[Landmark[f"{side}_HIP"], :2].copy()
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
