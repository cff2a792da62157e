"""Which registered exercise is being done: posture first, then each one's own cues.

Posture picks the candidates (each definition names its ``position``: lying on
the back, on all fours, kneeling); the cues in each definition's
``[recognition]`` decide between them (a bridge lifts the hips through tens of
degrees, or holds them high in a photo; a bird-dog straightens a leg behind).
Every analyzer runs on the same stream, so recognition costs no second pass.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.analyzer import AnalysisResult
from formcheck.exercises.rules import parse_cue
from formcheck.landmarks import Side
from formcheck.signals.geometry import joint_angle
from formcheck.signals.measure import point, torso_length
from formcheck.signals.view import UPRIGHT_DEG, torso_inclination

# Lying on the back the arms lie along the body, pointing past the hips: 120-165 deg from the
# trunk's head-ward direction (per-clip medians of every rendered supine clip, any camera).
# On all fours they reach down (75-105) and in a bird-dog or child's pose forward; a child's
# pose with the arms back along the legs has them there too, but is folded at the hips, and
# a push-up's bent arms can, but its legs are straight (a real incline push-up reads 143),
# where every supine exercise here keeps the feet planted near the hips (the knees read
# 60-105 deg on rendered bridges, tilts and knee-to-chests).
ARMS_ALONG_DEG = 115.0
HIPS_OPEN_DEG = 90.0
KNEES_BENT_DEG = 125.0
# Kneeling forward (child's pose) both arms reach on past the head: the farther of them
# within 60 deg of the trunk's head-ward direction on most rendered child's poses (per-clip
# medians 8-132, half under 52: bent arms read higher); on all fours the arms stand under
# the shoulders (76-119 on every rendered cat-cow and bird-dog), so under 60 is no table.
ARMS_FORWARD_DEG = 60.0


def _angle_3d(u: np.ndarray, v: np.ndarray) -> float:
    cos = float(np.dot(u, v)) / float(np.linalg.norm(u) * np.linalg.norm(v) or 1.0)
    return math.degrees(math.acos(max(-1.0, min(1.0, cos))))


@dataclass(frozen=True)
class BodyAngles3D:
    """One frame's angles in the body's own frame (the same from any camera), degrees."""

    arms: tuple[float, float]  # each arm (shoulder -> wrist) from the trunk's head-ward way
    hips: float  # the thighs from the trunk's head-ward way
    knees: float  # at the knees' midpoint

    @classmethod
    def of(cls, world: np.ndarray) -> BodyAngles3D:
        mid = {p: (world[point(p, Side.LEFT)] + world[point(p, Side.RIGHT)]) / 2
               for p in ("shoulder", "hip", "knee", "ankle")}  # fmt: skip
        headward = mid["shoulder"] - mid["hip"]
        left, right = (
            _angle_3d(headward, world[point("wrist", s)] - world[point("shoulder", s)])
            for s in Side
        )
        return cls(
            arms=(left, right),
            hips=_angle_3d(headward, mid["knee"] - mid["hip"]),
            knees=_angle_3d(mid["hip"] - mid["knee"], mid["ankle"] - mid["knee"]),
        )

    def lying_with_arms_along(self) -> bool:
        """Arms along the trunk towards the hips, hips open, knees bent."""
        return (
            min(self.arms) >= ARMS_ALONG_DEG
            and self.hips >= HIPS_OPEN_DEG
            and self.knees <= KNEES_BENT_DEG
        )

    def arms_reaching_forward(self) -> bool:
        """Both arms reach on past the head (kneeling folded forward)."""
        return max(self.arms) < ARMS_FORWARD_DEG


def classify_posture(
    xy: np.ndarray, vis: np.ndarray, near: Side, world: np.ndarray | None = None
) -> str | None:
    """One frame's posture: ``supine``, ``tabletop``, ``kneeling``, ``upright`` or None.

    The picture decides, but a body the picture reads as on all fours or kneeling (a camera
    above the mat or far round makes a lying body's knees look low) is lying on its back
    when its 3D pose has the arms along the trunk, the hips open and the knees bent; and one
    it reads as on all fours is kneeling forward when both arms reach on past the head."""
    hip = xy[point("hip", near)]
    knee, ankle = xy[point("knee", near)], xy[point("ankle", near)]
    torso = torso_length(xy, vis, near, min_vis=0.0)
    if not torso > 0:
        return None
    if abs(torso_inclination(xy, near)) > UPRIGHT_DEG:
        return "upright"
    if float(knee[1]) < float(hip[1]) - 0.15 * torso:
        return "supine"  # knees bent up above the hips
    body = BodyAngles3D.of(world) if world is not None and np.all(np.isfinite(world)) else None
    if body is not None and body.lying_with_arms_along():
        return "supine"
    knee_angle = float(joint_angle(hip, knee, ankle))
    if knee_angle < 70:
        return "kneeling"  # sitting back towards the heels
    if body is not None and body.arms_reaching_forward():
        return "kneeling"  # folded forward with the hips off the heels
    return "tabletop"


FLOOR_POSITIONS = ("supine", "tabletop", "kneeling")


@dataclass(frozen=True)
class Recognition:
    exercise: str
    confidence: float
    posture_share: dict[str, float]
    reason: str
    matched: bool = True  # False: flagged as none of the registered exercises


class PostureTally:
    """Counts postures frame by frame (constant memory)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(
        self,
        xy: np.ndarray | None,
        vis: np.ndarray | None,
        near: Side,
        world: np.ndarray | None = None,
    ) -> None:
        if xy is None or vis is None:
            return
        posture = classify_posture(xy, vis, near, world)
        if posture is not None:
            self.counts[posture] += 1

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values())
        return {k: v / total for k, v in self.counts.items()} if total else {}


def _statistic(result: AnalysisResult, stat: str, signal: str | None) -> float:
    """A cue's statistic over the clip: robust percentiles, so a few bad frames don't decide."""
    if stat == "count":
        return float(len(result.reps))
    arr = np.asarray(result.series.get(signal or "", []), dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        return math.nan
    hi, lo = float(np.percentile(arr, 97)), float(np.percentile(arr, 3))
    return {"high": hi, "low": lo, "range": hi - lo}[stat]


_OPS = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}


def _strength(value: float, op: str, threshold: float) -> float:
    """How clearly a cue is met: 0 not met, 0.5 just met, 1 met by a quarter of its threshold
    (or by one unit for a threshold of zero) or more."""
    if math.isnan(value) or not _OPS[op](value, threshold):
        return 0.0
    margin = abs(value - threshold) / max(abs(threshold) * 0.25, 1.0)
    return 0.5 + 0.5 * min(1.0, margin)


@dataclass(frozen=True)
class CueReading:
    text: str
    strength: float  # of the best alternative; 0 when none holds
    shown: str  # what was measured, for the reason line


def read_cues(result: AnalysisResult, cues: tuple[str, ...] | None = None) -> list[CueReading]:
    """Each recognition cue (by default the exercise's own), measured on its own analysis
    of the clip."""
    out = []
    for text in result.exercise.recognition.cues if cues is None else cues:
        best, shown = 0.0, ""
        for stat, signal, op, value, unit in parse_cue(text):
            measured = _statistic(result, stat, signal)
            strength = _strength(measured, op, value)
            label = f"{stat} {signal}" if signal else stat
            if not shown or strength > best:
                best, shown = strength, f"{label} {measured:.3g}{' ' + unit if unit else ''}"
        out.append(CueReading(text, best, shown))
    return out


def recognize(tally: PostureTally, results: dict[str, AnalysisResult]) -> Recognition:
    """Pick the exercise from the posture seen and each candidate's own cues (data).

    The candidates are the exercises defined in the posture seen most (or with a variant
    done in it, judged on the variant's cues); among those whose cues all hold, the most
    specific (most cues) wins, then the clearest; an exercise without cues is its
    position's default. Nothing here names an exercise.
    """
    shares = tally.shares()
    order = list(results)
    floor = {p: shares.get(p, 0.0) for p in FLOOR_POSITIONS}
    if not any(floor.values()):
        return Recognition(order[0], 0.0, shares, "no floor posture seen", matched=False)
    position = max(floor, key=lambda p: floor[p])
    share = floor[position]
    cues = {i: results[i].exercise.recognition_cues(position) for i in order}
    candidates = [i for i in order if cues[i] is not None]
    if not candidates:
        return Recognition(order[0], 0.0, shares, f"{position}: no exercise", matched=False)
    readings = {i: read_cues(results[i], cues[i]) for i in candidates}
    matched = [i for i in candidates if all(r.strength > 0 for r in readings[i])]
    if not matched:
        # Nearest miss, flagged: the posture fits but the movement is none of these.
        near = max(candidates, key=lambda i: sum(r.strength > 0 for r in readings[i]))
        missed = "; ".join(r.shown for r in readings[near] if r.strength == 0)
        return Recognition(near, 0.0, shares, f"{position}; but {missed}", matched=False)
    best = max(
        matched,
        key=lambda i: (len(readings[i]), min((r.strength for r in readings[i]), default=1.0)),
    )
    held = readings[best]
    if held:
        strength = min(r.strength for r in held)
        why = ", ".join(r.shown for r in held)
    else:
        # The position's default: none of its more specific neighbours' cues held.
        strength = 1.0
        why = "; ".join(f"not {r.shown}" for i in candidates if i != best for r in readings[i])
    return Recognition(best, share * strength, shares, f"{position}" + (f"; {why}" if why else ""))
