"""Which side of a two-sided signal is raised, each side judged against its own rest.

In an oblique view the two legs (or arms) resting on the floor read different
angles: the far leg of a patient on all fours can read ~15-20 deg more than the
near one. Taking the higher raw reading then names the resting leg while the
other lifts half way, and hides most of that lift. Here each side's rest level
is learned while the patient rests; a side's reading is shifted by how far its
rest sits above the lower side's rest, and the higher shifted reading wins.
"""

from __future__ import annotations

import math

from formcheck.analysis.rest_level import RestLevel
from formcheck.exercises.schema import CountingSpec
from formcheck.landmarks import Side

SIDES = tuple(s.value for s in Side)
REST_WINDOW_S = 30.0  # rest levels from the last half minute (the patient may shift)
REST_STILL_S = 0.3


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
