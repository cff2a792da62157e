"""Banners: the red fault cue, and why a frame cannot be judged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import cv2
import numpy as np

from formcheck.analysis.state import FrameAnalysis, FrameStatus
from formcheck.render.hud import cue_band
from formcheck.render.style import (
    AMBER,
    DARK,
    RED,
    WHITE,
    Color,
    TextStyle,
    fill_rect,
    fit_text,
    frame_scale,
    humanize,
    put_text,
    text_size,
)

DEFAULT_STATUS_MESSAGES: dict[FrameStatus, str] = {
    FrameStatus.NO_PERSON: "No one in view",
    FrameStatus.OUT_OF_FRAME: "Move fully into the picture",
    FrameStatus.LOW_VISIBILITY: "Body not clearly visible",
    FrameStatus.WRONG_VIEW: "Turn side-on to the camera",
    FrameStatus.UNCLEAR_POSE: "Body shape unclear",
}


_TEXT_TEXT = TextStyle(height=24.0, thickness=2)


@dataclass(frozen=True)
class BannerStyle:
    text: TextStyle = _TEXT_TEXT
    color: Color = RED
    alpha: float = 0.88


class FaultBannerAnnotator:
    """A red banner under the HUD bar while ``analysis.active_faults`` is non-empty (in place).

    The text is, in order: ``messages[fault_id]`` for the first active fault,
    the frame's ``cue``, or the fault id made readable.
    """

    def __init__(
        self, messages: Mapping[str, str] | None = None, style: BannerStyle | None = None
    ) -> None:
        self.messages = dict(messages or {})
        self.style = style or BannerStyle()

    def text_for(self, analysis: FrameAnalysis) -> str | None:
        if not analysis.active_faults:
            return None
        first = analysis.active_faults[0]
        return self.messages.get(first) or analysis.cue or humanize(first)

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        text = self.text_for(analysis)
        if text is None:
            return scene
        st = self.style
        s = frame_scale(scene)
        w = scene.shape[1]
        top, bottom = cue_band(scene)
        fill_rect(scene, (0, top), (w, bottom), st.color, st.alpha)
        # Warning mark: a white disc with a red "!" at the left.
        r = max(6, (bottom - top) * 3 // 10)
        cx, cy = round(14 * s) + r, (top + bottom) // 2
        cv2.circle(scene, (cx, cy), r, WHITE, -1, cv2.LINE_AA)
        lw = max(2, r // 4)
        cv2.line(scene, (cx, cy - r * 6 // 10), (cx, cy + r * 15 // 100), st.color, lw, cv2.LINE_AA)
        cv2.circle(scene, (cx, cy + r * 5 // 10), max(1, lw * 6 // 10), st.color, -1, cv2.LINE_AA)

        left = cx + r + round(12 * s)
        text, ts = fit_text(text, st.text, s, w - left - round(12 * s))
        tw, th = text_size(text, st.text, ts)
        x = max(left, (w - tw) // 2)
        put_text(scene, text, (x, (top + bottom + th) // 2), st.text, ts)
        return scene


class StatusAnnotator:
    """When the frame cannot be judged, says why in a large amber panel mid-frame (in place)."""

    def __init__(
        self,
        style: BannerStyle | None = None,
        default_messages: Mapping[FrameStatus, str] | None = None,
    ) -> None:
        self.style = style or BannerStyle(color=AMBER, alpha=0.9)
        self.default_messages = dict(default_messages or DEFAULT_STATUS_MESSAGES)

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        if analysis.status == FrameStatus.OK:
            return scene
        text = analysis.status_message or self.default_messages.get(
            analysis.status, humanize(analysis.status.value)
        )
        st = self.style
        s = frame_scale(scene)
        h, w = scene.shape[:2]
        margin = round(24 * s)
        text, ts = fit_text(text, st.text, s, w - 4 * margin)
        tw, th = text_size(text, st.text, ts)
        pad = round(16 * ts)
        x0, x1 = (w - tw) // 2 - pad, (w + tw) // 2 + pad
        y0, y1 = h // 2 - th // 2 - pad, h // 2 + th // 2 + pad
        fill_rect(scene, (x0, y0), (x1, y1), st.color, st.alpha)
        put_text(
            scene,
            text,
            ((w - tw) // 2, (y0 + y1 + th) // 2),
            TextStyle(st.text.height, DARK, None, 2),
            ts,
        )
        return scene
