"""Which of the five exercises is being done: posture first, then movement.

Posture splits the programme in three (lying on the back: bridge or pelvic
tilt; on all fours: bird-dog or cat-cow; kneeling folded: child's pose);
movement decides within a pair (a bridge lifts the hips by tens of degrees,
a tilt by a few; a bird-dog straightens a leg behind, a cat-cow does not).
Every analyzer runs on the same stream, so recognition costs no second pass.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.analyzer import AnalysisResult
from formcheck.landmarks import Side
from formcheck.signals.geometry import joint_angle
from formcheck.signals.measure import point, torso_length

BIRD_DOG_LEG_DEG = 140.0  # shoulder-hip-knee: ~90-110 on all fours, 170-180 leg straight back

POSITION_OF = {
    "bridge": "supine",
    "pelvic_tilt": "supine",
    "bird_dog": "tabletop",
    "cat_cow": "tabletop",
    "childs_pose": "kneeling",
}


def classify_posture(xy: np.ndarray, vis: np.ndarray, near: Side) -> str | None:
    """One frame's posture: ``supine``, ``tabletop``, ``kneeling``, ``upright`` or None."""
    sh, hip = xy[point("shoulder", near)], xy[point("hip", near)]
    knee, ankle = xy[point("knee", near)], xy[point("ankle", near)]
    torso = torso_length(xy, vis, near, min_vis=0.0)
    if not torso > 0:
        return None
    d = sh - hip
    incl = math.degrees(math.atan2(-float(d[1]), abs(float(d[0]))))
    if abs(incl) > 60:
        return "upright"
    if float(knee[1]) < float(hip[1]) - 0.15 * torso:
        return "supine"  # knees bent up above the hips
    knee_angle = float(joint_angle(hip, knee, ankle))
    if knee_angle < 70:
        return "kneeling"  # sitting back towards the heels
    return "tabletop"


@dataclass(frozen=True)
class Recognition:
    exercise: str
    confidence: float
    posture_share: dict[str, float]
    reason: str


class PostureTally:
    """Counts postures frame by frame (constant memory)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, xy: np.ndarray | None, vis: np.ndarray | None, near: Side) -> None:
        if xy is None or vis is None:
            return
        posture = classify_posture(xy, vis, near)
        if posture is not None:
            self.counts[posture] += 1

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values())
        return {k: v / total for k, v in self.counts.items()} if total else {}


def _range(result: AnalysisResult, name: str) -> float:
    arr = np.asarray(result.series.get(name, []), dtype=float)
    arr = arr[~np.isnan(arr)]
    if arr.size < 5:
        return 0.0
    return float(np.percentile(arr, 97) - np.percentile(arr, 3))


def recognize(tally: PostureTally, results: dict[str, AnalysisResult]) -> Recognition:
    """Pick the exercise from posture shares and each candidate's movement."""
    shares = tally.shares()
    floor = {p: shares.get(p, 0.0) for p in ("supine", "tabletop", "kneeling")}
    if not any(floor.values()):
        return Recognition("bridge", 0.0, shares, "no floor posture seen")
    position = max(floor, key=lambda p: floor[p])
    share = floor[position]
    if position == "kneeling":
        return Recognition("childs_pose", share, shares, "kneeling, folded over the heels")
    if position == "supine":
        hip_range = _range(results["bridge"], "hip_angle")
        if results["bridge"].reps or hip_range >= 20:
            conf = share * min(1.0, hip_range / 30)
            return Recognition("bridge", conf, shares, f"lying; hips lift {hip_range:.0f} deg")
        conf = share * (1.0 - min(1.0, hip_range / 20) * 0.5)
        return Recognition(
            "pelvic_tilt", conf, shares, f"lying; hips move only {hip_range:.0f} deg"
        )
    leg_peak = max(
        (r.metrics.get("peak.leg_max", 0.0) for r in results["bird_dog"].reps), default=0.0
    )
    # A leg straightening behind is bird-dog; without one, the bird-dog counter's small
    # "reps" (it also counts half lifts) are more likely the limbs shifting in a cat-cow.
    if results["bird_dog"].reps and (leg_peak >= BIRD_DOG_LEG_DEG or not results["cat_cow"].reps):
        conf = share * min(1.0, (leg_peak - 130) / 40) if leg_peak else share * 0.5
        return Recognition(
            "bird_dog", max(conf, 0.0), shares, f"on all fours; a leg extends to {leg_peak:.0f} deg"
        )
    head_range = _range(results["cat_cow"], "head_height")
    conf = share * min(1.0, head_range / 0.2)
    return Recognition(
        "cat_cow", conf, shares, f"on all fours; head swings {head_range:.2f} torso lengths"
    )
