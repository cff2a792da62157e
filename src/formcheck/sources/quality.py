"""Is the picture good enough to find a pose in? Brightness and sharpness, cheaply.

A very dark or very blurred video gives missing or jittery landmarks; the
analysis then says "No person in view" for those spans, but not why. This
measures a grey 320-pixel-wide copy of two frames a second (well under a
millisecond each) and turns the medians into one warning the user can act on.

Thresholds, measured on the nine shared real clips (median over frames):
brightness 84-215 as filmed, 12-32 at 15% exposure; contrast-normalised
sharpness (Laplacian variance scaled to a mid-grey mean) 125-1400 as filmed,
2-11 after a Gaussian blur of sigma 8 px.
"""

from __future__ import annotations

import cv2
import numpy as np

from formcheck.types import Frame

DARK_BELOW = 40.0  # median grey level (0-255)
BLURRED_BELOW = 20.0  # median contrast-normalised Laplacian variance
_SAMPLE_EVERY_S = 0.5
_WIDTH = 320


def brightness_and_sharpness(image: np.ndarray) -> tuple[float, float]:
    """Mean grey level and contrast-normalised Laplacian variance of a BGR image."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    if w > _WIDTH:
        grey = cv2.resize(
            grey, (_WIDTH, max(1, round(h * _WIDTH / w))), interpolation=cv2.INTER_AREA
        )
    mean = float(grey.mean())
    variance = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    # A dim picture has weak edges too; scale to mid-grey so "dark" is not also "blurred".
    return mean, variance * (128.0 / max(mean, 1.0)) ** 2


class PictureQuality:
    """Collects brightness and sharpness of a few frames; :meth:`warnings` judges them."""

    def __init__(self, every_s: float = _SAMPLE_EVERY_S) -> None:
        self._every_s = every_s
        self._next_s: float | None = None
        self._brightness: list[float] = []
        self._sharpness: list[float] = []

    def add(self, frame: Frame) -> None:
        """Measure ``frame`` if it is due (one every ``every_s`` seconds)."""
        t = frame.timestamp_s
        if self._next_s is not None and t < self._next_s:
            return
        self._next_s = t + self._every_s
        mean, sharpness = brightness_and_sharpness(frame.image)
        self._brightness.append(mean)
        self._sharpness.append(sharpness)

    def warnings(self) -> list[str]:
        if not self._brightness:
            return []
        brightness = float(np.median(self._brightness))
        if brightness < DARK_BELOW:
            return [
                f"The video is very dark (brightness {brightness:.0f} of 255): poses may be "
                "missed or unsteady; film in brighter light."
            ]
        sharpness = float(np.median(self._sharpness))
        if sharpness < BLURRED_BELOW:
            return [
                f"The video is very blurred (sharpness {sharpness:.0f}; sharp clips measure "
                "over 100): poses may be missed or unsteady; keep the camera still and in focus."
            ]
        return []
