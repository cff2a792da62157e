"""One pose model per worker process, reused clip after clip, with no memory between clips.

Creating a MediaPipe landmarker costs about half a second (graph set-up and
XNNPACK delegate), as long as a short clip takes to analyse, so a batch worker
keeps one. But the landmarker runs in VIDEO mode: it tracks the person from the
previous frame and smooths landmarks over time, and it insists on increasing
timestamps. Fed clip after clip as is, clip 2 would start from clip 1's
tracking region and its timestamps would be squashed to 1 ms steps, so a
clip's result would depend on what the worker scored before it.

:class:`ReusedEstimator` makes each clip look like a fresh start: every clip
runs on its own stretch of the landmarker's time line (a gap after the last
one), and one blank frame before it makes the landmarker lose the previous
person, which drops its tracking region and resets its smoothing filters, as
at start-up. ``tests/batch/test_estimator.py`` checks the poses equal those of
a brand-new estimator.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import TracebackType

import numpy as np

from formcheck.pose.base import PoseEstimator
from formcheck.types import Frame, PoseFrame

# Between two clips on the landmarker's time line; long enough for any filter to forget.
_GAP_S = 10.0


class ReusedEstimator:
    """Owns one landmarker; :meth:`clip` gives a per-clip view of it."""

    def __init__(self, model_path: Path | None = None, inner: PoseEstimator | None = None) -> None:
        if inner is None:
            from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

            inner = MediaPipePoseEstimator(model_path)
        self._inner = inner
        self._clock_s = 0.0  # where the landmarker's time line has got to
        self.clips = 0

    @property
    def model_id(self) -> str:
        return self._inner.model_id

    def clip(self) -> _ClipView:
        """A fresh-looking estimator for one clip; closing it keeps the model loaded."""
        self.clips += 1
        return _ClipView(self)

    def close(self) -> None:
        self._inner.close()

    def _start(self, size: tuple[int, int]) -> float:
        """Blank the tracker and return the time offset for the next clip."""
        if self._clock_s > 0.0:  # not the first clip: make the landmarker lose the person
            blank = np.zeros((size[1], size[0], 3), dtype=np.uint8)
            self._clock_s += _GAP_S
            self._inner.estimate(Frame(blank, self._clock_s, 0))
        # Every clip, the first included, is shifted: MediaPipe treats a first
        # timestamp of exactly 0 specially, so only shifted clips agree with each other.
        return self._clock_s + _GAP_S

    def _estimate(self, frame: Frame, offset: float) -> PoseFrame:
        shifted = dataclasses.replace(frame, timestamp_s=frame.timestamp_s + offset)
        self._clock_s = max(self._clock_s, shifted.timestamp_s)
        pose = self._inner.estimate(shifted)
        return dataclasses.replace(pose, timestamp_s=frame.timestamp_s)


class _ClipView:
    """The :class:`PoseEstimator` one clip sees: times from 0, nothing left from earlier clips."""

    def __init__(self, owner: ReusedEstimator) -> None:
        self._owner = owner
        self._offset: float | None = None

    @property
    def model_id(self) -> str:
        return self._owner.model_id

    def estimate(self, frame: Frame) -> PoseFrame:
        if self._offset is None:
            self._offset = self._owner._start(frame.size)
        return self._owner._estimate(frame, self._offset)

    def close(self) -> None:
        """Nothing to free: the model belongs to the worker, not to the clip."""

    def __enter__(self) -> _ClipView:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
