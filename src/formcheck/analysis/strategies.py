"""Counting strategies: how a definition's counting signal becomes reps, holds or cycles.

A definition names its strategy (``[counting] kind``) and sets only the few parameters
that strategy reads (``STRATEGY_PARAMS`` in :mod:`formcheck.exercises.schema`). A strategy
segments a whole recorded clip (:mod:`formcheck.analysis.segment`) and makes the counter
that follows it live (:mod:`formcheck.analysis.counter`); reps and holds count live with
the very segmentation a recorded clip gets, on the signal seen so far.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from formcheck.analysis.counter import CounterEvent, LiveCounter, LiveCycleCounter
from formcheck.analysis.segment import (
    Blank,
    RepTiming,
    Segmentation,
    segment,
    segment_cycles,
    segment_levels,
)
from formcheck.analysis.state import Phase
from formcheck.exercises.schema import CountingSpec

# A rep's top is the last 15% of its own rise: where it holds, however far it rose.
REP_PLATEAU = 0.85


class Counter(Protocol):
    """Live counting of one signal, one frame at a time."""

    phase: Phase
    count: int
    current: RepTiming | None
    slow_rejected: int

    def update(
        self, t: float, value: float, valid: bool, *, carry: int = Blank.SPLIT
    ) -> list[CounterEvent]: ...

    def finish(self, t: float) -> list[CounterEvent]: ...

    def thresholds(self) -> dict[str, float]: ...


class Strategy(Protocol):
    name: str

    def segment(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        """The reps of the oriented signal ``u`` (NaN where not judged) at times ``t``;
        ``bridge`` says why each unjudged frame is blank (:class:`Blank`)."""
        ...

    def live(self, spec: CountingSpec) -> Counter: ...


class Reps:
    """Lifts from the patient's own rest by ``top`` and back (bridge, bird-dog)."""

    name = "reps"

    def segment(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        return segment(t, u, spec, bridge=bridge, plateau=REP_PLATEAU)

    def live(self, spec: CountingSpec) -> Counter:
        return LiveCounter(spec, self.segment)


class Holds:
    """Timed holds: from the patient's own rest by ``top`` (pelvic tilt) or, with
    ``reference = "absolute"``, of a position past a fixed level (child's pose)."""

    name = "holds"

    def segment(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        if spec.reference == "absolute":
            return segment_levels(t, u, spec, bridge=bridge)
        return segment(t, u, spec, bridge=bridge, plateau=spec.hold_plateau)

    def live(self, spec: CountingSpec) -> Counter:
        return LiveCounter(spec, self._segment_live)

    def _segment_live(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        if spec.reference == "absolute":
            return segment_levels(t, u, spec, bridge=bridge, openings=False)
        return self.segment(t, u, spec, bridge)


class Cycles:
    """One swing each way across the patient's own centre (cat-cow)."""

    name = "cycles"

    def segment(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        del bridge  # a swing is movement, which a doubted pose does not show: a gap
        return segment_cycles(t, u, spec)

    def live(self, spec: CountingSpec) -> Counter:
        return LiveCycleCounter(spec)


STRATEGIES: dict[str, Strategy] = {s.name: s for s in (Reps(), Holds(), Cycles())}


def strategy_for(spec: CountingSpec) -> Strategy:
    return STRATEGIES[spec.kind]
