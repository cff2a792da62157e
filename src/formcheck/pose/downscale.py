"""Shrink a large frame once before the pose model; landmarks come back in the frame's pixels.

The model looks at a 224x224 copy of the whole picture (to find the person) and a
256x256 crop around them (for the landmarks), so most of a large frame's detail is
thrown away inside it while converting and copying its pixels is paid on every frame.
Shrinking is not free of effects, though: the model's tracking crop lands a little
differently, and 1080x1920 real clips shrunk to 960 px changed a borderline pelvic-tilt
verdict (docs/accuracy.md, "Frame striding"). So only frames beyond 1080p (4K phone
clips) are shrunk by default, to 1920 px; ``benchmarks/bench_throughput.py`` prints what
shrinking 720p and 1080p to 960 px would save.
"""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np

from formcheck.types import Frame, PoseFrame

MODEL_MAX_SIDE = 1920


def model_input(frame: Frame, max_side: int | None = MODEL_MAX_SIDE) -> tuple[Frame, float]:
    """``frame`` shrunk so its longer side is at most ``max_side``, and the factor used."""
    width, height = frame.size
    longest = max(width, height)
    if max_side is None or longest <= max_side:
        return frame, 1.0
    scale = max_side / longest
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(frame.image, size, interpolation=cv2.INTER_AREA)
    return dataclasses.replace(frame, image=small), scale


def to_frame_pixels(pose: PoseFrame, scale: float, size: tuple[int, int]) -> PoseFrame:
    """A pose found on a frame shrunk by ``scale``, in the pixels of the ``size`` frame."""
    if scale == 1.0:
        return pose
    inverse = np.float32(1.0 / scale)
    return dataclasses.replace(
        pose,
        image_size=size,
        xy=None if pose.xy is None else pose.xy * inverse,
        z=None if pose.z is None else pose.z * inverse,
    )
