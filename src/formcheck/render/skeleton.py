"""Skeleton overlay: the body edges, joints coloured by how sure the model is."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.analysis.state import FrameAnalysis
from formcheck.landmarks import FACE, SKELETON, Landmark
from formcheck.render.style import CYAN, GREY, WHITE, Color, frame_scale, visibility_color


def _side_of(lm: Landmark) -> str | None:
    if lm.name.startswith("LEFT_"):
        return "left"
    if lm.name.startswith("RIGHT_"):
        return "right"
    return None


def _edge_side(a: Landmark, b: Landmark) -> str | None:
    sa, sb = _side_of(a), _side_of(b)
    return sa if sa == sb else None


_BODY_POINTS: tuple[int, ...] = tuple(sorted({int(lm) for edge in SKELETON for lm in edge}))
_FACE_POINTS: tuple[int, ...] = tuple(int(lm) for lm in FACE)


@dataclass(frozen=True)
class SkeletonStyle:
    """Sizes are pixels on a 480-pixel frame; they scale with the frame."""

    near_color: Color = CYAN  # the side nearest the camera: the one the analysis reads
    far_color: Color = GREY
    centre_color: Color = WHITE
    near_thickness: float = 4.0
    thickness: float = 2.0
    far_thickness: float = 1.5
    point_radius: float = 4.0
    min_visibility: float = 0.2  # edges and points below this are not drawn
    draw_face: bool = False  # face points are off by default (privacy, clutter)


class SkeletonAnnotator:
    """Draws :data:`~formcheck.landmarks.SKELETON` edges and joints in place.

    Joints are filled with a red-amber-green colour for their visibility; the
    near side (``analysis.near_side``) is thicker and brighter so the
    physiotherapist sees which limbs were measured.
    """

    def __init__(self, style: SkeletonStyle | None = None) -> None:
        self.style = style or SkeletonStyle()

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        pose = analysis.pose
        if pose.xy is None:
            return scene
        st = self.style
        s = frame_scale(scene)
        xy = pose.xy
        vis = pose.visibility_or_ones()
        ok = np.isfinite(xy).all(axis=1) & (vis >= st.min_visibility)
        pts = np.round(np.nan_to_num(xy)).astype(np.int32)
        near = analysis.near_side

        # Far side first so the near side is drawn on top of it.
        ordered = sorted(SKELETON, key=lambda e: _rank(_edge_side(*e), near))
        for a, b in ordered:
            if not (ok[a] and ok[b]):
                continue
            side = _edge_side(a, b)
            if near is not None and side == near:
                color, th = st.near_color, st.near_thickness
            elif near is not None and side is not None:
                color, th = st.far_color, st.far_thickness
            else:
                color, th = st.centre_color, st.thickness
            cv2.line(
                scene,
                tuple(pts[a]),
                tuple(pts[b]),
                color,
                max(1, round(th * s)),
                cv2.LINE_AA,
            )

        indices = _BODY_POINTS + (_FACE_POINTS if st.draw_face else ())
        radius = max(2, round(st.point_radius * s))
        for i in indices:
            if not ok[i]:
                continue
            r = radius
            lm = Landmark(i)
            if near is not None and _side_of(lm) not in (near, None):
                r = max(2, radius * 2 // 3)
            center = (int(pts[i, 0]), int(pts[i, 1]))
            cv2.circle(scene, center, r + 1, (0, 0, 0), -1, cv2.LINE_AA)
            cv2.circle(scene, center, r, visibility_color(float(vis[i])), -1, cv2.LINE_AA)
        return scene


def _rank(side: str | None, near: str | None) -> int:
    if near is None or side is None:
        return 1
    return 2 if side == near else 0
