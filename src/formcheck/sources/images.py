"""Frames from still images: a folder of them (naturally sorted) or a single picture."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import cv2
import numpy as np

from formcheck.sources.base import FrameSource
from formcheck.types import Frame, VideoInfo

IMAGE_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff", ".jp2", ".pbm", ".pgm", ".ppm"}
)


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that orders ``frame2`` before ``frame10`` (case-insensitive)."""
    parts = re.split(r"(\d+)", name.casefold())
    # Tag each part so numbers and text never compare with each other.
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def list_images(folder: Path) -> list[Path]:
    """Image files directly inside ``folder`` (hidden files skipped), naturally sorted."""
    images = [
        p
        for p in folder.iterdir()
        if p.suffix.lower() in IMAGE_EXTENSIONS and not p.name.startswith(".") and p.is_file()
    ]
    return sorted(images, key=lambda p: natural_key(p.name))


def read_image(path: Path) -> np.ndarray | None:
    """``(h, w, 3)`` uint8 BGR, or ``None`` when the file does not decode.

    Reads the bytes with Python and decodes them in memory, so any path Python
    can open works (spaces, non-ASCII); EXIF orientation is applied.
    """
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return image if image is not None and image.ndim == 3 else None


class ImageSequenceSource(FrameSource):
    """Still images as frames, timed ``index / fps``.

    Each frame keeps its own image's size; ``info`` describes the first image.
    Images that do not decode after the first are skipped with a warning.
    """

    def __init__(self, paths: Sequence[Path], first_image: np.ndarray, info: VideoInfo) -> None:
        super().__init__(info)
        self._paths = list(paths)
        self._first: np.ndarray | None = first_image
        self._position = 0
        self._closed = False

    @classmethod
    def start(cls, paths: Sequence[Path], source: str, fps: float) -> ImageSequenceSource | None:
        """Decode the first image; ``None`` when it does not decode."""
        if not fps > 0:
            raise ValueError(f"fps must be positive, got {fps}")
        first = read_image(paths[0])
        if first is None:
            return None
        info = VideoInfo(
            width=int(first.shape[1]),
            height=int(first.shape[0]),
            fps=float(fps),
            frame_count=len(paths),
            source=source,
        )
        return cls(paths, first, info)

    def __iter__(self) -> Iterator[Frame]:
        while not self._closed and self._position < len(self._paths):
            position = self._position
            self._position += 1
            if self._first is not None:
                image, self._first = self._first, None
            else:
                image = read_image(self._paths[position])
                if image is None:
                    self.warnings.append(f"skipped {self._paths[position]}: cannot decode image")
                    continue
            # Time by position in the folder so a skipped image leaves a gap.
            yield Frame(image, position / self.info.fps, position)

    def close(self) -> None:
        self._closed = True
        self._first = None
