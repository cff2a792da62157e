"""Motion scripts as timelines: a level that moves between key poses over time, and the
truth (rep, hold and fault intervals) recorded as the script is written.

A script is a sequence of moves (ease from the current level to another over some
seconds) and holds. The level selects a key pose of the current variant; variants
(sides, faults) may change only while the level is 0, where they all share one pose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Rep:
    index: int
    kind: str  # "rep" | "hold" | "cycle"
    side: str | None
    start_s: float
    peak_s: float
    end_s: float
    hold_start_s: float | None
    hold_end_s: float | None
    faults: tuple[str, ...]


@dataclass
class Timeline:
    """Builder: call ``move``/``hold`` in order, then ``sample`` at the video's frame rate."""

    variant: str = "clean"
    level: float = 0.0
    time_s: float = 0.0
    _segments: list[tuple[float, float, str, float, float]] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)

    def move(self, to_level: float, seconds: float, variant: str | None = None) -> float:
        if variant is not None and variant != self.variant:
            if abs(self.level) > 1e-9:
                raise ValueError("variants may only change at level 0")
            self.variant = variant
        self._segments.append((self.time_s, seconds, self.variant, self.level, to_level))
        self.time_s += seconds
        self.level = to_level
        return self.time_s

    def hold(self, seconds: float) -> float:
        return self.move(self.level, seconds)

    def sample(self, fps: float) -> tuple[list[str], np.ndarray]:
        """Per-frame variant and level; cosine easing within each move."""
        n = round(self.time_s * fps)
        variants: list[str] = []
        levels = np.empty(n)
        k = 0
        for i in range(n):
            t = i / fps
            while k + 1 < len(self._segments) and t >= self._segments[k + 1][0]:
                k += 1
            start, dur, var, a, b = self._segments[k]
            u = 1.0 if dur <= 0 else min(max((t - start) / dur, 0.0), 1.0)
            levels[i] = a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * u))
            variants.append(var)
        return variants, levels
