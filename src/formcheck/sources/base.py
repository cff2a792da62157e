"""The frame-source interface: a context manager that yields frames once, in order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from types import TracebackType

from formcheck.types import Frame, VideoInfo


class FrameSource(ABC):
    """A single-pass stream of :class:`Frame` objects.

    Frames are decoded one at a time, so memory does not grow with the clip.
    Iterating again continues where the last iteration stopped.

    Attributes:
        info: what the source knows before the first frame; ``width``/``height``
            are those of the upright frames it yields.
        truncated: set once iteration ends if the source stopped before the
            frame count its container announced (a cut-off file).
        warnings: one-line notes for the user gathered while reading
            (truncation, unreadable images skipped, ...).
        gaps: ``(after_s, before_s, frames)`` for each damaged stretch read past:
            the last good frame's time, the next one's, and the frames lost.
    """

    info: VideoInfo

    def __init__(self, info: VideoInfo) -> None:
        self.info = info
        self.truncated = False
        self.warnings: list[str] = []
        self.gaps: list[tuple[float, float, int]] = []
        self.frames_seen = 0  # frames :meth:`sampled` has gone past, modelled or skipped
        self.last_time_s = 0.0  # the time of the last of them

    def sampled(self, stride: int) -> Iterator[Frame]:
        """Frames 0, k, 2k, ... (``k = stride``) with their real times; the others skipped.

        Sources that can pass over a frame without decoding it override this.
        """
        for frame in self:
            self.frames_seen += 1
            self.last_time_s = frame.timestamp_s
            if frame.index % stride == 0:
                yield frame

    @abstractmethod
    def __iter__(self) -> Iterator[Frame]:
        """Yield the remaining frames in time order."""

    @abstractmethod
    def close(self) -> None:
        """Release the file, camera or stream; safe to call twice."""

    def __enter__(self) -> FrameSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
