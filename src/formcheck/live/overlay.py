"""The live overlay: the standard annotators in a larger style, a setup panel and a debug line.

Built from the annotators in :mod:`formcheck.render`; what is live-only lives
here: the big centre panel for setup/pause/end messages (read from the floor,
2 m away), and :class:`DebugHudAnnotator` (fps, latency, dropped frames).
The coach, not the analyzer, decides which single cue is on screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from formcheck.analysis.state import FrameAnalysis
from formcheck.live.coach import Cue, Priority
from formcheck.live.stats import LiveStats
from formcheck.render.angle import AngleAnnotator
from formcheck.render.banner import BannerStyle, FaultBannerAnnotator
from formcheck.render.base import Annotator
from formcheck.render.face_blur import FaceBlurAnnotator
from formcheck.render.hud import HudAnnotator, HudStyle
from formcheck.render.skeleton import SkeletonAnnotator
from formcheck.render.style import (
    AMBER,
    DARK,
    WHITE,
    Color,
    TextStyle,
    fill_rect,
    frame_scale,
    put_text,
    text_size,
)

# Larger than the recorded-video HUD: the patient is lying 2 m from the screen.
LIVE_HUD = HudStyle(
    counter=TextStyle(height=46.0, thickness=4),
    small=TextStyle(height=20.0, thickness=2),
    cue=TextStyle(height=30.0, thickness=3),
)
PANEL_TEXT = TextStyle(height=34.0, color=DARK, outline=None, thickness=3)
PANEL_TITLE = TextStyle(height=22.0, color=DARK, outline=None, thickness=2)
DEBUG_TEXT = TextStyle(height=14.0, thickness=1)


def wrap(text: str, style: TextStyle, scale: float, max_width: int) -> list[str]:
    """Greedy word wrap so each line fits ``max_width`` pixels (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_size(f"{lines[-1]} {word}", style, scale)[0] <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def draw_panel(
    scene: np.ndarray, title: str, text: str, color: Color = AMBER, alpha: float = 0.9
) -> None:
    """A big centred panel: a small title line above large wrapped text."""
    h, w = scene.shape[:2]
    s = frame_scale(scene)
    margin = round(28 * s)
    lines = wrap(text, PANEL_TEXT, s, w - 4 * margin)[:3]
    _, lh = text_size("Ag", PANEL_TEXT, s)
    _, th = text_size(title or "A", PANEL_TITLE, s)
    gap = round(lh * 0.6)
    height = th + gap + len(lines) * (lh + gap)
    pad = round(18 * s)
    y0 = max(0, h // 2 - height // 2 - pad)
    fill_rect(scene, (margin, y0), (w - margin, y0 + height + 2 * pad), color, alpha)
    y = y0 + pad + th
    if title:
        tw, _ = text_size(title, PANEL_TITLE, s)
        put_text(scene, title, ((w - tw) // 2, y), PANEL_TITLE, s)
    for line in lines:
        y += gap + lh
        lw, _ = text_size(line, PANEL_TEXT, s)
        put_text(scene, line, ((w - lw) // 2, y), PANEL_TEXT, s)


class DebugHudAnnotator:
    """One line at the bottom: overlay fps, frame-to-overlay latency (p50/p95), dropped frames."""

    def __init__(self, stats: LiveStats) -> None:
        self.stats = stats

    def text(self) -> str:
        med, p95 = self.stats.recent_latency_ms()
        lat = "-" if math.isnan(med) else f"{med:.0f}/{p95:.0f} ms"
        return f"{self.stats.fps:4.1f} fps  latency p50/p95 {lat}  dropped {self.stats.dropped}"

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        h = scene.shape[0]
        s = frame_scale(scene)
        text = self.text()
        tw, th = text_size(text, DEBUG_TEXT, s)
        pad = round(6 * s)
        fill_rect(scene, (0, h - th - 2 * pad), (tw + 2 * pad, h), DARK, 0.7)
        put_text(scene, text, (pad, h - pad), DEBUG_TEXT, s)
        return scene


@dataclass(frozen=True)
class OverlayConfig:
    target: int | None
    counter_label: str = "Reps"
    blur_faces: bool = False  # the live window shows the patient to themselves
    debug: bool = False


class LiveOverlay:
    """Draws one live frame: skeleton, angle, big HUD, the coach's cue, panels, debug line."""

    def __init__(self, config: OverlayConfig, stats: LiveStats) -> None:
        self.config = config
        self._pose: list[Annotator] = []
        if config.blur_faces:
            self._pose.append(FaceBlurAnnotator())
        self._pose += [SkeletonAnnotator(), AngleAnnotator()]
        self._hud = HudAnnotator(config.target, config.counter_label, style=LIVE_HUD)
        # No message table: the banner shows the coach's fault cue (analysis.cue).
        self._banner = FaultBannerAnnotator(None, BannerStyle(text=TextStyle(30.0, thickness=3)))
        self._debug = DebugHudAnnotator(stats) if config.debug else None

    def reset(self) -> None:
        for annotator in self._pose:
            reset = getattr(annotator, "reset", None)
            if callable(reset):
                reset()

    def draw(
        self,
        scene: np.ndarray,
        analysis: FrameAnalysis,
        cue: Cue | None,
        *,
        panel: tuple[str, str] | None = None,
    ) -> np.ndarray:
        """Annotate ``scene`` in place.

        Args:
            cue: the coach's choice; a setup cue goes in the big panel.
            panel: ``(title, text)`` for a centre panel that replaces the setup
                one (pause, end of set, next exercise).
        """
        setup = cue is not None and cue.priority is Priority.SETUP
        # The coach decides: only its cue is shown, and the red banner only for a fault cue.
        shown = replace(
            analysis,
            cue=None if cue is None or setup else cue.text,
            active_faults=analysis.active_faults
            if cue is not None and cue.priority is Priority.FAULT
            else (),
        )
        for annotator in self._pose:
            scene = annotator.annotate(scene, shown)
        scene = self._hud.annotate(scene, shown)
        scene = self._banner.annotate(scene, shown)
        if panel is not None:
            draw_panel(scene, panel[0], panel[1], color=WHITE)
        elif setup and cue is not None:
            draw_panel(scene, "GET READY", cue.text)
        if self._debug is not None:
            scene = self._debug.annotate(scene, shown)
        return scene
