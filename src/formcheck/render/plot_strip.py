"""A live plot of the primary signal over the last seconds, inside the picture.

By default a box in the top-right corner under the HUD: every exercise in the
programme is done on the floor, so the bottom of the picture is where the
patient is, and the wall above them is free.

Stateful: it remembers the samples it has been shown (bounded by the time
window). Time going backwards (a new clip) starts a fresh plot.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from formcheck.analysis.state import FrameAnalysis
from formcheck.render.hud import cue_band
from formcheck.render.style import (
    CYAN,
    DARK,
    GREY,
    RED,
    Color,
    TextStyle,
    fill_rect,
    frame_scale,
    humanize,
    put_text,
    text_size,
)

_LABEL_TEXT = TextStyle(height=13.0, thickness=1)


@dataclass(frozen=True)
class PlotStripStyle:
    window_s: float = 10.0
    anchor: Literal["top-right", "top-left", "bottom"] = "top-right"
    width_fraction: float = 0.42  # of the frame width (a "bottom" strip is full width)
    height_fraction: float = 0.17  # of the frame height
    background: Color = DARK
    alpha: float = 0.6
    line_color: Color = CYAN
    fault_color: Color = RED  # stretches with an active fault
    threshold_color: Color = GREY
    thickness: float = 2.0
    # Smallest y range shown, in signal units; None: 10 for angle-sized values, else 20 %.
    min_span: float | None = None
    y_range: tuple[float, float] | None = None  # fixed range; None follows the data
    label: TextStyle = _LABEL_TEXT


class PlotStripAnnotator:
    """Draws the strip at the bottom of the frame in place."""

    def __init__(self, style: PlotStripStyle | None = None) -> None:
        self.style = style or PlotStripStyle()
        self._samples: deque[tuple[float, float, bool]] = deque()
        self._signal: str | None = None

    def reset(self) -> None:
        self._samples.clear()
        self._signal = None

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        st = self.style
        t = analysis.timestamp_s
        if analysis.primary_signal != self._signal or (self._samples and t < self._samples[-1][0]):
            self.reset()
            self._signal = analysis.primary_signal
        self._samples.append((t, analysis.primary_value, bool(analysis.active_faults)))
        while self._samples and self._samples[0][0] < t - st.window_s:
            self._samples.popleft()

        s = frame_scale(scene)
        left, top, right, bottom = self.box(scene)
        fill_rect(scene, (left, top), (right, bottom), st.background, st.alpha)
        pad = round(6 * s)
        x0, x1 = left + pad, right - pad
        label_h = text_size("Ag", st.label, s)[1]
        y0, y1 = top + label_h + 2 * pad, bottom - pad

        data = np.array(self._samples, dtype=float)  # (n, 3): t, value, fault
        values = data[:, 1]
        finite = np.isfinite(values)
        thresholds = [v for v in analysis.thresholds.values() if math.isfinite(v)]
        lo, hi = self._range(values[finite], thresholds)

        def to_px(ts: np.ndarray, vs: np.ndarray) -> np.ndarray:
            xs = x0 + (ts - (t - st.window_s)) / st.window_s * (x1 - x0)
            ys = y1 - (vs - lo) / (hi - lo) * (y1 - y0)
            return np.stack([xs, ys], axis=1).round().astype(np.int32)

        for thr in thresholds:
            if lo <= thr <= hi:
                yy = int(to_px(np.array([t]), np.array([thr]))[0, 1])
                _dashed_hline(scene, x0, x1, yy, st.threshold_color, max(1, round(s)), round(8 * s))

        th = max(1, round(st.thickness * s))
        faults = data[:, 2] > 0
        pts = to_px(data[:, 0], np.where(finite, values, lo))
        # Split the trace where it is NaN or changes colour; each run is one polyline.
        start = 0
        n = len(data)
        for i in range(1, n + 1):
            if i == n or finite[i] != finite[start] or faults[i] != faults[start]:
                if finite[start]:
                    run = pts[start : i + 1] if i < n and finite[i] else pts[start:i]
                    if len(run) >= 2:
                        color = st.fault_color if faults[start] else st.line_color
                        cv2.polylines(scene, [run], False, color, th, cv2.LINE_AA)
                start = i

        name = humanize(analysis.primary_signal)
        put_text(scene, name, (x0, top + pad + label_h), st.label, s)
        v = analysis.primary_value
        if math.isfinite(v):
            cv2.circle(scene, tuple(pts[-1]), max(2, round(4 * s)), st.line_color, -1, cv2.LINE_AA)
            text = f"{v:.0f}" if abs(v) >= 10 else f"{v:.2f}"
            tw, _ = text_size(text, st.label, s)
            put_text(scene, text, (x1 - tw, top + pad + label_h), st.label, s)
        return scene

    def box(self, scene: np.ndarray) -> tuple[int, int, int, int]:
        """``(left, top, right, bottom)`` of the plot in ``scene``."""
        st = self.style
        h, w = scene.shape[:2]
        ph = round(h * st.height_fraction)
        if st.anchor == "bottom":
            return 0, h - ph, w, h
        margin = round(8 * frame_scale(scene))
        pw = round(w * st.width_fraction)
        top = cue_band(scene)[1] + margin
        if st.anchor == "top-left":
            return margin, top, margin + pw, top + ph
        return w - margin - pw, top, w - margin, top + ph

    def _range(self, finite_values: np.ndarray, thresholds: list[float]) -> tuple[float, float]:
        st = self.style
        if st.y_range is not None:
            return st.y_range
        if finite_values.size == 0:
            return 0.0, st.min_span or 1.0
        lo, hi = float(finite_values.min()), float(finite_values.max())
        span = st.min_span
        if span is None:
            big = max(abs(lo), abs(hi))
            span = 10.0 if big > 30 else max(0.05, 0.2 * big)
        # Thresholds near the data stay visible; far-away ones would squash the trace.
        for thr in thresholds:
            if lo - (hi - lo + span) <= thr <= hi + (hi - lo + span):
                lo, hi = min(lo, thr), max(hi, thr)
        if hi - lo < span:
            mid = (hi + lo) / 2
            lo, hi = mid - span / 2, mid + span / 2
        margin = (hi - lo) * 0.08
        return lo - margin, hi + margin


def _dashed_hline(
    scene: np.ndarray, x0: int, x1: int, y: int, color: Color, thickness: int, dash: int
) -> None:
    dash = max(2, dash)
    for x in range(x0, x1, 2 * dash):
        cv2.line(scene, (x, y), (min(x + dash, x1), y), color, thickness)
