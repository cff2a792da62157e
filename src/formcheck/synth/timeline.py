"""Motion scripts as timelines: a level that moves between key poses over time, and the
truth (rep, hold and fault intervals) recorded as the script is written.

A script is a sequence of moves (ease from the current level to another over some
seconds) and holds. The level selects a key pose of the current variant; variants
(sides, faults) may change only while the level is 0, where they all share one pose.

Movement variety (:mod:`formcheck.synth.variety`) adds to that: a slow wander of the
level at rest (fidgeting), additive offsets of single angles or of the body's placement
(a sigh, a shuffle), and a clip window that may open or close mid-rep (``trim``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np


@dataclass(frozen=True)
class Rep:
    index: int
    kind: str  # "rep" | "hold" | "cycle"
    side: str | None
    start_s: float
    peak_s: float
    end_s: float
    hold_start_s: float | None
    hold_end_s: float | None
    faults: tuple[str, ...]
    # Why this rep does not count, or None when it does: "start" (the clip opens after its
    # rise), "end" (the clip closes before its top), "small" (an attempt too small to count).
    partial: str | None = None


@dataclass(frozen=True)
class Wander:
    """A slow wander of the level around its held value (fidgeting at rest): it starts and
    ends at zero, so the level is continuous; ``sign`` +1 keeps it on the positive side."""

    start_s: float
    seconds: float
    amplitude: float
    freq_hz: float
    phase: float
    sign: float  # +1 / -1: one side only; 0: either side

    def at(self, t: np.ndarray) -> np.ndarray:
        u = np.clip((t - self.start_s) / self.seconds, 0.0, 1.0)
        envelope = np.sin(np.pi * u) ** 2
        wave = np.sin(2 * np.pi * self.freq_hz * (t - self.start_s) + self.phase)
        shape = 0.55 + 0.45 * wave if self.sign else wave
        return (self.sign or 1.0) * self.amplitude * envelope * shape


@dataclass(frozen=True)
class Offset:
    """An additive change of one pose angle (or placement) over a span: ``bump`` goes out and
    comes back (a sigh), ``step`` eases to its value and keeps it (a shuffle)."""

    name: str
    start_s: float
    seconds: float
    amount: float
    shape: str  # "bump" | "step"

    def at(self, t: np.ndarray) -> np.ndarray:
        u = np.clip((t - self.start_s) / self.seconds, 0.0, 1.0)
        if self.shape == "bump":
            return self.amount * np.sin(np.pi * u) ** 2
        return self.amount * (0.5 - 0.5 * np.cos(np.pi * u))


@dataclass
class Timeline:
    """Builder: call ``move``/``hold`` in order, then ``sample`` at the video's frame rate."""

    variant: str = "clean"
    level: float = 0.0
    time_s: float = 0.0
    _segments: list[tuple[float, float, str, float, float]] = field(default_factory=list)
    reps: list[Rep] = field(default_factory=list)
    wanders: list[Wander] = field(default_factory=list)
    offsets: list[Offset] = field(default_factory=list)
    # The clip's window on the script (``trim``): the video shows [t0, t1).
    t0: float = 0.0
    t1: float | None = None

    def move(self, to_level: float, seconds: float, variant: str | None = None) -> float:
        if variant is not None and variant != self.variant:
            if abs(self.level) > 1e-9:
                raise ValueError("variants may only change at level 0")
            self.variant = variant
        self._segments.append((self.time_s, seconds, self.variant, self.level, to_level))
        self.time_s += seconds
        self.level = to_level
        return self.time_s

    def hold(self, seconds: float) -> float:
        return self.move(self.level, seconds)

    def level_at(self, t: float) -> float:
        """The scripted level at script time ``t`` (without wander)."""
        for start, dur, _, a, b in self._segments:
            if start <= t < start + dur or (dur <= 0 and abs(t - start) < 1e-12):
                u = 1.0 if dur <= 0 else (t - start) / dur
                return float(a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * u)))
        return self.level

    def trim(self, t0: float, t1: float | None, marks: dict[int, str]) -> None:
        """Show only script time [t0, t1) and mark the reps the cut leaves partial
        (rep index -> "start" | "end"). Rep times are then clip times (from t0)."""
        self.t0, self.t1 = t0, t1
        out = []
        for r in self.reps:
            r = replace(r, partial=marks.get(r.index, r.partial))
            out.append(_shifted(r, -t0, 0.0, (t1 if t1 is not None else self.time_s) - t0))
        self.reps = out

    @property
    def duration_s(self) -> float:
        return (self.t1 if self.t1 is not None else self.time_s) - self.t0

    def times(self, fps: float) -> np.ndarray:
        """Script times of the clip's frames."""
        return self.t0 + np.arange(round(self.duration_s * fps)) / fps

    def sample(self, fps: float) -> tuple[list[str], np.ndarray]:
        """Per-frame variant and level; cosine easing within each move, plus any wander."""
        ts = self.times(fps)
        variants: list[str] = []
        levels = np.empty(len(ts))
        k = 0
        for i, t in enumerate(ts):
            while k + 1 < len(self._segments) and t >= self._segments[k + 1][0]:
                k += 1
            start, dur, var, a, b = self._segments[k]
            u = 1.0 if dur <= 0 else min(max((t - start) / dur, 0.0), 1.0)
            levels[i] = a + (b - a) * (0.5 - 0.5 * np.cos(np.pi * u))
            variants.append(var)
        for w in self.wanders:
            levels += w.at(ts)
        return variants, levels

    def sample_offsets(self, fps: float) -> dict[str, np.ndarray]:
        """Per-frame additive offsets by angle (or placement) name."""
        ts = self.times(fps)
        out: dict[str, np.ndarray] = {}
        for o in self.offsets:
            out[o.name] = out.get(o.name, np.zeros(len(ts))) + o.at(ts)
        return out


def _shifted(r: Rep, dt: float, lo: float, hi: float) -> Rep:
    def f(v: float | None) -> float | None:
        return None if v is None else min(max(v + dt, lo), hi)

    return replace(
        r,
        start_s=f(r.start_s),
        peak_s=f(r.peak_s),
        end_s=f(r.end_s),
        hold_start_s=f(r.hold_start_s),
        hold_end_s=f(r.hold_end_s),
    )
