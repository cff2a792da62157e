"""Privacy: blur the patient's head before anything else is drawn.

The head box is centred on the visible FACE landmarks (nose, eyes, ears,
mouth) and sized like a head, not like the landmark cloud: the largest of
the landmarks' own spread, the ear-to-ear and shoulder widths and the torso
length, each times a head-per-unit factor. In a side view the ears and
shoulders overlap, so the torso length keeps the box head-sized.

Stateful: when a frame has no pose the last box keeps being blurred for
``hold_s`` seconds, so a single missed detection never shows the face.
Call :meth:`reset` between clips.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from formcheck.analysis.state import FrameAnalysis
from formcheck.landmarks import FACE, Landmark

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), clipped to the frame


@dataclass(frozen=True)
class FaceBlurStyle:
    method: Literal["pixelate", "gaussian"] = "pixelate"
    blocks: int = 8  # pixelate: cells across the box (fewer = coarser)
    min_visibility: float = 0.3
    ear_factor: float = 1.9  # head width per ear-to-ear distance
    shoulder_factor: float = 0.75  # head height per shoulder width
    torso_factor: float = 0.5  # head height per shoulder-hip distance
    spread_factor: float = 1.8  # head size per spread of the face landmarks
    pad: float = 1.15  # extra margin around the estimated head
    hold_s: float = 1.0  # keep blurring the last box this long without a pose


class FaceBlurAnnotator:
    """Blurs the head region in place (pixelation by default: cheap and irreversible)."""

    def __init__(self, style: FaceBlurStyle | None = None) -> None:
        self.style = style or FaceBlurStyle()
        self._last_box: Box | None = None
        self._last_t: float | None = None

    def reset(self) -> None:
        self._last_box, self._last_t = None, None

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        box = self.head_box(analysis, scene.shape[1], scene.shape[0])
        t = analysis.timestamp_s
        if box is not None:
            self._last_box, self._last_t = box, t
        elif (
            self._last_box is not None
            and self._last_t is not None
            and 0.0 <= t - self._last_t <= self.style.hold_s
        ):
            box = self._last_box
        if box is not None:
            self._blur(scene, box)
        return scene

    def head_box(self, analysis: FrameAnalysis, width: int, height: int) -> Box | None:
        """The padded head box on this frame, or None when no head can be placed."""
        pose = analysis.pose
        if pose.xy is None:
            return None
        st = self.style
        xy = pose.xy
        vis = pose.visibility_or_ones()
        face = np.array([int(lm) for lm in FACE])
        ok = np.isfinite(xy[face]).all(axis=1)
        seen = ok & (vis[face] >= st.min_visibility)
        # Seen from behind the face points are "not visible" but the head is still there.
        use = face[seen] if seen.any() else face[ok]
        if use.size == 0:
            return None
        pts = xy[use]
        cx, cy = pts.mean(axis=0)
        spread = float(np.ptp(pts, axis=0).max()) if len(pts) > 1 else 0.0

        def dist(a: Landmark, b: Landmark) -> float:
            d = float(np.linalg.norm(xy[a] - xy[b]))
            return d if np.isfinite(d) else 0.0

        mid_sh = (xy[Landmark.LEFT_SHOULDER] + xy[Landmark.RIGHT_SHOULDER]) / 2
        mid_hip = (xy[Landmark.LEFT_HIP] + xy[Landmark.RIGHT_HIP]) / 2
        torso = float(np.linalg.norm(mid_sh - mid_hip))
        size = max(
            spread * st.spread_factor,
            dist(Landmark.LEFT_EAR, Landmark.RIGHT_EAR) * st.ear_factor,
            dist(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER) * st.shoulder_factor,
            torso * st.torso_factor if np.isfinite(torso) else 0.0,
            0.04 * min(width, height),  # never smaller than a far-away head
        )
        half = size * st.pad / 2
        x0, y0 = int(max(0, cx - half)), int(max(0, cy - half))
        x1, y1 = int(min(width, cx + half + 1)), int(min(height, cy + half + 1))
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        return x0, y0, x1, y1

    def _blur(self, scene: np.ndarray, box: Box) -> None:
        x0, y0, x1, y1 = box
        roi = scene[y0:y1, x0:x1]
        bw, bh = x1 - x0, y1 - y0
        if self.style.method == "gaussian":
            sigma = max(bw, bh) / 6
            cv2.GaussianBlur(roi, (0, 0), sigma, dst=roi)
            return
        n = max(2, self.style.blocks)
        cells_x = max(2, round(n * bw / max(bw, bh)))
        cells_y = max(2, round(n * bh / max(bw, bh)))
        small = cv2.resize(roi, (cells_x, cells_y), interpolation=cv2.INTER_AREA)
        roi[:] = cv2.resize(small, (bw, bh), interpolation=cv2.INTER_NEAREST)
