"""Live value of the primary signal, drawn at its joint or as a dial gauge.

``FrameAnalysis`` names the primary signal but not the joint it is measured
at, so the vertex is looked up from the signal name: an explicit
``vertices`` mapping first, else the joint word in the name (``"knee"``,
``"hip"``...) on the named side or the near side. Without a vertex the value
is shown as a dial gauge in the top-left corner, under the HUD.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import cv2
import numpy as np

from formcheck.analysis.state import FrameAnalysis
from formcheck.landmarks import Landmark, Side
from formcheck.render.hud import cue_band
from formcheck.render.style import (
    CYAN,
    DARK,
    GREY,
    RED,
    WHITE,
    Color,
    TextStyle,
    fill_rect,
    frame_scale,
    put_text,
    text_size,
)

# Joint -> the two neighbouring parts whose segments form the angle.
JOINT_ARMS: dict[str, tuple[str, str]] = {
    "knee": ("hip", "ankle"),
    "hip": ("shoulder", "knee"),
    "elbow": ("shoulder", "wrist"),
    "shoulder": ("elbow", "hip"),
    "ankle": ("knee", "foot_index"),
    "wrist": ("elbow", "index"),
}
_SIDES = ("left", "right")


_LABEL_TEXT = TextStyle(height=20.0, thickness=2)


@dataclass(frozen=True)
class AngleStyle:
    color: Color = CYAN
    fault_color: Color = RED
    radius: float = 34.0  # wedge radius at a 480-pixel frame
    wedge_alpha: float = 0.45
    label: TextStyle = _LABEL_TEXT
    gauge_radius: float = 42.0
    gauge_range: tuple[float, float] = (0.0, 180.0)  # used when the signal is not an angle
    min_visibility: float = 0.3


@dataclass(frozen=True)
class ResolvedVertex:
    vertex: Landmark
    arms: tuple[Landmark, Landmark] | None


@dataclass
class AngleAnnotator:
    """Draws the primary signal's live value in place.

    Args:
        style: look of the wedge, label and gauge.
        vertices: signal name -> landmark name (``"{side}"`` is replaced by
            the near side), for signal names the heuristic cannot read.
        degrees: signal names ending in these words are shown in degrees.
    """

    style: AngleStyle = field(default_factory=AngleStyle)
    vertices: Mapping[str, str] = field(default_factory=dict)
    degree_words: tuple[str, ...] = ("angle", "flexion", "extension", "tilt", "deg")

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        value = analysis.primary_value
        if not math.isfinite(value):
            return scene
        st = self.style
        s = frame_scale(scene)
        color = st.fault_color if analysis.active_faults else st.color
        # Signals given an explicit vertex are joint angles (the exercise says so).
        is_angle = (
            self._is_angle(analysis.primary_signal) or analysis.primary_signal in self.vertices
        )
        text = f"{value:.0f}" if is_angle else f"{value:.2f}"

        resolved = self.resolve(analysis)
        if resolved is None:
            self._draw_gauge(scene, analysis, value, text, is_angle, color, s)
            return scene
        xy = analysis.pose.xy
        assert xy is not None  # resolve() returns None without a pose
        center = np.asarray(xy[resolved.vertex], dtype=float)
        if is_angle and resolved.arms is not None:
            self._draw_wedge(scene, center, xy, resolved.arms, color, s)
        # Label beside the joint, on the side away from the body's midline.
        offset = np.array([st.radius * 0.9, -st.radius * 0.6]) * s
        org = (center + offset).astype(int)
        self._label(scene, text, (int(org[0]), int(org[1])), is_angle, color, s)
        return scene

    def resolve(self, analysis: FrameAnalysis) -> ResolvedVertex | None:
        """The joint to draw at, or None when unknown or not visible."""
        pose = analysis.pose
        if pose.xy is None:
            return None
        vis = pose.visibility_or_ones()
        name = analysis.primary_signal.lower()
        side = _side_in(name) or analysis.near_side or _more_visible_side(vis)

        explicit = self.vertices.get(analysis.primary_signal)
        if explicit is not None:
            try:
                vertex = Landmark.from_name(explicit.format(side=side))
            except (ValueError, KeyError):
                return None
            return _visible(ResolvedVertex(vertex, _arms_for(vertex, side)), pose.xy, vis, self)

        for joint in JOINT_ARMS:
            if re.search(rf"(^|_){joint}(_|$)", name):
                vertex = Landmark.sided(joint, _side_enum(side))
                return _visible(ResolvedVertex(vertex, _arms_for(vertex, side)), pose.xy, vis, self)
        return None

    def _is_angle(self, signal: str) -> bool:
        words = signal.lower().split("_")
        return any(w in words for w in self.degree_words)

    def _draw_wedge(
        self,
        scene: np.ndarray,
        center: np.ndarray,
        xy: np.ndarray,
        arms: tuple[Landmark, Landmark],
        color: Color,
        s: float,
    ) -> None:
        r = max(8, round(self.style.radius * s))
        a1 = math.degrees(math.atan2(*(xy[arms[0]] - center)[::-1]))
        a2 = math.degrees(math.atan2(*(xy[arms[1]] - center)[::-1]))
        # Sweep the short way round so the wedge fills the joint's inside angle.
        delta = (a2 - a1 + 540.0) % 360.0 - 180.0
        cx, cy = int(center[0]), int(center[1])
        x0, y0 = max(0, cx - r - 2), max(0, cy - r - 2)
        x1, y1 = min(scene.shape[1], cx + r + 3), min(scene.shape[0], cy + r + 3)
        if x1 <= x0 or y1 <= y0:
            return
        roi = scene[y0:y1, x0:x1]
        overlay = roi.copy()
        c_local = (cx - x0, cy - y0)
        cv2.ellipse(overlay, c_local, (r, r), 0, a1, a1 + delta, color, -1, cv2.LINE_AA)
        cv2.addWeighted(overlay, self.style.wedge_alpha, roi, 1 - self.style.wedge_alpha, 0, roi)
        th = max(1, round(2 * s))
        cv2.ellipse(scene, (cx, cy), (r, r), 0, a1, a1 + delta, color, th, cv2.LINE_AA)

    def _label(
        self,
        scene: np.ndarray,
        text: str,
        org: tuple[int, int],
        is_angle: bool,
        color: Color,
        s: float,
    ) -> None:
        st = self.style.label
        w, h = text_size(text, st, s)
        pad = max(3, round(4 * s))
        deg_r = max(2, round(3 * s))
        extra = 3 * deg_r if is_angle else 0
        x = min(max(pad, org[0]), scene.shape[1] - w - extra - 2 * pad)
        y = min(max(h + 2 * pad, org[1]), scene.shape[0] - pad)
        fill_rect(scene, (x - pad, y - h - pad), (x + w + extra + pad, y + pad), DARK, 0.7)
        fill_rect(
            scene, (x - pad, y + pad - max(2, round(3 * s))), (x + w + extra + pad, y + pad), color
        )
        put_text(scene, text, (x, y), TextStyle(st.height, WHITE, None, st.thickness), s)
        if is_angle:  # Hershey fonts have no degree sign
            cv2.circle(scene, (x + w + 2 * deg_r, y - h + deg_r), deg_r, WHITE, 1, cv2.LINE_AA)

    def _draw_gauge(
        self,
        scene: np.ndarray,
        analysis: FrameAnalysis,
        value: float,
        text: str,
        is_angle: bool,
        color: Color,
        s: float,
    ) -> None:
        st = self.style
        r = max(12, round(st.gauge_radius * s))
        # Top-left under the HUD: the top-right corner holds the plot strip.
        cx, cy = r + round(16 * s), cue_band(scene)[1] + r + round(16 * s)
        lo, hi = (0.0, 180.0) if is_angle else st.gauge_range
        fill_rect(scene, (cx - r - 8, cy - r - 8), (cx + r + 8, cy + r + 8), DARK, 0.55)
        start, sweep = 135.0, 270.0  # a 270° dial opening downwards
        th = max(2, round(6 * s))
        cv2.ellipse(scene, (cx, cy), (r, r), 0, start, start + sweep, GREY, th, cv2.LINE_AA)
        frac = float(np.clip((value - lo) / (hi - lo), 0.0, 1.0)) if hi > lo else 0.0
        cv2.ellipse(scene, (cx, cy), (r, r), 0, start, start + sweep * frac, color, th, cv2.LINE_AA)
        for thr in analysis.thresholds.values():
            if math.isfinite(thr) and lo <= thr <= hi:
                ang = math.radians(start + sweep * (thr - lo) / (hi - lo))
                p0 = (int(cx + (r - th) * math.cos(ang)), int(cy + (r - th) * math.sin(ang)))
                p1 = (int(cx + (r + th) * math.cos(ang)), int(cy + (r + th) * math.sin(ang)))
                cv2.line(scene, p0, p1, WHITE, max(1, round(2 * s)), cv2.LINE_AA)
        tw, th_text = text_size(text, st.label, s)
        put_text(scene, text, (cx - tw // 2, cy + th_text // 2), st.label, s)


def _side_in(name: str) -> str | None:
    for side in _SIDES:
        if re.search(rf"(^|_){side}(_|$)", name):
            return side
    return None


def _more_visible_side(vis: np.ndarray) -> str:
    left = vis[[Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_SHOULDER]].sum()
    right = vis[[Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_SHOULDER]].sum()
    return "left" if left >= right else "right"


def _side_enum(side: str) -> Side:
    return Side(side)


def _arms_for(vertex: Landmark, side: str) -> tuple[Landmark, Landmark] | None:
    part = vertex.name.lower().removeprefix("left_").removeprefix("right_")
    arms = JOINT_ARMS.get(part)
    if arms is None:
        return None
    return Landmark.sided(arms[0], _side_enum(side)), Landmark.sided(arms[1], _side_enum(side))


def _visible(
    resolved: ResolvedVertex, xy: np.ndarray, vis: np.ndarray, owner: AngleAnnotator
) -> ResolvedVertex | None:
    lim = owner.style.min_visibility
    if vis[resolved.vertex] < lim or not np.isfinite(xy[resolved.vertex]).all():
        return None
    arms = resolved.arms
    if arms is not None and any(vis[a] < lim or not np.isfinite(xy[a]).all() for a in arms):
        arms = None
    return ResolvedVertex(resolved.vertex, arms)
