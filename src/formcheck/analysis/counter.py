"""Live counting: the signal seen so far, segmented exactly as a recorded clip is.

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
  back (``LOWERING``); ``SETUP`` until a frame can be judged, and after a gap. Cycles
  (:class:`LiveCycleCounter`) are at the top past the patient's centre either way.

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
    Blank,
    RepTiming,
    Segmentation,
    Segmenter,
    segment_cycles,
)
from formcheck.analysis.state import Phase
from formcheck.exercises.schema import CountingSpec

# The signal before the last finished rep's end that the next segmentation still sees: the
# rest the next rep rises from, which the strategy measures it against.
CONTEXT_S = 1.0
# A rep that came back is finished once its end has stayed put this long: until the
# lowering settles, the strategy moves the rep's end on with every frame.
END_SETTLED_S = 0.5
# Cycles, live: the patient's centre is first taken once this much of the signal is seen,
# and is the median of this much of the latest.
CENTRE_AFTER_S = 1.0
CENTRE_WINDOW_S = 20.0
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
        self._counted_until = -math.inf  # the end of the last counted rep
        self._open_counts = False  # the strategy counts the open rep as it stands
        self._t: list[float] = []
        self._u: list[float] = []
        self._carry: list[int] = []
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
        self, t: float, value: float, valid: bool, *, carry: int = Blank.SPLIT
    ) -> list[CounterEvent]:
        """Advance by one frame. ``valid`` is False when the frame cannot be judged;
        ``carry`` (a :class:`Blank`) says why: ``SEEN`` (or True), the person is still
        there (a doubted pose), and a gap made only of those does not split a rep or hold;
        ``LOST``, nobody found, which a hold the body is up in on both sides carries on
        through."""
        ok = valid and not math.isnan(value)
        self._t.append(t)
        self._u.append(self._sign * value if ok else math.nan)
        self._carry.append(Blank.SPLIT if ok else int(carry))
        if ok or carry == Blank.SEEN:
            self._last_valid_t = t
            if self._first_valid_t is None:
                self._first_valid_t = t
        elif self._last_valid_t is None or t - self._last_valid_t <= self.max_gap_s:
            return []  # a short blank: nothing new to segment
        events = self._advance(t)
        if not ok and carry != Blank.SEEN and self.current is None:
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
        lo = int(np.searchsorted(t, self._window_from()))
        if self.current is None and t[-1] - t[lo] > IDLE_WINDOW_S:
            lo = int(np.searchsorted(t, t[-1] - IDLE_WINDOW_S))
        # Frames before the window are done with: drop them (a long session stays small).
        del self._t[:lo], self._u[:lo], self._carry[:lo]
        return t[lo:], np.asarray(self._u), np.asarray(self._carry)

    def _window_from(self) -> float:
        return self._from - CONTEXT_S

    def _advance(self, t: float) -> list[CounterEvent]:
        ts, us, carry = self._window()
        self._seg = self._segment(ts, us, self._live_spec, carry)
        # Past the last closed rep's end by more than a grid step: a window that opens
        # elsewhere lays its time grid elsewhere, and a rep cut by a gap can come back with
        # its peak a fraction of a step after the end it was closed at. An uncounted rep was
        # closed on what the window showed then: a rep that counts, seen whole later over the
        # same frames (a hold the session opens in), ends past it and is new, if it began
        # after the last counted one.
        after = self._from + GRID_S
        reps = [
            r
            for r in self._seg.reps
            if r.peak_s is not None
            and (r.peak_s > after or (r.counted and self._supersedes(r, after)))
        ]
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
        if rep.counted:
            self._counted_until = rep.end_s if rep.end_s is not None else t
        self._counted_open = False
        self.slow_rejected += int(rep.too_slow and not rep.counted)
        self._from = max(self._from, rep.end_s if rep.end_s is not None else t)
        return [*events, CounterEvent("finished" if rep.counted else "abandoned", t, rep)]

    def _supersedes(self, rep: RepTiming, after: float) -> bool:
        """Whether ``rep`` takes in an uncounted rep closed before it (see _advance): the
        last closed rep was uncounted (the last counted one ended before it), and ``rep``
        began after the last counted one and ends past ``after``."""
        return (
            self._counted_until < self._from
            and rep.start_s >= self._counted_until - GRID_S
            and (rep.end_s if rep.end_s is not None else math.inf) > after
        )

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


class LiveCycleCounter(LiveCounter):
    """Counts cycles frame by frame with the recorded clip's cycle segmentation.

    The one thing a stream lacks is the patient's centre, which a recorded clip takes from
    all of it: live, it is the median of the recent signal, learned over the first second.
    Each window opens at the last counted cycle's second turn, a level the window opens on
    and so no turn live, so the swings after it pair up as the recorded clip's do.
    """

    def __init__(self, spec: CountingSpec, max_gap_s: float = MAX_GAP_S) -> None:
        super().__init__(spec, self._about_centre, max_gap_s)

    def reset(self) -> None:
        super().reset()
        self.centre = math.nan
        self._recent: deque[tuple[float, float]] = deque()
        self._centre_t = -math.inf
        self._last_turn = -math.inf

    def update(
        self, t: float, value: float, valid: bool, *, carry: int = Blank.SPLIT
    ) -> list[CounterEvent]:
        """As :meth:`LiveCounter.update`; a doubted pose shows no movement, so ``carry``
        frames are a gap here."""
        del carry
        if valid and not math.isnan(value):
            self._recent.append((t, self._sign * value))
            while t - self._recent[0][0] > CENTRE_WINDOW_S:
                self._recent.popleft()
            # The centre moves slowly: taken again 4 times a second, not every frame.
            if t - self._recent[0][0] >= CENTRE_AFTER_S and t - self._centre_t >= 0.25:
                self.centre = float(np.median([v for _, v in self._recent]))
                self._centre_t = t
        return super().update(t, value, valid)

    def thresholds(self) -> dict[str, float]:
        if math.isnan(self.centre):
            return {}
        c, m = self._sign * self.centre, self.spec.hysteresis
        return {"centre": c, "low": c - m, "high": c + m}

    def _about_centre(
        self, t: np.ndarray, u: np.ndarray, spec: CountingSpec, bridge: np.ndarray | None
    ) -> Segmentation:
        if math.isnan(self.centre):
            return Segmentation([])
        return segment_cycles(t, u, spec, centre=self.centre, openings=False)

    def _window_from(self) -> float:
        return self._last_turn - GRID_S

    def _close(self, rep: RepTiming, t: float) -> list[CounterEvent]:
        if rep.counted and rep.peak_s is not None:
            self._last_turn = max(self._last_turn, rep.peak_s)
        return super()._close(rep, t)

    def _phase(self, rep: RepTiming | None) -> Phase:
        """Past the centre either way is the top (cow or cat), near it the rest."""
        level = next((u for u in reversed(self._u) if not math.isnan(u)), math.nan)
        if self._last_valid_t is None or math.isnan(self.centre) or math.isnan(level):
            return Phase.SETUP if self._last_valid_t is None else Phase.REST
        return Phase.TOP if abs(level - self.centre) > self.spec.hysteresis else Phase.REST
