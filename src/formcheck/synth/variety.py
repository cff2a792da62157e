"""How a scripted performance moves: the same every time (the default), or varied the way
people vary, drawn reproducibly from the clip's seed.

A script asks its :class:`Motion` for every duration, amplitude, top hold and rest
between reps. Constant motion answers with the script's own numbers (scaled by
``tempo``), so the sample clips and the older suites render exactly as before. Varied
motion draws:

- a clip tempo of 0.5-2x (log-uniform) and a per-rep jitter of +-15 % on every move;
- a per-rep amplitude from the script's ``full_from`` to 1 (reps of uneven size that
  stay clean by the definition's range faults: the faulty suite clips bring the short
  reps that still count, such as a sagging bridge);
- top holds within the script's range (bridge 0-5 s; bird-dog 1.5-5 s, as under 1 s is
  its ``hold_too_short`` fault);
- pauses of 0-3 s between reps, with fidgeting (a slow wander of the level of a few per
  cent of the rep and a small nod), a sigh (chest and head lift and settle) or a shuffle
  (the body slides 2-5 cm along the mat and rocks); and sometimes an attempt too small to
  count (truth: ``partial: "small"``);
- a clip that opens after the first rep's rise (truth: ``partial: "start"``) or closes
  during the last rep's rise (``partial: "end"``); a cycle clip is cut at one edge only,
  as pairing turning points cannot tell which half of a cycle an edge cut off.

What was drawn is written to the truth (``variety``) so accuracy can be read per class.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.synth.timeline import Offset, Rep, Timeline, Wander

TEMPO_RANGE = (0.5, 2.0)
JITTER = 0.15
PAUSE_S = (0.0, 3.0)
FIDGET_LEVEL = 0.04  # share of a full rep: far below every definition's counting threshold
CUT_P = 0.35  # chance of each edge cut


class Motion:
    """Durations, amplitudes and rests for one clip; ``seed`` None: constant (no variety)."""

    def __init__(self, tempo: float = 1.0, seed: int | None = None, kind: str = "rep") -> None:
        self.varied = seed is not None
        self.kind = kind
        self.rng = np.random.default_rng([seed if seed is not None else 0, 7])
        self.tempo = tempo
        if self.varied:
            lo, hi = (math.log(v) for v in TEMPO_RANGE)
            self.tempo = tempo * math.exp(self.rng.uniform(lo, hi))
        self._k = 1.0 / self.tempo
        self._jitter = 1.0
        # Edge cuts are drawn up front: the clip performs an extra rep for each.
        cut = self.rng.random(2) < CUT_P if self.varied else np.zeros(2, bool)
        if kind == "cycle" and cut.all():
            cut[1] = False
        self.cut_start, self.cut_end = bool(cut[0]), bool(cut[1])
        self.record: dict[str, object] = {"tempo": round(self.tempo, 3)} if self.varied else {}
        self._log: dict[str, list] = {
            k: [] for k in ("amplitudes", "top_holds_s", "pauses_s", "events")
        }

    @property
    def extra_reps(self) -> int:
        return int(self.cut_start) + int(self.cut_end)

    def next_rep(self) -> None:
        """Start a rep: draw its tempo jitter."""
        if self.varied:
            self._jitter = float(self.rng.uniform(1 - JITTER, 1 + JITTER))

    def t(self, seconds: float) -> float:
        """A scripted move's duration at this clip's tempo (and this rep's jitter)."""
        if not self.varied:
            return seconds * self._k
        return seconds * self._k * self._jitter

    def at_least(self, seconds: float, floor_s: float) -> float:
        """``seconds``, but no shorter than ``floor_s`` when varied (a clean rep stays clean:
        e.g. a bridge lowered in under a second reads as the lowering_too_fast fault)."""
        return max(seconds, floor_s) if self.varied else seconds

    def amplitude(self, full_from: float) -> float:
        if not self.varied:
            return 1.0
        a = float(self.rng.uniform(full_from, 1.0))
        self._log["amplitudes"].append(round(a, 3))
        return a

    def top_hold(self, default: float, lo: float, hi: float) -> float:
        if not self.varied:
            return default
        h = float(self.rng.uniform(lo, hi))
        self._log["top_holds_s"].append(round(h, 2))
        return h

    def rest(self, tl: Timeline, seconds: float, small: float | None = None,
             fidget_sign: float = 1.0, last: bool = False) -> None:  # fmt: skip
        """The rest after a rep: ``seconds`` as scripted, or when varied a pause with what
        people do between reps. ``small``: the level of an attempt too small to count."""
        if not self.varied:
            tl.hold(seconds)
            return
        pause = seconds + (0.0 if last else float(self.rng.uniform(*PAUSE_S)))
        self._log["pauses_s"].append(round(pause, 2))
        draw = self.rng.random(4)
        start = tl.time_s
        if pause >= 1.5 and draw[0] < 0.6:
            self._fidget(tl, start, pause, fidget_sign)
        if pause >= 1.8 and draw[1] < 0.3:
            self._sigh(tl, start + 0.2, min(2.0, pause - 0.4))
        elif pause >= 1.2 and draw[1] < 0.55:
            self._shuffle(tl, start + 0.2, min(0.8, pause - 0.4))
        if small is not None and not last and pause >= 2.0 and draw[2] < 0.25:
            self._small_attempt(tl, pause, small)
        else:
            tl.hold(pause)

    def _fidget(self, tl: Timeline, start: float, seconds: float, sign: float) -> None:
        r = self.rng.uniform(size=4)
        tl.wanders.append(
            Wander(start, seconds, FIDGET_LEVEL * (0.5 + 0.5 * r[0]), 0.2 + 0.4 * r[1],
                   2 * np.pi * r[2], sign)
        )  # fmt: skip
        tl.offsets.append(Offset("neck_flex", start, seconds, 4.0 * (r[3] - 0.5), "bump"))
        self._log["events"].append("fidget")

    def _sigh(self, tl: Timeline, start: float, seconds: float) -> None:
        # The chest lifts (thoracic extension) and the head tips back, then both settle.
        tl.offsets.append(Offset("thoracic_flex", start, seconds, -4.0, "bump"))
        tl.offsets.append(Offset("neck_flex", start, seconds, -5.0, "bump"))
        self._log["events"].append("sigh")

    def _shuffle(self, tl: Timeline, start: float, seconds: float) -> None:
        # The body slides a few cm along the mat (and stays there), rocking a little.
        r = self.rng.uniform(size=2)
        slide = (0.02 + 0.03 * r[0]) * (1 if r[1] < 0.5 else -1)
        tl.offsets.append(Offset("ty", start, seconds, slide, "step"))
        tl.offsets.append(Offset("roll", start, seconds, 3.0 if r[1] < 0.5 else -3.0, "bump"))
        self._log["events"].append("shuffle")

    def _small_attempt(self, tl: Timeline, pause: float, small: float) -> None:
        """Start a rep and give up: a movement of ``small`` of a full rep and back."""
        before = 0.3 * (pause - 1.6)
        tl.hold(before)
        start = tl.time_s
        peak = tl.move(small, 0.8)
        end = tl.move(0.0, 0.8)
        tl.hold(pause - 1.6 - before)
        tl.reps.append(Rep(0, tl.reps[-1].kind if tl.reps else "rep", None, start, peak, end,
                           None, None, (), "small"))  # fmt: skip
        self._log["events"].append("small_attempt")

    def cut(self, tl: Timeline) -> None:
        """Open the clip after the first rep's rise and/or close it during the last rep's
        rise, as drawn; mark those reps partial."""
        if not self.varied or not (self.cut_start or self.cut_end):
            return
        counted = [r for r in tl.reps if r.partial is None]
        marks: dict[int, str] = {}
        t0, t1 = 0.0, None
        if self.cut_start:
            first = counted[0]
            t0 = self._start_cut(tl, first)
            marks[first.index] = "start"
        if self.cut_end:
            last = counted[-1]
            t1 = self._end_cut(tl, last)
            marks[last.index] = "end"
        self.record["cut"] = {"start": self.cut_start, "end": self.cut_end}
        tl.trim(t0, t1, marks)

    def _start_cut(self, tl: Timeline, rep: Rep) -> float:
        u = float(self.rng.uniform(0.35, 0.65))
        if rep.kind == "cycle":  # past the cow, on the way to the cat
            return _crossing(tl, rep.start_s, rep.peak_s, up=True, after_low=True) or rep.start_s
        top_end = rep.hold_end_s if rep.hold_end_s is not None else rep.peak_s
        return top_end + u * (rep.end_s - top_end)  # on the way down: rise and top unseen

    def _end_cut(self, tl: Timeline, rep: Rep) -> float:
        u = float(self.rng.uniform(0.35, 0.7))
        if rep.kind == "cycle":  # the cow seen, the cat not reached
            return _crossing(tl, rep.start_s, rep.peak_s, up=True, after_low=True) or rep.end_s
        top = rep.hold_start_s if rep.hold_start_s is not None else rep.peak_s
        return rep.start_s + u * (top - rep.start_s)  # on the way up: no top yet

    def truth(self) -> dict[str, object]:
        """What was drawn, for the truth JSON (empty without variety)."""
        if not self.varied:
            return {}
        return {**self.record, **self._log}


def _crossing(tl: Timeline, lo: float, hi: float, up: bool, after_low: bool) -> float | None:
    """The first time in [lo, hi] the level passes 0 going up, after it has been low."""
    been_low = not after_low
    for t in np.arange(lo, hi, 0.01):
        v = tl.level_at(float(t))
        if v < -0.5:
            been_low = True
        if been_low and up and v >= 0.0 and t > lo + 0.05:
            return float(t)
    return None
