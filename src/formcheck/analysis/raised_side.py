"""Which side of a two-sided signal is raised, each side judged against its own rest.

In an oblique view the two legs (or arms) resting on the floor read different
angles: the far leg of a patient on all fours can read 15-40 deg more than the
near one. Taking the higher raw reading then names the resting leg while the
other lifts half way, and hides most of that lift. Here each side's rest level
is learned while the patient rests; a side's reading is shifted by how far its
rest sits above the lower side's rest, and the higher shifted reading wins.

Live, both limbs count as resting only while they read within a lift of each other, so
that a limb held up is never learned as rest. Filmed obliquely, most of all from above, the
resting readings can sit further apart than that: a recorded clip then learns both rests
from the whole clip (:func:`rests_in_hindsight`).
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.analysis.rest_level import RestLevel
from formcheck.exercises.schema import CountingSpec
from formcheck.landmarks import Side

SIDES = tuple(s.value for s in Side)
REST_WINDOW_S = 30.0  # rest levels from the last half minute (the patient may shift)
REST_STILL_S = 0.3
MIN_REST_FRAMES = 10  # a second of both limbs resting, at the 10 fps a stride may leave


class RaisedSide:
    """The ``side_max`` signal over ``source_left`` / ``source_right``.

    Args:
        source: the each-sided signal's name (values ``{source}_left`` / ``_right``).
        counting: the exercise's counting settings; ``top``, the lift worth counting, in
            the signal's units, tells a raised limb from a resting one.
    """

    def __init__(self, source: str, counting: CountingSpec) -> None:
        self.source = source
        self._lift = abs(counting.top)
        # A resting limb is still for REST_STILL_S, within 40% of a countable lift (landmark
        # jitter and breathing, never a lift).
        self._rest = {
            s: RestLevel(REST_WINDOW_S, needed_s=REST_STILL_S, still_within=0.4 * self._lift)
            for s in SIDES
        }

    def reset(self) -> None:
        for level in self._rest.values():
            level.reset()

    def offsets(self) -> dict[str, float]:
        """How far each side's rest sits above the lower one (0 until both are known)."""
        if not all(level.ready for level in self._rest.values()):
            return dict.fromkeys(SIDES, 0.0)
        rests = {s: level.value() for s, level in self._rest.items()}
        low = min(rests.values())
        return {s: r - low for s, r in rests.items()}

    def update(self, t: float, values: dict[str, float]) -> tuple[float, str | None]:
        """This frame's value and winning side (NaN, None when neither side is seen).

        Both limbs are resting when both are seen and neither reads a countable lift above
        the other (an oblique view puts the two resting readings apart by less): only those
        frames teach the rest levels, so a clip that opens with a limb held up does not make
        it "rest". No counter phase is needed for that, so the signal does not depend on it.
        """
        readings = {s: values.get(f"{self.source}_{s}", math.nan) for s in SIDES}
        seen = [v for v in readings.values() if not math.isnan(v)]
        if len(seen) == len(SIDES) and max(seen) - min(seen) < self._lift:
            for s, v in readings.items():
                self._rest[s].add(t, v)
        offsets = self.offsets()
        shifted = {s: v - offsets[s] for s, v in readings.items() if not math.isnan(v)}
        if not shifted:
            return math.nan, None
        best = max(shifted, key=lambda s: shifted[s])
        return shifted[best], best


def rests_in_hindsight(
    left: np.ndarray, right: np.ndarray, lift: float, use: np.ndarray
) -> dict[str, float] | None:
    """Each side's rest level over a whole recorded clip (None: no rest of both was seen).

    Both limbs rest where the pair's summed reading is lowest: only one limb of a pair lifts
    at a time (the other bears the weight), and a lift raises its own reading more than it
    moves the other's. That holds however far apart the view puts the two resting readings,
    which the live rule cannot tell from one limb held up. Resting limbs are still: where
    either side's readings there spread wider than the live rule's stillness (a limb the
    camera sees only when the other one lifts), there was no rest of both to learn from.
    """
    both = use & np.isfinite(left) & np.isfinite(right)
    if not both.any():
        return None
    left, right = left[both], right[both]
    total = left + right
    still = 0.4 * lift
    resting = total <= np.percentile(total, 10) + still
    rests = {}
    for side, values in (("left", left[resting]), ("right", right[resting])):
        low, high = np.percentile(values, [10, 90])
        if values.size < MIN_REST_FRAMES or high - low > still:
            return None
        rests[side] = float(np.median(values))
    return rests


def raised_in_hindsight(
    left: np.ndarray, right: np.ndarray, rests: dict[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The side_max signal per frame, and whether the left side won it (NaN, False where
    neither side is seen)."""
    low = min(rests.values())
    shifted_l, shifted_r = left - (rests["left"] - low), right - (rests["right"] - low)
    left_won = np.nan_to_num(shifted_l, nan=-np.inf) >= np.nan_to_num(shifted_r, nan=-np.inf)
    value = np.fmax(shifted_l, shifted_r)
    return value, left_won & ~np.isnan(value)
