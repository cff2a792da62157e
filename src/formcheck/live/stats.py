"""Live loop timing: frames per second and frame-to-overlay latency (median and p95)."""

from __future__ import annotations

from array import array
from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LatencySummary:
    frames: int
    fps: float
    median_ms: float
    p95_ms: float
    dropped: int


class LiveStats:
    """Collects one sample per overlay shown.

    ``fps`` is over the last ``window`` overlays (what the debug HUD shows);
    :meth:`summary` covers the whole run. Latencies are kept as float64 in an
    ``array`` (8 bytes a frame: an hour at 30 fps is under 1 MiB).
    """

    def __init__(self, window: int = 30) -> None:
        self._recent: deque[float] = deque(maxlen=window)
        self._latency: array[float] = array("d")
        self._first: float | None = None
        self._last: float | None = None
        self.dropped = 0

    def record(self, captured_at: float, shown_at: float) -> None:
        self._latency.append(shown_at - captured_at)
        self._recent.append(shown_at)
        if self._first is None:
            self._first = shown_at
        self._last = shown_at

    @property
    def frames(self) -> int:
        return len(self._latency)

    @property
    def fps(self) -> float:
        if len(self._recent) < 2 or self._recent[-1] <= self._recent[0]:
            return 0.0
        return (len(self._recent) - 1) / (self._recent[-1] - self._recent[0])

    def recent_latency_ms(self, n: int = 30) -> tuple[float, float]:
        """(median, p95) over the last ``n`` frames, in ms (NaN before the first)."""
        return _percentiles(np.frombuffer(self._latency, dtype=np.float64)[-n:])

    def summary(self) -> LatencySummary:
        lat = np.frombuffer(self._latency, dtype=np.float64)
        med, p95 = _percentiles(lat)
        span = (self._last or 0.0) - (self._first or 0.0)
        fps = (len(lat) - 1) / span if len(lat) > 1 and span > 0 else 0.0
        return LatencySummary(len(lat), fps, med, p95, self.dropped)


def _percentiles(values: np.ndarray) -> tuple[float, float]:
    if values.size == 0:
        return float("nan"), float("nan")
    med, p95 = np.percentile(values, [50, 95])
    return float(med) * 1000.0, float(p95) * 1000.0
