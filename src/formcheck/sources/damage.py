"""Read on past damaged frames of a video file, and place the gaps they leave in time.

OpenCV's FFmpeg reader fails one ``read()`` per frame of a damaged stretch
and then decodes on, so reading on recovers everything after the damage; at
the real end every read fails. :func:`read_past_damage` does the reading;
:class:`DamageLog` keeps where the frames are missing, for the warning and for
the report's unjudged time.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

# Without a frame count, failures in a row taken for damage before calling it the end.
MAX_BAD_READS = 300


class Reader(Protocol):
    def read(self) -> tuple[bool, np.ndarray | None]: ...


def read_past_damage(capture: Reader, budget: int) -> tuple[np.ndarray | None, int]:
    """The next decodable image and how many reads failed before it (``None`` at the end).

    ``budget`` caps the failures in a row taken for damage rather than the end.
    """
    failed = 0
    while True:
        ok, image = capture.read()
        if ok and image is not None:
            return image, failed
        failed += 1
        if failed > budget:
            return None, failed


class DamageLog:
    """Damaged stretches read past: ``gaps`` as ``(after_s, before_s, frames lost)``.

    A decoder that reorders frames (H.264) goes on returning frames it held
    for a while after reads fail, so the missing time shows up as jumps a few
    frames later: the jumps within a second of the failures are the gaps;
    without any, the place of the failed reads is.
    """

    def __init__(self, fps: float) -> None:
        self.period = 1.0 / fps
        self.window = max(8, round(fps))  # frames after the failures to look for jumps in
        self.gaps: list[tuple[float, float, int]] = []
        self.bad_reads = 0  # failed reads that decoding recovered from
        self._last_t: float | None = None
        # After failed reads: (last good t, next good t, failed reads, frames since, placed).
        self._pending: tuple[float, float, int, int, bool] | None = None

    def opening(self, failed: int) -> None:
        """``failed`` reads before the first frame: lost from time 0."""
        if failed:
            self.bad_reads += failed
            self.gaps.append((0.0, failed * self.period, failed))

    def frame(self, t: float, failed: int) -> None:
        """A decoded frame at ``t`` s, after ``failed`` failed reads."""
        last, self._last_t = self._last_t, t
        if last is None:
            return
        self.bad_reads += failed
        if failed:
            self._pending = (last, t, failed, 0, False)
        if self._pending is None:
            return
        after, before, lost, seen, placed = self._pending
        if t - last > 2.5 * self.period:
            self._jump(last, t)
            placed = True
        if seen + 1 >= self.window:
            if not placed:
                self.gaps.append((after, before, lost))
            self._pending = None
        else:
            self._pending = (after, before, lost, seen + 1, placed)

    def finish(self) -> None:
        if self._pending is not None and not self._pending[4]:
            self.gaps.append(self._pending[:3])
        self._pending = None

    def _jump(self, last: float, t: float) -> None:
        lost = max(1, round((t - last) / self.period) - 1)
        if self.gaps and self.gaps[-1][1] == last:  # one stretch, seen in two jumps
            start, _, earlier = self.gaps.pop()
            self.gaps.append((start, t, earlier + lost))
        else:
            self.gaps.append((last, t, lost))

    def warning(self, source: str) -> str | None:
        if not self.gaps:
            return None
        spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b, _ in self.gaps[:3])
        more = f" and {len(self.gaps) - 3} more" if len(self.gaps) > 3 else ""
        return (
            f"{source}: {self.bad_reads} damaged frame(s) could not be decoded "
            f"and were skipped ({spans}{more}); that time is not judged"
        )
