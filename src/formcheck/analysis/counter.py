"""Live counting: the signal seen so far, segmented exactly as a recorded clip is
(reps and holds); cycles follow a zigzag of turning points (:class:`CycleCounter`).

A recorded clip is segmented once, whole (:mod:`formcheck.analysis.segment`). Live, the
same strategy runs on every new frame over the signal since the last finished rep, so
live and recorded analysis count by one rule and agree. What live adds is only what a
stream needs:

- a rep, once counted, stays counted (the count on screen never goes back);
- it is counted when the strategy first says so: at the target, held ``min_top_s``,
  not when the patient comes back down (a rise under way as the session opens waits
  for its end: only then is the rest it rose from known);
- the patient's phase for the overlay, from one enum (:class:`Phase`), read off the
  open rep: none (``REST``), rising to its top (``RISING``), at it (``TOP``), coming
  back (``LOWERING``); ``SETUP`` until a frame can be judged, and after a gap.

Live counting follows the definition's ``direction``: which way a subtle movement goes
(``either_way``) is decided from a whole clip.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.segment import (
    GRID_S,
    MAX_GAP_S,
    OPENING_S,
    RepTiming,
    Segmentation,
    Segmenter,
)
from formcheck.analysis.state import Phase
from formcheck.exercises.schema import CountingSpec

# The signal before the last finished rep's end that the next segmentation still sees: the
# rest the next rep rises from, which the strategy measures it against.
CONTEXT_S = 1.0
# A rep that came back is finished once its end has stayed put this long: until the
# lowering settles, the strategy moves the rep's end on with every frame.
END_SETTLED_S = 0.5
# Cycles, live: the patient's centre is first taken once this much of the signal is seen.
CENTRE_AFTER_S = 1.0
# Nothing open for this long: the window moves on (a long stillness costs nothing).
IDLE_WINDOW_S = 20.0


@dataclass(frozen=True)
class CounterEvent:
    """Something the counter decided on this frame.

    kind: ``started`` (a rep is under way), ``counted`` (its target reached and held),
    ``finished`` (a counted rep ended), ``abandoned`` (an uncounted one ended).
    """

    kind: str
    t: float
    rep: RepTiming | None = None


class LiveCounter:
    """Counts reps or holds of one signal frame by frame with a strategy's segmentation."""

    def __init__(
        self, spec: CountingSpec, segmenter: Segmenter, max_gap_s: float = MAX_GAP_S
    ) -> None:
        self.spec = spec
        self.max_gap_s = max_gap_s
        self._sign = -1.0 if spec.direction == "down" else 1.0
        self._live_spec = spec.model_copy(update={"either_way": False})
        self._segment = segmenter
        self.reset()

    def reset(self) -> None:
        self.phase = Phase.SETUP
        self.count = 0
        self.slow_rejected = 0
        self.current: RepTiming | None = None
        self._counted_open = False  # the open rep was counted (it stays counted)
        self._open_counts = False  # the strategy counts the open rep as it stands
        self._t: list[float] = []
        self._u: list[float] = []
        self._carry: list[bool] = []
        self._from = -math.inf  # reps ending before this are done with
        self._last_valid_t: float | None = None
        self._first_valid_t: float | None = None
        self._seg = Segmentation([])

    def thresholds(self) -> dict[str, float]:
        """The rest (cycles: centre) and the open rep's top level, in signal units."""
        out: dict[str, float] = {}
        if math.isfinite(self._seg.rest):
            out["rest"] = self._sign * self._seg.rest
        cur = self.current
        if cur is not None and math.isfinite(cur.top_level):
            out["top"] = self._sign * cur.top_level
        return out

    def update(
        self, t: float, value: float, valid: bool, *, carry: bool = False
    ) -> list[CounterEvent]:
        """Advance by one frame. ``valid`` is False when the frame cannot be judged;
        ``carry`` marks such a frame where the person is still there (a doubted pose):
        a gap made only of those does not split a rep or hold."""
        ok = valid and not math.isnan(value)
        self._t.append(t)
        self._u.append(self._sign * value if ok else math.nan)
        self._carry.append(carry and not ok)
        if ok or carry:
            self._last_valid_t = t
            if self._first_valid_t is None:
                self._first_valid_t = t
        elif self._last_valid_t is None or t - self._last_valid_t <= self.max_gap_s:
            return []  # a short blank: nothing new to segment
        events = self._advance(t)
        if not ok and not carry and self.current is None:
            self.phase = Phase.SETUP
        return events

    def finish(self, t: float) -> list[CounterEvent]:
        """The clip or session ended at ``t``: the open rep ends where the signal does."""
        if self.current is None:
            return []
        events = self._advance(t)
        cur, self.current = self.current, None
        if cur is not None:
            cur.end_s = cur.end_s if cur.end_s is not None else t
            cur.counted = self._open_counts
            events += self._close(cur, t)
        return events

    # -- one frame ------------------------------------------------------------------
    def _window(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t = np.asarray(self._t)
        lo = int(np.searchsorted(t, self._from - CONTEXT_S))
        if self.current is None and t[-1] - t[lo] > IDLE_WINDOW_S:
            lo = int(np.searchsorted(t, t[-1] - IDLE_WINDOW_S))
        # Frames before the window are done with: drop them (a long session stays small).
        del self._t[:lo], self._u[:lo], self._carry[:lo]
        return t[lo:], np.asarray(self._u), np.asarray(self._carry)

    def _advance(self, t: float) -> list[CounterEvent]:
        ts, us, carry = self._window()
        self._seg = self._segment(ts, us, self._live_spec, carry)
        reps = [r for r in self._seg.reps if r.peak_s is not None and r.peak_s > self._from]
        last_t = ts[~np.isnan(us)][-1] if np.any(~np.isnan(us)) else -math.inf
        # Open: it runs to the latest frame, or came back less than END_SETTLED_S ago (its end
        # moves on while the lowering goes on), and nothing has begun since.
        still_open = bool(reps) and (reps[-1].end_s or 0.0) >= last_t - END_SETTLED_S - GRID_S
        open_rep = reps.pop() if still_open else None
        events: list[CounterEvent] = []
        for rep in reps:  # reps that ended: the one open until now first
            if self.current is None:
                events.append(CounterEvent("started", t, rep))
            self.current = None
            events += self._close(rep, t)
        if self.current is not None and open_rep is None:
            # The open rep fell away (noise at the latest frames made its rise stand out for
            # a moment): it ended here. Uncounted, the signal it was seen in stays in the
            # window, so a rise that stands out again is seen whole.
            cur, self.current = self.current, None
            cur.end_s = t
            since = self._from
            events += self._close(cur, t)
            if not cur.counted:
                self._from = since
        if open_rep is not None:
            if self.current is None:
                events.append(CounterEvent("started", t, open_rep))
            self.current = open_rep
            # A rise under way in the session's first moments may have begun before the
            # camera saw the patient: whether it rose from rest is known once the rest is
            # seen, so that rep counts (if it does) when it ends.
            opening = open_rep.start_s - (self._first_valid_t or 0.0) < OPENING_S
            self._open_counts = open_rep.counted  # the strategy's verdict so far
            if open_rep.counted and not self._counted_open and not opening:
                events += self._count(open_rep, t)
            open_rep.counted = self._counted_open
        self.phase = self._phase(open_rep)
        return events

    def _close(self, rep: RepTiming, t: float) -> list[CounterEvent]:
        events = self._count(rep, t) if rep.counted and not self._counted_open else []
        rep.counted = rep.counted or self._counted_open
        self._counted_open = False
        self.slow_rejected += int(rep.too_slow and not rep.counted)
        self._from = max(self._from, rep.end_s if rep.end_s is not None else t)
        return [*events, CounterEvent("finished" if rep.counted else "abandoned", t, rep)]

    def _count(self, rep: RepTiming, t: float) -> list[CounterEvent]:
        self._counted_open = True
        self.count += 1
        return [CounterEvent("counted", t, rep)]

    def _phase(self, rep: RepTiming | None) -> Phase:
        if self._last_valid_t is None:
            return Phase.SETUP
        if rep is None:
            # A rep is known once it has risen a countable lift; half way there, it is rising.
            level = next((u for u in reversed(self._u) if not math.isnan(u)), -math.inf)
            rising = level - self._seg.rest >= abs(self.spec.top) / 2
            return Phase.RISING if rising else Phase.REST
        level = rep.trace[-1][1] if rep.trace else -math.inf
        if rep.top_enter_s is None or level >= rep.top_level:
            return Phase.TOP if rep.top_enter_s is not None else Phase.RISING
        past_peak = rep.peak_s is not None and rep.peak_s < rep.trace[-1][0]
        return Phase.LOWERING if past_peak else Phase.RISING


class CycleCounter:
    """Counts full cycles: one swing each way across the patient's own centre.

    The signal is followed as a zigzag of turning points: a turning point is
    confirmed once the signal has come back from it by ``top`` (the smallest
    swing worth counting), so jitter smaller than that never makes one. Two
    consecutive turning points, one above ``centre + hysteresis`` and one below
    ``centre - hysteresis`` (in either order), make one cycle; the cycle counts
    once the second swing has travelled ``top`` from the first turning point
    and spent ``min_top_s`` past the centre. The centre is the median of the
    recent signal (the patient's neutral), so a swing that is small one way is
    still seen: it is measured from the opposite turning point, not from a
    fixed zone around the middle of the largest swings.
    """

    def __init__(self, spec: CountingSpec, window_s: float = 20.0, max_gap_s: float = 1.0) -> None:
        if spec.kind != "cycles":
            raise ValueError("CycleCounter needs counting.kind = 'cycles'")
        self.spec = spec
        self.window_s = window_s
        self.max_gap_s = max_gap_s
        self.reset()

    def reset(self) -> None:
        self.phase = Phase.SETUP
        self.count = 0
        self.current: RepTiming | None = None
        self._samples: deque[tuple[float, float]] = deque()
        self._last_valid_t: float | None = None
        self.centre = math.nan
        self._centre_t = -math.inf
        self._restart()

    def _restart(self) -> None:
        """Forget the zigzag (start of the clip, or after a gap)."""
        self._anchor: tuple[float, float] | None = None  # last turning point (or start level)
        self._seeking: str | None = None  # the kind of turning point being followed
        self._cand: tuple[float, float] | None = None  # (t, v) extreme of the current swing
        self._since_anchor: list[tuple[float, float]] = []  # samples since the anchor
        self._past_since: float | None = None  # when the current swing passed the centre
        self._first: tuple[float, float] = (math.nan, math.nan)  # the cycle's first turning point

    def thresholds(self) -> dict[str, float]:
        if math.isnan(self.centre):
            return {}
        m = self.spec.hysteresis
        return {"centre": self.centre, "low": self.centre - m, "high": self.centre + m}

    # -- helpers --------------------------------------------------------------------
    def _beyond(self, kind: str, v: float) -> bool:
        """Whether ``v`` lies on ``kind``'s side of the centre, past the hysteresis."""
        if math.isnan(self.centre):
            return False  # the centre is still being learned
        m = self.spec.hysteresis
        return v > self.centre + m if kind == "high" else v < self.centre - m

    def _departure(self) -> float:
        """When the current swing left its anchor (last sample near the anchor's level)."""
        assert self._anchor is not None and self._cand is not None
        a, c = self._anchor[1], self._cand[1]
        near = a + 0.1 * (c - a)
        t0 = self._since_anchor[0][0]
        for ts, vs in self._since_anchor:
            if (vs <= near) if c > a else (vs >= near):
                t0 = ts
            if ts >= self._cand[0]:
                break
        return t0

    # -- stepping -------------------------------------------------------------------
    def update(
        self, t: float, value: float, valid: bool, *, carry: bool = False
    ) -> list[CounterEvent]:
        """Advance by one frame; ``carry`` is accepted for the counters' common interface,
        but a swing is movement, which a doubted pose does not show: such frames are a gap."""
        del carry
        events: list[CounterEvent] = []
        if not valid or math.isnan(value):
            if self._last_valid_t is not None and t - self._last_valid_t > self.max_gap_s:
                if self.current is not None and self.current.end_s is None:
                    events += self._close(self._last_valid_t, cut=True)
                self.phase = Phase.SETUP
                self._restart()
            return events
        self._last_valid_t = t
        self._samples.append((t, value))
        while t - self._samples[0][0] > self.window_s:
            self._samples.popleft()
        if self._samples[-1][0] - self._samples[0][0] >= CENTRE_AFTER_S and (
            math.isnan(self.centre) or t - self._centre_t >= 0.25
        ):
            # The centre moves slowly: recompute it 4 times a second, not every frame.
            self.centre = float(np.median(np.fromiter((v for _, v in self._samples), float)))
            self._centre_t = t
        if not math.isnan(self.centre):
            past = self._beyond("high", value) or self._beyond("low", value)
            self.phase = Phase.TOP if past else Phase.REST
        swing = self.spec.top

        if self._anchor is None:
            self._anchor = (t, value)
            self._since_anchor = [(t, value)]
            return events
        self._since_anchor.append((t, value))
        if t - self._since_anchor[0][0] > 2 * self.window_s:
            # A long stillness: keep the last window (for the next swing's start time).
            self._since_anchor = [s for s in self._since_anchor if t - s[0] <= self.window_s]
        a = self._anchor[1]
        if self._seeking is None:
            # From the start level, the first swing of at least `top` sets the direction.
            if abs(value - a) < swing:
                return events
            self._seeking = "high" if value > a else "low"
            self._cand = (t, value)
        assert self._cand is not None
        sign = 1.0 if self._seeking == "high" else -1.0
        if sign * (value - self._cand[1]) >= 0:
            self._cand = (t, value)
        extreme = self._cand[1]

        if self._beyond(self._seeking, value):
            self._past_since = self._past_since if self._past_since is not None else t
        else:
            self._past_since = None

        events += self._follow_swing(t)
        if sign * (extreme - value) >= swing and sign * (extreme - a) >= swing:
            events += self._turn(t)
        return events

    def _follow_swing(self, t: float) -> list[CounterEvent]:
        """A swing of at least ``top`` starts a cycle; the swing back past the centre counts it."""
        assert self._seeking is not None and self._cand is not None and self._anchor is not None
        kind, (tc, vc) = self._seeking, self._cand
        cur = self.current
        if cur is None or cur.end_s is not None:
            if abs(vc - self._anchor[1]) < self.spec.top:
                return []
            self.current = RepTiming(start_s=self._departure(), phases=(kind,), peak_s=tc)
            self._first = self._cand
            return [CounterEvent("started", t, self.current)]
        if cur.counted:
            cur.peak_s = tc  # the second swing's turning point, so far
            return []
        if cur.phases[-1] == kind:
            self._first = self._cand  # the first swing is still going
            return []
        if (
            self._past_since is not None
            and t - self._past_since >= self.spec.min_top_s
            and self._beyond(cur.phases[0], self._first[1])
        ):
            cur.phases = (*cur.phases, kind)
            cur.top_enter_s = self._past_since
            cur.peak_s = tc
            cur.counted = True
            self.count += 1
            return [CounterEvent("counted", t, cur)]
        return []

    def _turn(self, t: float) -> list[CounterEvent]:
        """The current swing has turned: its extreme becomes the new anchor."""
        assert self._seeking is not None and self._cand is not None
        events: list[CounterEvent] = []
        kind, cand = self._seeking, self._cand
        cur = self.current
        if cur is not None and cur.end_s is None:
            if cur.counted:
                # The second swing has turned back: the cycle is over.
                events += self._close(t, cut=False)
            elif cur.phases[-1] != kind:
                # The swing back turned without reaching past the centre: not a cycle.
                events += self._close(cand[0], cut=False)
        self._anchor = cand
        self._since_anchor = [s for s in self._since_anchor if s[0] >= cand[0]]
        self._seeking = "low" if kind == "high" else "high"
        self._cand = (t, self._since_anchor[-1][1])
        for ts, vs in self._since_anchor:  # the new swing's extreme so far
            if (vs < self._cand[1]) if self._seeking == "low" else (vs > self._cand[1]):
                self._cand = (ts, vs)
        self._past_since = None
        return events

    def _close(self, t: float, cut: bool) -> list[CounterEvent]:
        cur = self.current
        if cur is None or cur.end_s is not None:
            return []
        cur.end_s = t
        cur.cut = cut
        return [CounterEvent("finished" if cur.counted else "abandoned", t, cur)]

    def finish(self, t: float) -> list[CounterEvent]:
        cur = self.current
        if cur is not None and cur.end_s is None and cur.counted:
            return self._close(t, cut=False)  # the clip ended in the second swing
        return self._close(t, cut=True)
