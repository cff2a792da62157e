"""The heads-up display: rep counter, hold countdown, phase and the one cue.

Built to be read from about 2 m away: a dark bar across the top with large
white type, sized from the frame height, and the cue in a band below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.state import FrameAnalysis, Phase
from formcheck.render.style import (
    AMBER,
    CYAN,
    DARK,
    GREEN,
    GREY,
    Color,
    TextStyle,
    fill_rect,
    fit_text,
    frame_scale,
    put_text,
    text_size,
)

PHASE_COLORS: dict[Phase, Color] = {
    Phase.SETUP: GREY,
    Phase.REST: (200, 140, 60),
    Phase.RISING: CYAN,
    Phase.TOP: GREEN,
    Phase.LOWERING: AMBER,
}

# Bar and band heights as fractions of the frame height.
BAR_FRACTION = 0.15
CUE_FRACTION = 0.10


def cue_band(scene: np.ndarray) -> tuple[int, int]:
    """``(top, bottom)`` rows of the band under the bar where cues and fault banners go."""
    h = scene.shape[0]
    top = round(h * BAR_FRACTION)
    return top, top + round(h * CUE_FRACTION)


_COUNTER_TEXT = TextStyle(height=36.0, thickness=3)
_SMALL_TEXT = TextStyle(height=17.0, thickness=2)
_CUE_TEXT = TextStyle(height=22.0, thickness=2)


@dataclass(frozen=True)
class HudStyle:
    counter: TextStyle = _COUNTER_TEXT
    small: TextStyle = _SMALL_TEXT
    cue: TextStyle = _CUE_TEXT
    bar_color: Color = DARK
    bar_alpha: float = 0.72
    cue_color: Color = (120, 70, 20)  # dark blue: an instruction, not an alarm
    cue_alpha: float = 0.8
    hold_color: Color = GREEN


class HudAnnotator:
    """Draws the HUD in place.

    Args:
        target: prescribed count shown as ``Reps 3/10``; None shows ``Reps 3``.
        counter_label: ``"Reps"``, ``"Holds"`` or ``"Cycles"``.
        show_cue_during_faults: by default the cue band is left to
            :class:`~formcheck.render.banner.FaultBannerAnnotator` while a
            fault is active, so the patient sees one message, not two.
    """

    def __init__(
        self,
        target: int | None = None,
        counter_label: str = "Reps",
        style: HudStyle | None = None,
        show_cue_during_faults: bool = False,
    ) -> None:
        self.target = target
        self.counter_label = counter_label
        self.style = style or HudStyle()
        self.show_cue_during_faults = show_cue_during_faults

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        st = self.style
        h, w = scene.shape[:2]
        s = frame_scale(scene)
        bar_h = round(h * BAR_FRACTION)
        fill_rect(scene, (0, 0), (w, bar_h), st.bar_color, st.bar_alpha)
        margin = round(14 * s)

        # Counter, left, vertically centred in the bar.
        count = f"{self.counter_label} {analysis.rep_count}"
        if self.target is not None:
            count += f"/{self.target}"
        cw, ch = text_size(count, st.counter, s)
        put_text(scene, count, (margin, (bar_h + ch) // 2), st.counter, s)

        # Phase, right, as a coloured pill.
        phase = analysis.phase.value.upper()
        pw, ph = text_size(phase, st.small, s)
        pad = round(6 * s)
        x1 = w - margin
        x0 = x1 - pw - 2 * pad
        y0 = (bar_h - ph) // 2 - pad
        fill_rect(scene, (x0, y0), (x1, y0 + ph + 2 * pad), PHASE_COLORS.get(analysis.phase, GREY))
        put_text(
            scene, phase, (x0 + pad, y0 + pad + ph), TextStyle(st.small.height, DARK, None, 2), s
        )

        if analysis.hold_s is not None:
            self._draw_hold(scene, analysis, bar_h, (margin + cw + 2 * margin, x0 - margin), s)

        show_cue = analysis.cue and (self.show_cue_during_faults or not analysis.active_faults)
        if show_cue:
            top, bottom = cue_band(scene)
            fill_rect(scene, (0, top), (w, bottom), st.cue_color, st.cue_alpha)
            text, ts = fit_text(str(analysis.cue), st.cue, s, w - 2 * margin)
            tw, th = text_size(text, st.cue, ts)
            put_text(scene, text, ((w - tw) // 2, (top + bottom + th) // 2), st.cue, ts)
        return scene

    def _draw_hold(
        self,
        scene: np.ndarray,
        analysis: FrameAnalysis,
        bar_h: int,
        span: tuple[int, int],
        s: float,
    ) -> None:
        """Countdown between the counter and the phase pill (``span`` = free x range)."""
        st = self.style
        w = scene.shape[1]
        held = float(analysis.hold_s or 0.0)
        target = analysis.hold_target_s
        if target and target > 0:
            remaining = max(0.0, target - held)
            label = f"Hold {math.ceil(remaining - 1e-6)} s" if remaining > 0 else "Hold done"
            frac = min(1.0, held / target)
        else:
            label, frac = f"Hold {held:.0f} s", None
        label, ls = fit_text(label, st.counter, s * 0.8, max(1, span[1] - span[0]))
        tw, th = text_size(label, st.counter, ls)
        x = max(span[0], (span[0] + span[1] - tw) // 2)
        put_text(
            scene, label, (x, (bar_h + th) // 2), TextStyle(st.counter.height, st.hold_color), ls
        )
        if frac is not None:
            # Progress bar along the bottom edge of the HUD bar.
            bh = max(3, round(6 * s))
            fill_rect(scene, (0, bar_h - bh), (w, bar_h), GREY, 0.6)
            fill_rect(scene, (0, bar_h - bh), (round(w * frac), bar_h), st.hold_color)
