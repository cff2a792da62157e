"""Core data passed between the pipeline stages.

frame source -> :class:`Frame` -> pose estimator -> :class:`PoseFrame`
-> smoothing -> exercise analysis -> events and reports.

Every array shape is documented and validated on creation, so a wrong shape
fails where it is made rather than three stages later.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS


def _check_shape(name: str, array: np.ndarray, expected: tuple[int | None, ...]) -> None:
    ok = array.ndim == len(expected) and all(
        e is None or e == a for e, a in zip(expected, array.shape, strict=True)
    )
    if not ok:
        shown = tuple("n" if e is None else e for e in expected)
        raise ValueError(f"{name} must have shape {shown}, got {array.shape}")


@dataclass(frozen=True)
class Frame:
    """One decoded video frame.

    Attributes:
        image: ``(height, width, 3)`` uint8 BGR image (OpenCV order), already
            rotated upright when the container says so.
        timestamp_s: presentation time in seconds from the start of the source.
        index: 0-based frame number within the source.
    """

    image: np.ndarray
    timestamp_s: float
    index: int

    def __post_init__(self) -> None:
        _check_shape("Frame.image", self.image, (None, None, 3))

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels."""
        return int(self.image.shape[1]), int(self.image.shape[0])


@dataclass(frozen=True)
class PoseFrame:
    """The pose of one person in one frame, or its absence.

    Attributes:
        timestamp_s: time of the frame in seconds.
        index: frame number within the source.
        image_size: ``(width, height)`` of the analysed image in pixels.
        xy: ``(33, 2)`` float landmark positions in pixels (x right, y down),
            or ``None`` when no person was found.
        z: ``(33,)`` relative depth in the same pixel scale as x (smaller is
            nearer the camera), or ``None``.
        visibility: ``(33,)`` in [0, 1], the model's belief that each landmark
            is visible, or ``None``.
        world: ``(33, 3)`` metric landmarks centred on the hips (metres), or ``None``.
    """

    timestamp_s: float
    index: int
    image_size: tuple[int, int]
    xy: np.ndarray | None = None
    z: np.ndarray | None = None
    visibility: np.ndarray | None = None
    world: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.xy is None:
            return
        _check_shape("PoseFrame.xy", self.xy, (NUM_LANDMARKS, 2))
        if self.z is not None:
            _check_shape("PoseFrame.z", self.z, (NUM_LANDMARKS,))
        if self.visibility is not None:
            _check_shape("PoseFrame.visibility", self.visibility, (NUM_LANDMARKS,))
        if self.world is not None:
            _check_shape("PoseFrame.world", self.world, (NUM_LANDMARKS, 3))

    @property
    def detected(self) -> bool:
        return self.xy is not None

    def visibility_or_ones(self) -> np.ndarray:
        """``(33,)`` visibility; all ones when the backend gives none."""
        if self.visibility is not None:
            return self.visibility
        return np.ones(NUM_LANDMARKS, dtype=np.float32)


@dataclass(frozen=True)
class VideoInfo:
    """What a frame source knows about itself before the first frame."""

    width: int
    height: int
    fps: float
    frame_count: int | None = None  # None when unknown (camera, stream)
    rotation: int = 0  # degrees clockwise applied to make frames upright
    source: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def duration_s(self) -> float | None:
        if self.frame_count is None or self.fps <= 0:
            return None
        return self.frame_count / self.fps
