"""A signal's rest level, learned from the patient's own still periods."""

from __future__ import annotations

import math
from collections import deque
from statistics import median

import numpy as np


class RestLevel:
    """Rest level learned from the patient's own still periods (sliding window).

    Only samples taken while the signal is still (its spread over the last
    ``needed_s`` within ``still_within``) count, so lying back into position or
    the lift itself never becomes "rest"; the lowest of those still samples over
    the last ``window_s`` (2nd percentile) is the rest level. Holds at the target
    are still too but sit above it, however long they are against the rests.
    """

    def __init__(self, window_s: float, needed_s: float, still_within: float) -> None:
        self.window_s = window_s
        self.needed_s = needed_s
        self.still_within = still_within
        self._recent: deque[tuple[float, float]] = deque()
        self._samples: deque[tuple[float, float]] = deque()
        self._cached: tuple[float, float] | None = None  # (time computed, value)
        self._last_t = -math.inf

    def add(self, t: float, u: float) -> None:
        self._last_t = t
        self._recent.append((t, u))
        while t - self._recent[0][0] > self.needed_s:
            self._recent.popleft()
        covered = t - self._recent[0][0] >= 0.8 * self.needed_s
        if covered and self._still():
            self._samples.append((t, u))
        while self._samples and t - self._samples[0][0] > self.window_s:
            self._samples.popleft()

    def _still(self) -> bool:
        """No trend and little spread over the recent window.

        The spread leaves out the outer 10% each way (at least one frame from 5 on), so a
        frame of landmark jitter does not make a still patient look like they are moving
        at any frame rate: at 12.5 fps half a second is 7 frames, of which 10% trimmed
        none, and a brief bottom between two lifts failed on one frame of jitter that it
        passed at 25 fps. Comparing the two halves' medians keeps a slow, steady movement
        from looking still.
        """
        values = [v for _, v in self._recent]
        half = len(values) // 2
        # statistics.median: on a dozen values, far cheaper than numpy's per frame.
        trend = abs(median(values[half:]) - median(values[:half]))
        ordered = sorted(values)
        k = max(len(ordered) // 10, 1 if len(ordered) >= 5 else 0)
        return ordered[-1 - k] - ordered[k] <= self.still_within and trend <= self.still_within / 2

    @property
    def ready(self) -> bool:
        return bool(self._samples)

    def value(self) -> float:
        # Recomputed at most 4 times a second: the rest level changes slowly, and a
        # percentile of up to 30 s of samples on every frame costs more than the analysis.
        t = self._samples[-1][0] if self._samples else self._last_t
        if self._cached is None or t - self._cached[0] >= 0.25 or t < self._cached[0]:
            level = np.percentile([u for _, u in self._samples], 2) if self._samples else math.inf
            self._cached = (t, float(level))
        return self._cached[1]

    def reset(self) -> None:
        self._recent.clear()
        self._samples.clear()
        self._cached = None
