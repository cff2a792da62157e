"""Frame timestamps from the container, with a fallback that keeps them increasing."""

from __future__ import annotations

import math


class TimestampClock:
    """Turns the container's per-frame time into strictly increasing seconds.

    The container's time (``CAP_PROP_POS_MSEC`` after each read) is trusted
    when it is finite and moves forward, which times variable-frame-rate phone
    clips right. When it is missing, 0 after the first frame, or does not
    increase, the frame is timed one frame period (``1 / fps``) after the
    previous one, which is ``index / fps`` for a container without times.
    Times start at 0 for the first frame.

    Attributes:
        fallbacks: how many frames were timed by the fallback rule.
    """

    def __init__(self, fps: float, origin_s: float | None = None) -> None:
        """``origin_s``: the container time of time 0, when not that of the first frame."""
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.fps = float(fps)
        self.fallbacks = 0
        self._origin_s: float | None = origin_s
        self._last_s: float | None = None

    def timestamp(self, index: int, container_ms: float | None) -> float:
        """Seconds for frame ``index`` given the container's time in ms (or ``None``)."""
        t = self._container_time(index, container_ms)
        if t is None:
            self.fallbacks += 1
            # One period after the previous frame: equals index / fps when the
            # container gives no times at all, and, unlike index / fps, cannot run
            # ahead of later valid times of a clip whose real rate differs from fps.
            t = index / self.fps if self._last_s is None else self._last_s + 1.0 / self.fps
        self._last_s = t
        return t

    def _container_time(self, index: int, container_ms: float | None) -> float | None:
        if container_ms is None or not math.isfinite(container_ms) or container_ms < 0:
            return None
        if index == 0 and self._origin_s is None:
            # Streams may start at a non-zero time; count from the first frame.
            self._origin_s = container_ms / 1000.0
            return 0.0
        if index > 0 and container_ms == 0:
            return None  # backends that do not know the time report 0
        t = container_ms / 1000.0 - (self._origin_s or 0.0)
        if self._last_s is not None and t <= self._last_s:
            return None
        return t
