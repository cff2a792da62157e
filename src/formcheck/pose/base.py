"""The pose-estimator interface every backend implements."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, runtime_checkable

from formcheck.types import Frame, PoseFrame


@runtime_checkable
class PoseEstimator(Protocol):
    """Turns frames into poses, one frame at a time, in time order.

    Backends may keep state between frames (tracking), so frames of one clip go
    through one estimator in increasing time; use a new estimator per clip.
    """

    @property
    def model_id(self) -> str:
        """Names the model exactly, e.g. ``"mediapipe-pose-full@0.10.21"``."""
        ...

    def estimate(self, frame: Frame) -> PoseFrame:
        """The pose in ``frame``; ``PoseFrame.xy`` is ``None`` when nobody is found."""
        ...

    def close(self) -> None:
        """Free the model; the estimator cannot be used afterwards."""
        ...

    def __enter__(self) -> PoseEstimator: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
