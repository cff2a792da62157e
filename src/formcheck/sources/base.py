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
