"""Per-rep metrics, accumulated frame by frame in constant memory.

Metric names are ``<stat>.<signal>`` (peak, max, min, mean, range, rise,
drop, hold_mean, hold_max) plus timings (lift_s, hold_s, lower_s,
duration_s). Fault rules in the exercise definitions refer to these names.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from formcheck.analysis.segment import RepTiming

NAN = float("nan")
# A rep's plateau is measured from the highest level held this long: a jump of a few
# frames (the model handing a limb from one side to the other) is not the peak, and a
# plateau set 15% below such a spike left a steady 2-s hold timed as 0.1 s.
PEAK_HELD_S = 0.2


@dataclass
class _Running:
    n: int = 0
    total: float = 0.0
    lo: float = math.inf
    hi: float = -math.inf

    def add(self, v: float) -> None:
        self.n += 1
        self.total += v
        self.lo = min(self.lo, v)
        self.hi = max(self.hi, v)


@dataclass
class RepAccumulator:
    """Running statistics of every signal over one rep.

    The hold statistics of a rep (``hold_mean``, ``hold_max``) are taken on its top
    plateau, which is only known once the rep's peak is: a frame that led the rise a
    moment ago may sit below the plateau in the end. So frames past the counting
    target are kept (``top_u`` given: the frame's measured values, only while at the
    top) and sorted into the plateau when the metrics are read; the sorting is redone
    only when the peak rises, so reading the metrics every frame (live cues) stays cheap
    through a long hold. Holds (no plateau) pass ``in_hold`` instead and keep nothing.
    A signal seen on fewer than ``min_hold_seen`` of the hold's frames has no hold
    statistics (NaN: not judged). The plateau is set from the highest level held for
    ``PEAK_HELD_S`` (the highest frame when no such stretch was seen).
    """

    min_hold_seen: float = 0.0
    first: dict[str, float] = field(default_factory=dict)
    at_peak: dict[str, float] = field(default_factory=dict)
    whole: dict[str, _Running] = field(default_factory=dict)
    hold: dict[str, _Running] = field(default_factory=dict)
    top: list[tuple[float, dict[str, float]]] = field(default_factory=list)
    hold_frames: int = 0
    _top_peak: float = field(default=-math.inf, init=False, repr=False)
    _held_peak: float = field(default=-math.inf, init=False, repr=False)
    _recent_top: deque[tuple[float, float]] = field(default_factory=deque, init=False, repr=False)
    # The plateau statistics as last read:
    # (level, frames of ``top`` sorted, frames on the plateau, stats).
    _plateau: tuple[float, int, int, dict[str, _Running]] | None = field(
        default=None, init=False, repr=False
    )

    def add(
        self,
        signals: dict[str, float],
        *,
        is_peak: bool,
        in_hold: bool = False,
        top_u: float | None = None,
        t: float = NAN,
    ) -> None:
        """One frame of the rep at time ``t``; ``top_u``: its counting value, if past the target."""
        measured = {name: v for name, v in signals.items() if not math.isnan(v)}
        self.hold_frames += in_hold
        for name, v in measured.items():
            self.first.setdefault(name, v)
            self.whole.setdefault(name, _Running()).add(v)
            if in_hold:
                self.hold.setdefault(name, _Running()).add(v)
        if top_u is not None:
            self.top.append((top_u, measured))
            self._top_peak = max(self._top_peak, top_u)
            self._track_held_peak(t, top_u)
        if is_peak:
            self.at_peak = dict(signals)

    def _track_held_peak(self, t: float, u: float) -> None:
        recent = self._recent_top
        if recent and not t - recent[-1][0] <= PEAK_HELD_S:
            recent.clear()  # left the top in between (or no times): start a new stretch
        recent.append((t, u))
        while t - recent[0][0] > PEAK_HELD_S:
            recent.popleft()
        if len(recent) >= 2 and t - recent[0][0] >= 0.8 * PEAK_HELD_S:
            self._held_peak = max(self._held_peak, min(v for _, v in recent))

    @property
    def peak_u(self) -> float:
        """The rep's top as the plateau sees it: the highest level held ``PEAK_HELD_S``."""
        return self._held_peak if self._held_peak > -math.inf else self._top_peak

    def _hold_stats(self, timing: RepTiming, plateau: float | None) -> dict[str, _Running]:
        if not self.top or plateau is None or not math.isfinite(timing.start_u):
            return self._seen_enough(self.hold, self.hold_frames)
        level = plateau_level(timing.start_u, self.peak_u, plateau)
        if self._plateau is None or self._plateau[0] != level:
            self._plateau = (level, 0, 0, {})
        _, done, frames, hold = self._plateau
        for u, measured in self.top[done:]:
            if u >= level:
                frames += 1
                for name, v in measured.items():
                    hold.setdefault(name, _Running()).add(v)
        self._plateau = (level, len(self.top), frames, hold)
        return self._seen_enough(hold, frames)

    def _seen_enough(self, stats: dict[str, _Running], frames: int) -> dict[str, _Running]:
        if not self.min_hold_seen:
            return stats
        return {name: r for name, r in stats.items() if r.n >= self.min_hold_seen * frames}

    def metrics(
        self, timing: RepTiming, end_s: float, plateau: float | None = 0.85, timings: bool = True
    ) -> dict[str, float]:
        """All metrics of the rep so far. Missing values are NaN (not judged).

        ``timings=False`` leaves out lift, hold, lowering and duration (they walk the
        whole rep): for the live cues, read every frame, which judge no timing rule.
        """
        out: dict[str, float] = {}
        names = set(self.whole) | set(self.at_peak)
        holds = self._hold_stats(timing, plateau)
        for name in names:
            w = self.whole.get(name)
            h = holds.get(name)
            first = self.first.get(name, NAN)
            out[f"peak.{name}"] = self.at_peak.get(name, NAN)
            out[f"max.{name}"] = w.hi if w else NAN
            out[f"min.{name}"] = w.lo if w else NAN
            out[f"mean.{name}"] = w.total / w.n if w else NAN
            out[f"range.{name}"] = w.hi - w.lo if w else NAN
            out[f"rise.{name}"] = w.hi - first if w else NAN
            out[f"drop.{name}"] = first - w.lo if w else NAN
            out[f"hold_mean.{name}"] = h.total / h.n if h else NAN
            out[f"hold_max.{name}"] = h.hi if h else NAN
            out[f"hold_rise.{name}"] = h.total / h.n - first if h else NAN
        if timings:
            peak = self.peak_u if self.top else None
            out.update(rep_timings(timing, end_s, plateau, peak_u=peak))
        return out


def plateau_level(start_u: float, peak_u: float, plateau: float) -> float:
    """Where a rep's plateau begins: ``plateau`` of the way from its start to its peak.

    The hold statistics and the hold time both use it, so they judge the same frames.
    """
    return start_u + plateau * (peak_u - start_u)


def rep_timings(
    timing: RepTiming, end_s: float, plateau: float | None = 0.85, peak_u: float | None = None
) -> dict[str, float]:
    """Lift, hold and lowering durations; NaN where the clip did not show them.

    With ``plateau`` (reps), the hold is the time the signal stays within the
    top ``1 - plateau`` of the rep's own range, and lift and lowering run from
    the rest value to that plateau and back, so they do not depend on where
    the counting thresholds sit. ``peak_u`` is the top of that range (the
    trace's highest value when not given). Without ``plateau`` (holds), the hold
    is the time spent past the counting target.
    """
    seen_start = not timing.started_before
    duration = end_s - timing.start_s if seen_start and not timing.cut else NAN
    top_in, top_out = timing.top_enter_s, timing.top_exit_s
    # A hold first seen at the target has no start value: it is timed past the target.
    known_start = seen_start and math.isfinite(timing.start_u)
    if plateau is not None and len(timing.trace) >= 3 and known_start:
        ts = [p[0] for p in timing.trace]
        us = [p[1] for p in timing.trace]
        top = max(us) if peak_u is None else min(peak_u, max(us))
        level = plateau_level(timing.start_u, top, plateau)
        above = [i for i, u in enumerate(us) if u >= level]
        top_in, top_out = ts[above[0]], ts[above[-1]]
        if timing.cut and above[-1] == len(us) - 1:
            top_out = None
    lift = top_in - timing.start_s if (top_in is not None and seen_start) else NAN
    if top_in is None:
        hold = NAN
    elif top_out is not None:
        hold = top_out - top_in
    else:
        # Still holding when the rep was cut: the hold is at least this long
        # (see lower_bound_metrics).
        hold = end_s - top_in
    lowered = timing.end_s is not None and not timing.cut
    lower = end_s - top_out if (top_out is not None and lowered) else NAN
    return {"lift_s": lift, "hold_s": hold, "lower_s": lower, "duration_s": duration}


def lower_bound_metrics(timing: RepTiming) -> frozenset[str]:
    """Metrics that are only lower bounds for this rep (a hold cut by the clip's end).

    A rule "hold shorter than X" cannot be concluded from a lower bound.
    """
    if timing.cut and timing.top_enter_s is not None:
        return frozenset({"hold_s"})
    return frozenset()
