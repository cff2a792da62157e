"""Colours, text and panel helpers shared by the annotators.

Everything is BGR (OpenCV order) and drawn with cv2 only, so an overlay costs
a few milliseconds a frame. Sizes scale with the frame so a 1080p recording
and a 480p webcam look the same from across the room.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Color = tuple[int, int, int]

WHITE: Color = (255, 255, 255)
BLACK: Color = (0, 0, 0)
DARK: Color = (30, 30, 30)
RED: Color = (40, 40, 220)
AMBER: Color = (0, 170, 255)
GREEN: Color = (80, 200, 60)
CYAN: Color = (230, 200, 40)
GREY: Color = (150, 150, 150)

FONT = cv2.FONT_HERSHEY_DUPLEX
# Height of FONT at scale 1.0, in pixels (cv2.getTextSize gives ~22 for "0").
_FONT_PX = 22.0


def frame_scale(scene: np.ndarray, reference: int = 480) -> float:
    """How much larger than a ``reference``-pixel-tall frame this one is (by its shorter side)."""
    h, w = scene.shape[:2]
    return max(0.5, min(h, w) / reference)


def font_scale_for(height_px: float) -> float:
    """cv2 font scale that gives capital letters about ``height_px`` pixels tall."""
    return max(0.3, height_px / _FONT_PX)


@dataclass(frozen=True)
class TextStyle:
    """How a line of text looks: size in pixels at a 480-pixel frame, colours, weight."""

    height: float = 20.0
    color: Color = WHITE
    outline: Color | None = BLACK
    thickness: int = 2


def text_size(text: str, style: TextStyle, scale: float) -> tuple[int, int]:
    """``(width, height)`` in pixels of ``text`` drawn with ``style`` on a frame of ``scale``."""
    fs = font_scale_for(style.height * scale)
    th = max(1, round(style.thickness * scale))
    (w, h), _ = cv2.getTextSize(text, FONT, fs, th)
    return w, h


def put_text(
    scene: np.ndarray, text: str, origin: tuple[int, int], style: TextStyle, scale: float
) -> tuple[int, int]:
    """Draw ``text`` with its baseline-left at ``origin``; returns its ``(width, height)``.

    A dark outline under light text keeps it readable on any background.
    """
    fs = font_scale_for(style.height * scale)
    th = max(1, round(style.thickness * scale))
    org = (int(origin[0]), int(origin[1]))
    if style.outline is not None:
        cv2.putText(scene, text, org, FONT, fs, style.outline, th + max(2, th), cv2.LINE_AA)
    cv2.putText(scene, text, org, FONT, fs, style.color, th, cv2.LINE_AA)
    (w, h), _ = cv2.getTextSize(text, FONT, fs, th)
    return w, h


def fill_rect(
    scene: np.ndarray,
    top_left: tuple[int, int],
    bottom_right: tuple[int, int],
    color: Color,
    alpha: float = 1.0,
) -> None:
    """Fill a rectangle, blended with the picture when ``alpha`` < 1 (only the ROI is touched)."""
    h, w = scene.shape[:2]
    x0, y0 = max(0, int(top_left[0])), max(0, int(top_left[1]))
    x1, y1 = min(w, int(bottom_right[0])), min(h, int(bottom_right[1]))
    if x1 <= x0 or y1 <= y0:
        return
    roi = scene[y0:y1, x0:x1]
    if alpha >= 1.0:
        roi[:] = color
        return
    overlay = np.empty_like(roi)
    overlay[:] = color
    cv2.addWeighted(overlay, alpha, roi, 1.0 - alpha, 0.0, dst=roi)


def fit_text(text: str, style: TextStyle, scale: float, max_width: int) -> tuple[str, float]:
    """Shrink (then cut) ``text`` so it fits ``max_width`` pixels; returns text and new scale."""
    w, _ = text_size(text, style, scale)
    if w <= max_width:
        return text, scale
    shrunk = scale * max_width / w
    if shrunk >= scale * 0.6:
        return text, shrunk
    shrunk = scale * 0.6
    while len(text) > 4 and text_size(text + "...", style, shrunk)[0] > max_width:
        text = text[:-1]
    return text.rstrip() + "...", shrunk


def visibility_color(v: float) -> Color:
    """Red (not visible) through amber to green (clearly visible)."""
    v = float(np.clip(v, 0.0, 1.0)) if np.isfinite(v) else 0.0
    if v < 0.5:
        t = v / 0.5
        return _mix(RED, AMBER, t)
    return _mix(AMBER, GREEN, (v - 0.5) / 0.5)


def _mix(a: Color, b: Color, t: float) -> Color:
    return (
        int(a[0] + (b[0] - a[0]) * t),
        int(a[1] + (b[1] - a[1]) * t),
        int(a[2] + (b[2] - a[2]) * t),
    )


def humanize(identifier: str) -> str:
    """``"sagging_hips"`` -> ``"Sagging hips"`` for ids shown to people."""
    words = identifier.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
