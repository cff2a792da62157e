"""Rep, hold and cycle counters: state machines over one signal, no I/O, time passed in.

Lessons from real clips (shared/FINDINGS.md) are built in:
- a rep is counted when the target is reached, not when the patient comes
  back down, so a last rep that ends the clip at the top still counts;
- a clip that opens mid-rep reports that rep as partial rather than counting it;
- hysteresis and a minimum time at the target stop jitter from double counting;
- subtle movements are measured against the patient's own rest baseline;
- cat-cow is counted on a signed signal as full cycles (one swing each way).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from formcheck.analysis.rest_level import RestLevel
from formcheck.analysis.state import Phase
from formcheck.exercises.schema import CountingSpec


@dataclass(frozen=True)
class CounterEvent:
    """Something the counter decided on this frame.

    kind: ``started`` (left rest), ``counted`` (target reached and held long
    enough), ``finished`` (back at rest, or cut by the clip's end or a gap),
    ``abandoned`` (left rest but never reached the target).
    """

    kind: str
    t: float
    rep: RepTiming | None = None  # the rep it is about (the counter may have moved on)


@dataclass
class RepTiming:
    """Times of the rep in progress (mutable while it runs)."""

    start_s: float
    started_before: bool = False  # began before we could see it (clip start, gap)
    top_enter_s: float | None = None
    top_exit_s: float | None = None
    peak_s: float | None = None
    peak_u: float = -math.inf
    end_s: float | None = None
    counted: bool = False
    too_slow: bool = False  # reached the target too slowly to be a movement (drift)
    cut: bool = False  # ended by the clip's end or a gap, not by a return to rest
    phases: tuple[str, ...] = ()  # cycles: the phases seen ("low", "high")
    start_u: float = math.nan  # oriented value at the start of the movement
    # Lifted from a rest level past rest_limit, not yet shown to be a rest: counted only
    # once it comes back down to that level (``due``: it has reached the target).
    provisional: bool = False
    due: bool = False
    trace: list[tuple[float, float]] = field(default_factory=list)  # (t, u) while the rep runs


class RepCounter:
    """Counts reps (or holds) of one signal moving from rest to a target and back.

    Works on the oriented value ``u`` (the signal, negated for ``direction =
    "down"``) so one state machine serves both directions.
    """

    def __init__(self, spec: CountingSpec, max_gap_s: float = 1.0) -> None:
        if spec.kind == "cycles":
            raise ValueError("use CycleCounter for cycles")
        self.spec = spec
        self.max_gap_s = max_gap_s
        self._sign = 1.0 if spec.direction == "up" else -1.0
        self._baseline = RestLevel.for_counting(spec)
        self.reset()

    def reset(self) -> None:
        self.phase = Phase.SETUP
        self.count = 0
        self.slow_rejected = 0
        self.current: RepTiming | None = None
        self._last_valid_t: float | None = None
        self._valley: tuple[float, float] | None = None  # (t, u) of the latest rest minimum
        self._settle: tuple[float, float] | None = None  # (t crossed to rest, lowest u since)
        self._top_since: float | None = None
        self._below: tuple[float, float] | None = None  # (t, lowest u) of a dip below rest
        # When a rest level beyond rest_limit was taken at the opening: maybe a top (see
        # _opened_at_top).
        self._opening: float | None = None
        self._opening_left = 0.0  # the last time the signal was still near that level
        # After such a level proved a top: (t, u) of the low since, and when it left the top.
        self._relearn: tuple[float, float, float] | None = None
        self._window: deque[tuple[float, float]] = deque()  # samples for smooth_s
        self._window_sum = 0.0
        self._baseline.reset()

    # -- thresholds -----------------------------------------------------------------
    def _thresholds_u(self) -> tuple[float, float] | None:
        s, spec = self._sign, self.spec
        if spec.reference == "absolute":
            return s * spec.start, s * spec.top
        if not self._baseline.ready:
            return None
        base = self._baseline.value()
        return base + s * spec.start, base + s * spec.top

    def thresholds(self) -> dict[str, float]:
        """Current start/top thresholds in signal units (for overlays and reports)."""
        th = self._thresholds_u()
        if th is None:
            return {}
        out = {"start": self._sign * th[0], "top": self._sign * th[1]}
        if self.spec.reference == "baseline":
            out["baseline"] = self._sign * self._baseline.value()
        return out

    def _smoothed(self, t: float, value: float) -> float:
        """The value averaged over the last ``smooth_s`` (a subtle hold's landmark noise)."""
        if self.spec.smooth_s <= 0:
            return value
        win = self._window
        if win and t - win[-1][0] > self.max_gap_s:
            win.clear()  # do not average across a gap
            self._window_sum = 0.0
        win.append((t, value))
        self._window_sum += value
        while t - win[0][0] > self.spec.smooth_s:
            self._window_sum -= win.popleft()[1]
        return self._window_sum / len(win)

    # -- stepping -------------------------------------------------------------------
    def update(
        self, t: float, value: float, valid: bool, *, carry: bool = False
    ) -> list[CounterEvent]:
        """Advance by one frame. ``valid`` is False when the frame cannot be judged.

        ``carry`` marks an unjudged frame in which the person is still there (their pose
        is doubted): a rep or hold at its top carries on through such frames, however
        many, instead of being cut by the gap; in any other phase they are a gap.
        """
        events: list[CounterEvent] = []
        if carry and self.phase is Phase.TOP:
            self._last_valid_t = t  # a gap after the doubt counts from its end
            return self._maybe_count(t)  # the time at the top goes on
        if not valid or math.isnan(value):
            gap_start = self._last_valid_t
            if gap_start is not None and t - gap_start > self.max_gap_s and self.current:
                events += self._end_settle(t) if self._settle else self._cut(gap_start)
                self.phase = Phase.SETUP
            if gap_start is not None and t - gap_start > self.max_gap_s:
                self.phase = Phase.SETUP
                self._opening = None
            return events
        self._last_valid_t = t
        u = self._sign * self._smoothed(t, value)
        if self.spec.reference == "baseline":
            self._baseline.add(t, u)
            self._relearning(t, u)
        th = self._thresholds_u()
        if th is None:  # still learning the baseline
            return events
        start_u, top_u = th
        hyst = self.spec.hysteresis

        if self.phase is Phase.SETUP:
            if u < start_u:
                self.phase = Phase.REST
                self._valley = (t, u)
                if self._baseline.ready and self._beyond_rest_limit(self._baseline.value()):
                    self._opening = self._opening_left = t
            elif u >= top_u:
                # Already at the target when we first see the patient: a rep whose
                # start we missed is partial; a hold is timed from here.
                partial = self.spec.kind != "holds"
                self.current = RepTiming(start_s=t, started_before=partial, top_enter_s=t)
                self.phase = Phase.TOP
                self._top_since = t
            return events

        if self.phase is Phase.REST:
            events += self._settling(t, u)
            events += self._opened_at_top(t, u)
            if u >= start_u:
                events += self._end_settle(t)
                start, start_u = self._valley if self._valley else (t, u)
                self.current = RepTiming(
                    start_s=start,
                    start_u=start_u,
                    trace=[(start, start_u)],
                    provisional=self._opening is not None,
                )
                self.phase = Phase.RISING
                events.append(CounterEvent("started", t, self.current))
            else:
                self._track_valley(t, u)
            return events

        cur = self.current
        assert cur is not None
        cur.trace.append((t, u))
        if u > cur.peak_u:
            cur.peak_u, cur.peak_s = u, t

        if self.phase is Phase.RISING:
            if u >= top_u:
                self.phase = Phase.TOP
                cur.top_enter_s = t
                self._top_since = t
                events += self._maybe_count(t)
            elif u < start_u - hyst:
                events.append(CounterEvent("abandoned", t, cur))
                cur.end_s = t
                self.phase = Phase.REST
                self._valley = (t, u)
            return events

        if self.phase is Phase.TOP:
            if u < top_u - hyst:
                cur.top_exit_s = t
                self.phase = Phase.LOWERING
            else:
                events += self._maybe_count(t)
            return events

        if self.phase is Phase.LOWERING:
            if u >= top_u:
                # Back up before reaching rest: still the same rep.
                self._below = None
                self.phase = Phase.TOP
                cur.top_exit_s = None
                events += self._maybe_count(t)
            elif u < self._rest_exit_u(start_u - hyst, cur):
                # Back at rest once it stays there min_rest_s; the rep then ends when
                # the movement settles (see _settling), timed from the first frame below.
                t0, low = self._below if self._below else (t, u)
                self._below = (t0, min(low, u))
                if t - t0 >= self.spec.min_rest_s:
                    cur.end_s = t0
                    self.phase = Phase.REST
                    self._valley = (t, u)
                    self._settle = self._below
                    self._below = None
                return events
            self._below = None
        return events

    def _beyond_rest_limit(self, u: float) -> bool:
        limit = self.spec.rest_limit
        return limit is not None and u > self._sign * limit

    def _opened_at_top(self, t: float, u: float) -> list[CounterEvent]:
        """A rest level beyond ``rest_limit`` seen first (at the clip's opening or after a
        gap) is provisional: a high camera stretches the rest itself past the limit, and
        then the lifts rise from it. Once the signal falls back within the limit instead,
        that level was the top of a rep begun before we could see it: a partial rep."""
        if self._opening is None:
            return []
        if u >= self._baseline.value() - abs(self.spec.top):
            self._opening_left = t
        if self._beyond_rest_limit(u) or self._settle is not None:
            return []  # (a rep lifted from that level is settling: it decides, see _end_settle)
        t0, self._opening = self._opening, None
        self._baseline.reset()  # the level learned there was no rest
        self._relearn = (t, u, self._opening_left)
        rep = RepTiming(start_s=t0, started_before=True, top_enter_s=t0, end_s=t)
        return [CounterEvent("abandoned", t, rep)]

    def _relearning(self, t: float, u: float) -> None:
        """Once a provisional rest proved a top, the rest is the low the signal comes down
        to. The patient may lift again at once, and a brief bottom (a few frames at a low
        frame rate, or with frames lost) never reads as still: then the low the signal
        turns back up from by ``start`` is taken as the rest, provided the way down from
        the top took ``min_rep_s`` or more. A faster fall is the model losing the raised
        limbs, not a lowering, and its low is no rest; stillness decides then."""
        if self._relearn is None:
            return
        t_low, low, left = self._relearn
        if u <= low + self._eps():  # the latest frame at the low, as _track_valley
            t_low, low = t, min(u, low)
            self._relearn = (t_low, low, left)
        if self._baseline.ready:
            self._relearn = None  # a still rest came first
        elif u >= low + abs(self.spec.start):
            self._relearn = None
            if t_low - left >= self.spec.min_rep_s:
                self._baseline.seed(t_low, low)
                self._valley = (t_low, low)

    def _rest_exit_u(self, exit_u: float, cur: RepTiming) -> float:
        """Where the lowering counts as back at rest: below the start threshold, or (with
        ``rest_return``) back within that fraction of the rep's own rise."""
        f = self.spec.rest_return
        if f > 0 and math.isfinite(cur.start_u) and cur.peak_u > cur.start_u:
            return max(exit_u, cur.start_u + f * (cur.peak_u - cur.start_u))
        return exit_u

    def _eps(self) -> float:
        return 0.1 * abs(self.spec.top - self.spec.start)

    def _track_valley(self, t: float, u: float) -> None:
        if self._valley is None or u <= self._valley[1] + self._eps():
            low = u if self._valley is None else min(u, self._valley[1])
            self._valley = (t, low)

    def _settling(self, t: float, u: float) -> list[CounterEvent]:
        """After a rep returns to rest, follow the lowering to its end, then finish the rep."""
        if self._settle is None:
            return []
        t0, low = self._settle
        cur = self.current
        if u <= low + self._eps() and t - t0 <= 2.0:
            if cur is not None:
                cur.trace.append((t, u))
            self._settle = (t0, min(low, u))
            return []
        return self._end_settle(t)

    def _end_settle(self, t: float) -> list[CounterEvent]:
        if self._settle is None:
            return []
        t0, low = self._settle
        self._settle = None
        cur = self.current
        assert cur is not None
        # The lowering ends when the signal arrives within 10% of the rep's range of
        # where it settles; the slow creep of a smoothed signal afterwards is rest.
        amp = max(cur.peak_u - cur.start_u, 0.0) if math.isfinite(cur.start_u) else 0.0
        arrive = low + max(self._eps(), 0.1 * amp)
        cur.end_s = next((ts for ts, us in cur.trace if ts >= t0 and us <= arrive), t0)
        cur.trace = [(ts, us) for ts, us in cur.trace if ts <= cur.end_s]
        if cur.provisional:
            return self._resolve_provisional(cur, t, low)
        return self._closing(cur, t)

    def _resolve_provisional(self, cur: RepTiming, t: float, low: float) -> list[CounterEvent]:
        """A rep lifted from a rest level past ``rest_limit`` has come back down. Settling
        near that level shows it was the rest (a high camera stretches a real rest past
        the limit): the rep counts now. Falling within the limit and further below that
        level than a countable lift shows the level was a raised position held since the
        clip opened (a bird-dog whose raised hand left the picture mid-hold reads
        between rest and top): everything since the opening was one partial rep, and
        the rest is learned afresh."""
        cur.provisional = False
        opened, self._opening = self._opening, None
        if not self._beyond_rest_limit(low) and low < cur.start_u - abs(self.spec.top):
            cur.started_before, cur.due = True, False
            if opened is not None:
                cur.start_s = min(cur.start_s, opened)
                cur.top_enter_s = opened
            self._baseline.forget_before(cur.end_s)  # learned in a raised position
        return self._closing(cur, t)

    def _maybe_count(self, t: float) -> list[CounterEvent]:
        cur = self.current
        if cur is None or cur.counted or cur.due or cur.started_before or cur.too_slow:
            return []
        assert self._top_since is not None and cur.top_enter_s is not None
        max_lift = self.spec.max_lift_s
        if max_lift is not None and cur.top_enter_s - cur.start_s > max_lift:
            # Crept to the target instead of moving there: drift, not a repetition.
            cur.too_slow = True
            self.slow_rejected += 1
            return []
        if t - self._top_since < self.spec.min_top_s or t - cur.start_s < self.spec.min_rep_s:
            return []
        if cur.provisional:
            cur.due = True  # counted when it comes back to the rest it began from
            return []
        return self._count(cur, t)

    def _count(self, cur: RepTiming, t: float) -> list[CounterEvent]:
        cur.counted = True
        self.count += 1
        return [CounterEvent("counted", t, cur)]

    def _cut(self, t: float) -> list[CounterEvent]:
        cur = self.current
        if cur is None or cur.end_s is not None:
            return []
        cur.end_s = t
        cur.cut = True
        if cur.top_enter_s is not None and cur.top_exit_s is None:
            cur.top_exit_s = None  # hold continued past what we could see
        # Cut before it came back down: nothing refutes the rest it began from, so it
        # counts, as a lift from any other rest does at its target.
        return self._closing(cur, t)

    def _closing(self, cur: RepTiming, t: float) -> list[CounterEvent]:
        """The events that close ``cur``: a rep still due (see ``provisional``) counts
        first; then it is finished if counted, else abandoned."""
        events = self._count(cur, t) if cur.due else []
        return [*events, CounterEvent("finished" if cur.counted else "abandoned", t, cur)]

    def finish(self, t: float) -> list[CounterEvent]:
        """The clip or session ended at ``t``: close the rep in progress."""
        if self._below is not None and self.phase is Phase.LOWERING:
            # Ended while back at rest, before the dip had lasted min_rest_s.
            self._settle, self._below = self._below, None
            self.phase = Phase.REST
        if self._settle is not None:
            return self._end_settle(t)
        if self.phase in (Phase.RISING, Phase.TOP, Phase.LOWERING):
            return self._cut(t)
        return []


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
        if self._samples[-1][0] - self._samples[0][0] >= self.spec.baseline_s and (
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
