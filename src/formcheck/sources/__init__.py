"""Frame sources: video files, image folders, single images, cameras and streams.

``open_source(spec)`` returns a :class:`FrameSource`, a context manager whose
iteration yields upright, timed :class:`~formcheck.types.Frame` objects one at
a time::

    with open_source("clip.mp4") as source:
        for frame in source:
            ...
        if source.truncated:
            ...
"""

from formcheck.sources.base import FrameSource
from formcheck.sources.capture import DEFAULT_FPS, CaptureSource
from formcheck.sources.images import IMAGE_EXTENSIONS, ImageSequenceSource
from formcheck.sources.opening import (
    VIDEO_EXTENSIONS,
    open_camera,
    open_path,
    open_source,
    open_stream,
)
from formcheck.sources.timing import TimestampClock

__all__ = [
    "DEFAULT_FPS",
    "IMAGE_EXTENSIONS",
    "VIDEO_EXTENSIONS",
    "CaptureSource",
    "FrameSource",
    "ImageSequenceSource",
    "TimestampClock",
    "open_camera",
    "open_path",
    "open_source",
    "open_stream",
]
