"""The exercise analyzer: one ``step(pose)`` per frame, the same for live and recorded video.

pose -> conditioning -> near side -> frame check -> signals -> counter ->
per-rep metrics -> fault rules -> :class:`FrameAnalysis`; ``finish()`` gives the
session's reps, faults and unjudged spans. No I/O; time comes from the frames.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field, replace

import numpy as np

from formcheck.analysis.consensus import combine, learn_signs
from formcheck.analysis.counter import CounterEvent
from formcheck.analysis.faults import FaultHit, evaluate, quality
from formcheck.analysis.metrics import RepAccumulator, lower_bound_metrics
from formcheck.analysis.raised_side import RaisedSide, raised_in_hindsight, rests_in_hindsight
from formcheck.analysis.segment import Blank, RepTiming
from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase, RepEvent
from formcheck.analysis.strategies import REP_PLATEAU, strategy_for
from formcheck.exercises.schema import SAGITTAL_KINDS, ExerciseSpec
from formcheck.report.model import FaultEvent, Rep, UnjudgedSpan
from formcheck.signals.body_scale import BodyScaleCheck
from formcheck.signals.measure import measure
from formcheck.signals.side import NearSideTracker
from formcheck.signals.smoothing import LandmarkSmoother, SmoothingConfig
from formcheck.signals.view import (
    POSITION_WORDS,
    WRONG_VIEW_CUE,
    FrameCheck,
    check_frame,
    plane_facing,
)
from formcheck.types import PoseFrame

_KIND = {"reps": "rep", "holds": "hold", "cycles": "cycle"}
_SIDES = {"left": 1, "right": 2}
_SIDE_NAMES = {1: "left", 2: "right"}
# How a frame was measured, for the hindsight pass: not at all; fully; the person is there
# but the skeleton is doubted (a hold carries on through it); refused for the view (counted
# on the oblique signal, or as the side view a clip judged side-on is); seen before the
# starting position first was; nobody found (a hold the body is up in on both sides of
# such a gap carries on through it).
_UNMEASURED, _MEASURED, _DOUBTED, _OFF_SIDE_ON, _BEFORE_POSITION, _LOST = 0, 1, 2, 3, 4, 5
# A consensus read from the picture counts an oblique clip only while the body's plane
# faces the camera by this much (plane_facing; about 70 deg off side-on on rendered tilts,
# which count there): nearer edge-on a tilt's few degrees shrink below a third, into the
# landmarks' noise, and the picture's angles fold up (75 deg round, 20 up, a supine hip
# reads 5-13 deg).
MIN_FACING = 0.35
REST_WINDOW_S = 0.5  # a rep's rest values: the frames this long before it leaves rest
_RATIO_STEP = 0.01
_RATIO_BINS = 200
_UNCLEAR = FrameCheck(
    FrameStatus.UNCLEAR_POSE, "Body shape unclear to the camera (folded or hidden)"
)


@dataclass
class _Span:
    reason: str
    start_s: float
    end_s: float


@dataclass
class AnalysisResult:
    """Everything the analysis found, before it is dressed as a report."""

    exercise: ExerciseSpec
    reps: list[Rep]
    faults: list[FaultEvent]
    unjudged: list[UnjudgedSpan]
    series_t: list[float]
    series: dict[str, list[float]]
    frames: int
    frames_with_pose: int
    duration_s: float
    active_s: float
    near_side: str | None
    view: str
    notes: list[str] = field(default_factory=list)
    judgeable: bool = True
    confidence: float = 1.0
    partial_reps: int = 0  # started before the clip, cut by its end or a gap


def smoothing_for(spec: ExerciseSpec) -> SmoothingConfig:
    """Default conditioning that keeps every landmark some signal of ``spec`` accepts.

    A signal's own ``min_visibility`` can only take effect if the smoother has not
    already dropped the landmark (bird-dog accepts a far, raised arm at 0.4).
    """
    default = SmoothingConfig()
    lowest = min((s.min_visibility for s in spec.signals.values()), default=1.0)
    return replace(default, min_visibility=min(default.min_visibility, lowest))


class ExerciseAnalyzer:
    """Analyses one exercise, frame by frame.

    Args:
        spec: the exercise definition (rules as data).
        smoothing: landmark conditioning parameters.
        keep_series: keep per-frame signal values for plots and reports
            (a few floats a frame; off for very long live sessions).
    """

    def __init__(
        self,
        spec: ExerciseSpec,
        smoothing: SmoothingConfig | None = None,
        keep_series: bool = True,
    ) -> None:
        self.spec = spec
        self._smoother = LandmarkSmoother(smoothing or smoothing_for(spec))
        self._side = NearSideTracker()
        self._scale = BodyScaleCheck()
        counting = spec.counting
        self._counter = strategy_for(counting).live(counting)
        self._sign = 1.0 if counting.kind == "cycles" or counting.direction == "up" else -1.0
        self._raised = {name: RaisedSide(src, counting) for name, src in spec.side_max.items()}
        # Live cues judge no timing rule (a rep's timings are known once it ends), so the
        # timings, which walk the whole rep, are left out of the per-frame metrics unless a
        # live rule's condition reads one.
        self._live_rules = [
            r for r in spec.faults if not all(t.metric.endswith("_s") for t in r.any_of)
        ]
        self._live_timings = any(
            (t.when_metric or "").endswith("_s") for r in self._live_rules for t in r.any_of
        )
        self.keep_series = keep_series
        self._rep_kind = _KIND[counting.kind]
        # Reps are timed on their own plateau; holds on the time past the target unless
        # the definition times them on their plateau too.
        self._plateau = REP_PLATEAU if counting.kind == "reps" else counting.hold_plateau
        self._reset_state()

    def _new_rep(self) -> RepAccumulator:
        return RepAccumulator(self.spec.counting.min_hold_seen)

    def _reset_state(self) -> None:
        self._acc = self._new_rep()
        self._peak: tuple[float, float] = (math.nan, -math.inf)  # (t, u) of the open rep's top
        self._rep_side_votes: dict[str, int] = {}
        self._reps: list[Rep] = []
        self._faults: list[FaultEvent] = []
        self._live_hits: list[FaultHit] = []
        self._spans: list[_Span] = []
        self._open_span: _Span | None = None
        # Compact float32 arrays: a 10-minute session costs well under 1 MiB.
        self._series_t: array[float] = array("d")
        self._series: dict[str, array[float]] = {n: array("f") for n in self.spec.signal_names()}
        # Each consensus signal's parts' signs, as learned from the clip in hindsight.
        self.consensus_signs: dict[str, tuple[int, ...]] = {}
        # Per frame, for the hindsight pass over a recorded clip: how it was measured (see
        # _MEASURED...), and the side the side signal chose.
        self._frame_state: array[int] = array("b")
        self._frame_side: array[int] = array("b")
        self._in_position_seen = False
        self._faults_unjudged = False
        self._fault_note: str | None = None
        self._frames = 0
        self._frames_with_pose = 0
        self._first_t: float | None = None
        self._last_t = 0.0
        # Side-view ratios as a histogram (0.01 bins up to 2): a median in constant memory.
        self._ratio_counts = np.zeros(_RATIO_BINS + 1, dtype=np.int64)
        self._facing_counts = np.zeros(_RATIO_BINS + 1, dtype=np.int64)  # plane_facing, too
        self._side_votes = {"left": 0, "right": 0}
        self._partial = 0
        for raised in self._raised.values():
            raised.reset()
        self._scale.reset()

    # -- per frame ------------------------------------------------------------------
    def step(self, pose: PoseFrame) -> FrameAnalysis:
        t = pose.timestamp_s
        if self._first_t is None:
            self._first_t = t
        self._last_t = t
        self._frames += 1
        if pose.detected:
            self._frames_with_pose += 1
        smooth = self._smoother.update(pose)
        near = self._side.update(smooth)
        check = check_frame(
            smooth.xy,
            smooth.visibility,
            near,
            smooth.image_size,
            self.spec.view,
            self.spec.position,
        )
        # The model's own output, before visibility gating drops the very points that shrank.
        # A squeezed skeleton's other verdicts (a limb out of view, the wrong view) are no
        # better than its angles; the person is still there.
        if not self._scale.update(t, pose.xy) and check.status is not FrameStatus.NO_PERSON:
            check = _UNCLEAR
        judged = (
            check.status is FrameStatus.OK
            and not check.upright
            and (check.in_position or self._counter.phase is not Phase.SETUP)
        )
        values: dict[str, float]
        winners: dict[str, str] = {}
        # A squeezed skeleton's angles are not measurements: its frames read as blanks.
        unclear = check.status is FrameStatus.UNCLEAR_POSE
        if smooth.xy is not None and smooth.visibility is not None and not unclear:
            values, winners = measure(
                self.spec.signals,
                smooth.xy,
                smooth.visibility,
                near,
                smooth.image_size[1],
                smooth.world,
            )
            for name, raised in self._raised.items():
                values[name], side = raised.update(t, values)
                if side is not None:
                    winners[name] = side
            for name, (a, b) in self.spec.derived.items():
                values[name] = values.get(a, math.nan) - values.get(b, math.nan)
            for name, (a, b) in self.spec.sums.items():
                values[name] = values.get(a, math.nan) + values.get(b, math.nan)
            for name, c in self.spec.consensus.items():
                values[name] = sum(
                    k * values.get(part, math.nan) for part, k in zip(c.parts, c.signs, strict=True)
                )
            for counts, ratio in (
                (self._ratio_counts, check.side_ratio),
                (self._facing_counts, plane_facing(smooth.world)),
            ):
                if not math.isnan(ratio):
                    counts[min(int(ratio / _RATIO_STEP), _RATIO_BINS)] += 1
            self._side_votes[near.value] += 1
        else:
            values = dict.fromkeys(self.spec.signal_names(), math.nan)

        self._track_unjudged(t, check.status, check.message)
        primary = values.get(self.spec.counting.signal, math.nan)
        # The person is still there: a hold (or a rep's top) carries on through a doubted
        # skeleton, and through a view verdict that flickers as the body folds or turns a
        # little while holding (the width the view gate reads changes with the pose).
        carry = Blank.SPLIT
        if unclear or check.status is FrameStatus.WRONG_VIEW:
            carry = Blank.SEEN
        elif not pose.detected:
            carry = Blank.LOST
        events = self._counter.update(t, primary, judged, carry=carry)

        cur = self._counter.current
        in_rep = cur is not None
        if in_rep and judged:
            assert cur is not None
            at_top = self._counter.phase is Phase.TOP
            u = self._sign * primary
            if u > self._peak[1]:
                self._peak = (t, u)
            # A hold timed on its plateau may hover just under the target while it is held,
            # so all its frames are candidates; a rep's plateau frames are all past it.
            plateau_frame = self._plateau is not None and (at_top or self._rep_kind == "hold")
            self._acc.add(
                values,
                is_peak=self._peak[0] == t,
                in_hold=at_top and self._plateau is None,
                top_u=u if plateau_frame and not math.isnan(u) else None,
                t=t,
            )
            side = winners.get(self.spec.side_signal or "")
            if side and at_top:
                self._rep_side_votes[side] = self._rep_side_votes.get(side, 0) + 1

        rep_event = None
        for ev in events:
            rep_event = self._on_event(ev) or rep_event
        if in_rep and cur is not None and cur.counted:
            self._live_hits = evaluate(
                self._live_rules,
                self._acc.metrics(cur, t, self._plateau, timings=self._live_timings),
                self._current_side(),
            )
        elif not in_rep:
            self._live_hits = []

        seen = check.status in (FrameStatus.OK, FrameStatus.WRONG_VIEW)
        self._in_position_seen |= seen and check.in_position
        if self.keep_series:
            self._series_t.append(t)
            for name in self._series:
                self._series[name].append(values.get(name, math.nan))
            # Once the patient has been seen in the starting position, every measurable frame
            # counts in hindsight (the live phase no longer gates it).
            state = _UNMEASURED
            if seen and self._in_position_seen:
                state = _MEASURED if check.status is FrameStatus.OK else _OFF_SIDE_ON
            elif seen:
                state = _BEFORE_POSITION
            elif unclear:
                state = _DOUBTED
            if not pose.detected:
                # The smoother holds the last pose through a short loss of the person, so a
                # live hold survives a missed frame; in hindsight that pose is no
                # measurement (held past the clip's end, it would lengthen the last hold).
                state = _LOST
            elif check.upright:
                state = _UNMEASURED  # sitting or standing up: getting up after the last rep
            self._frame_state.append(state)
            self._frame_side.append(_SIDES.get(winners.get(self.spec.side_signal or "", ""), 0))

        return FrameAnalysis(
            pose=smooth,
            signals=values,
            primary_signal=self.spec.counting.signal,
            phase=self._counter.phase,
            rep_count=self._counter.count,
            hold_s=self._hold_elapsed(t),
            hold_target_s=self.spec.prescription.hold_s,
            cue=self._cue(check.message, check.status),
            active_faults=tuple(h.rule.id for h in self._live_hits),
            status=check.status,
            status_message=check.message if check.status is not FrameStatus.OK else "",
            near_side=near.value if smooth.xy is not None else None,
            event=rep_event,
            thresholds=self._counter.thresholds(),
        )

    def at_peak(self, t: float) -> bool:
        """Whether the frame at ``t`` is the current rep's highest point so far."""
        return self._counter.current is not None and self._peak[0] == t

    def _hold_elapsed(self, t: float) -> float | None:
        cur = self._counter.current
        if self._counter.phase is Phase.TOP and cur is not None and cur.top_enter_s is not None:
            return t - cur.top_enter_s
        return None

    def _current_side(self) -> str | None:
        if not self._rep_side_votes:
            return None
        return max(self._rep_side_votes, key=lambda s: self._rep_side_votes[s])

    def _cue(self, message: str, status: FrameStatus) -> str | None:
        if status is FrameStatus.UNCLEAR_POSE and self._counter.phase is Phase.TOP:
            return self.spec.cues.top or None  # the hold carries on through the doubt
        if status is not FrameStatus.OK:
            return message or None
        if message and self._counter.phase is Phase.SETUP:
            return message  # how to get into the starting position
        if self._live_hits:
            worst = max(
                self._live_hits, key=lambda h: ("info", "warning", "error").index(h.rule.severity)
            )
            return worst.rule.cue
        cues = self.spec.cues
        if self._counter.phase is Phase.SETUP:
            return cues.setup
        if self._counter.phase is Phase.TOP:
            return cues.top or None
        return cues.rest or None

    def _track_unjudged(self, t: float, status: FrameStatus, message: str) -> None:
        reason = None if status is FrameStatus.OK else message
        span = self._open_span
        if span is not None and span.reason == reason:
            span.end_s = t
            return
        if span is not None:
            span.end_s = t
            self._spans.append(span)
            self._open_span = None
        if reason is not None:
            self._open_span = _Span(reason, t, t)

    # -- events ---------------------------------------------------------------------
    def _on_event(self, ev: CounterEvent) -> RepEvent | None:
        if ev.kind == "started":
            self._acc = self._new_rep()
            self._rep_side_votes = {}
            self._peak = (math.nan, -math.inf)
            return None
        if ev.kind == "counted":
            return None
        cur = ev.rep or self._counter.current
        assert cur is not None
        end = cur.end_s if cur.end_s is not None else ev.t
        if self.keep_series:
            # The rep's frames again, now that its times are known (as in hindsight).
            self._replay(cur, *self._recorded(self.spec.counting.signal))
        return self._close_rep(cur, end, complete=ev.kind == "finished")

    def _recorded(
        self, signal: str, state: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray, float]:
        """The frames so far, as :meth:`_replay` reads them, counted on ``signal`` (measured
        where ``state``, by default each frame's own, says so)."""
        t = np.frombuffer(self._series_t, dtype=np.float64)
        if state is None:
            state = np.frombuffer(self._frame_state, dtype=np.int8)
        u = np.where(state == _MEASURED, np.asarray(self._series[signal], dtype=float), np.nan)
        series = {n: np.asarray(v, dtype=float) for n, v in self._series.items()}
        sides = np.frombuffer(self._frame_side, dtype=np.int8)
        return t, u * self._sign, state, series, sides, self.spec.counting.top * self._sign

    def _close_rep(self, cur: RepTiming, end_s: float, complete: bool) -> RepEvent | None:
        side = self._current_side()
        metrics = self._acc.metrics(cur, end_s, self._plateau)
        if not complete:
            self._partial += 1 if (cur.started_before or cur.cut or cur.top_enter_s) else 0
            self._acc = self._new_rep()
            return RepEvent(index=0, side=side, complete=False, faults=(), quality=0.0)
        hits = (
            []
            if self._faults_unjudged
            else evaluate(self.spec.faults, metrics, side, lower_bound_metrics(cur))
        )
        index = len(self._reps) + 1
        q = quality(hits)
        self._reps.append(
            Rep(
                index=index,
                kind=self._rep_kind,  # type: ignore[arg-type]
                side=side,
                start_s=round(cur.start_s, 3),
                peak_s=round(cur.peak_s if cur.peak_s is not None else end_s, 3),
                end_s=round(end_s, 3),
                hold_start_s=_r(cur.top_enter_s),
                hold_end_s=_r(
                    cur.top_exit_s
                    if cur.top_exit_s is not None
                    else (end_s if cur.top_enter_s is not None else None)
                ),
                complete=True,
                metrics={k: round(v, 4) for k, v in metrics.items() if not math.isnan(v)},
                faults=[h.rule.id for h in hits],
                quality=round(q, 3),
            )
        )
        for h in hits:
            span_start = (
                cur.top_enter_s
                if h.test.metric.startswith("hold") and cur.top_enter_s
                else cur.start_s
            )
            self._faults.append(
                FaultEvent(
                    id=h.rule.id,
                    start_s=round(span_start, 3),
                    end_s=round(end_s, 3),
                    rep_index=index,
                    severity=h.rule.severity,
                    message=h.rule.cue,
                    explanation=h.rule.explanation,
                    value=round(h.value, 4),
                    threshold=h.test.value,
                )
            )
        self._acc = self._new_rep()
        return RepEvent(
            index=index, side=side, complete=True, faults=tuple(h.rule.id for h in hits), quality=q
        )

    def judge_no_faults(self, why: str) -> None:
        """Count, but judge no form fault: they are written for a way of doing the exercise
        the clip does not show (``why`` becomes the report's note). Call before finish()."""
        self._faults_unjudged = True
        self._fault_note = why

    # -- end of session -------------------------------------------------------------
    def finish(self, hindsight: bool = False) -> AnalysisResult:
        """Close the rep in progress and return the session's findings.

        ``hindsight``: the clip is recorded and known whole, so its reps are found again
        from the whole signal (:mod:`formcheck.analysis.segment`) rather than taken from
        the frame-by-frame counter, which had to decide without seeing what came next.
        """
        end_t = self._last_t
        for ev in self._counter.finish(end_t):
            self._on_event(ev)
        resegment = hindsight and self.supports_hindsight()
        oblique = resegment and self.counted_oblique
        side_on = resegment and self._median_side_ratio() <= self.spec.view.max_side_ratio
        if resegment:
            self._resegment(oblique, side_on)
        if oblique:
            # Those frames were counted, on the oblique signal: not unjudged time.
            self._spans = [s for s in self._spans if s.reason != WRONG_VIEW_CUE]
            if self._open_span is not None and self._open_span.reason == WRONG_VIEW_CUE:
                self._open_span = None
        elif side_on and (inside := self._measured_range()) is not None:
            # Nor those counted as the side view the clip is (see _resegment).
            t = np.frombuffer(self._series_t, dtype=np.float64)
            first, last = t[inside[0]], t[inside[1]]
            self._spans = [
                s
                for s in self._spans
                if s.reason != WRONG_VIEW_CUE or s.start_s < first or s.end_s > last
            ]
        if self._open_span is not None:
            self._open_span.end_s = end_t
            self._spans.append(self._open_span)
            self._open_span = None
        start_t = self._first_t or 0.0
        duration = max(0.0, end_t - start_t)
        unjudged = [
            UnjudgedSpan(start_s=round(s.start_s, 3), end_s=round(s.end_s, 3), reason=s.reason)
            for s in _merge_spans(self._spans)
        ]
        unjudged_s = sum(u.end_s - u.start_s for u in unjudged)
        notes: list[str] = []
        judgeable, confidence = True, 1.0
        pose_share = self._frames_with_pose / self._frames if self._frames else 0.0
        if self._frames == 0 or self._frames_with_pose == 0:
            judgeable, confidence = False, 0.0
            notes.append("No person was found in the video.")
        else:
            confidence = min(confidence, pose_share)
            if duration > 0 and unjudged_s / duration > 0.5:
                confidence *= 0.5
                note = (
                    f"{unjudged_s:.0f} s of {duration:.0f} s could not be judged "
                    f"(most often: {_most_common_reason(unjudged)})"
                )
                if not self._reps:
                    # Nothing counted in a clip mostly unseen is not "0 done": say so.
                    judgeable, confidence = False, min(confidence, 0.2)
                    note = f"Cannot judge: {note}, and nothing was counted"
                notes.append(note + ".")
        slow = getattr(self._counter, "slow_rejected", 0)
        if slow and not self._reps and self._frames_with_pose:
            judgeable, confidence = False, min(confidence, 0.2)
            notes.append(
                f"Cannot judge: the only movement seen was a slow drift ({slow} time(s)), "
                "not a deliberate movement; landmarks may be drifting. Film side-on and closer."
            )
        series = self._series.get(self.spec.counting.signal, [])
        weak = self._weak_signal(series)
        if weak is not None and self._frames_with_pose:
            judgeable, confidence = False, min(confidence, 0.2)
            notes.append(weak)
        elif judgeable and not self._reps and not self._in_position_seen and not oblique:
            # Never in the starting position: "0 done" would be a claim about a body the
            # picture did not show doing anything (a camera on its side, another exercise).
            judgeable, confidence = False, min(confidence, 0.2)
            notes.append(
                f"Cannot judge: the patient was never seen in the starting position "
                f"({POSITION_WORDS[self.spec.position]}), so nothing was counted."
            )
        elif judgeable and self._subtle_and_unseen():
            # A tilt of a few degrees that the camera missed looks exactly like no tilt:
            # "0 holds" would be a claim the footage cannot support.
            judgeable, confidence = False, min(confidence, 0.2)
            notes.append(
                f"Cannot judge: no complete {self._signal_label()} was seen. The movement is a few "
                "degrees, so it may have been missed: film side-on and closer, with the hips "
                "and knees clearly visible."
            )
        med = self._median_side_ratio()
        if math.isnan(med):
            view = "unknown"
        else:
            view = "side" if med <= self.spec.view.max_side_ratio else "front_or_oblique"
            if oblique:
                notes.append(
                    f"The camera does not look at the side of the body (width ratio {med:.2f}): "
                    f"the movement was counted {self._oblique_words()}, but form faults were "
                    "not judged. Film side-on, with the camera low, to check form."
                    + (
                        ""
                        if self._in_position_seen
                        else " The starting position could not be checked from this view: "
                        "every movement from the first frame was counted."
                    )
                )
            elif view != "side" and self.spec.view.required == "side":
                notes.append(
                    f"The camera does not look at the side of the body (width ratio {med:.2f}): "
                    "film side-on, with the camera low and level with the body. Angles are "
                    "measured in the picture, so results from this view are unreliable."
                )
                confidence *= 0.5
        if self._fault_note:
            notes.append(self._fault_note)  # after any verdict on the count itself
        near = None
        if sum(self._side_votes.values()):
            near = max(self._side_votes, key=lambda s: self._side_votes[s])
        return AnalysisResult(
            exercise=self.spec,
            reps=self._reps,
            faults=self._faults,
            unjudged=unjudged,
            series_t=list(self._series_t),
            series={k: list(v) for k, v in self._series.items()},
            frames=self._frames,
            frames_with_pose=self._frames_with_pose,
            duration_s=duration,
            active_s=max(0.0, duration - unjudged_s),
            near_side=near,
            view=view,
            notes=notes,
            judgeable=judgeable,
            confidence=round(max(0.0, min(1.0, confidence)), 3),
            partial_reps=self._partial,
        )

    def supports_hindsight(self) -> bool:
        """Whether the frames were kept, so that the clip can be segmented whole."""
        return self.keep_series

    def _measured_range(self) -> tuple[int, int] | None:
        """The first and last frame measured as they came (the clip's side-on stretch)."""
        measured = np.flatnonzero(np.frombuffer(self._frame_state, dtype=np.int8) == _MEASURED)
        return (int(measured[0]), int(measured[-1])) if measured.size else None

    def _median_side_ratio(self) -> float:
        return _histogram_median(self._ratio_counts)

    @property
    def counted_oblique(self) -> bool:
        """The clip is filmed from the front or obliquely, and the definition can count it
        there (``counting.signal_oblique``): in 3D from any view, from the picture only
        while the body's plane is still seen at a slant."""
        med = self._median_side_ratio()
        return (
            self.spec.counting.signal_oblique is not None
            and self.spec.view.required == "side"
            and med > self.spec.view.max_side_ratio
            and (self._oblique_in_3d() or _histogram_median(self._facing_counts) >= MIN_FACING)
        )

    def _oblique_in_3d(self) -> bool:
        sig = self.spec.signals.get(self.spec.counting.signal_oblique or "")
        return sig is not None and sig.kind in SAGITTAL_KINDS

    def _oblique_words(self) -> str:
        if self._oblique_in_3d():
            return "from the 3D pose, in the body's own plane"
        # A consensus: each part's projection changes with the view, but the clip shows
        # which way each moves, and a rep is only ever measured from the patient's own rest.
        return "from the picture, with the way each part moves learned from this clip"

    def _resegment(self, oblique: bool, side_on: bool = False) -> None:
        """Replace the live counter's reps with those found in the whole recorded signal
        (``oblique``: on the definition's oblique signal, the view being front or oblique;
        ``side_on``: the clip as a whole is filmed side-on)."""
        counting = self.spec.counting
        state = np.frombuffer(self._frame_state, dtype=np.int8).copy()
        signal = counting.signal
        if oblique:
            # The picture's angles judge no fault from this view.
            signal = counting.signal_oblique or signal
            self._faults_unjudged = True
            if not self._in_position_seen:
                # The starting-position check reads the picture, which this view distorts as
                # it does the angles (a supine body filmed 50-60 deg round and from above
                # never passed it): the body's frames count from the first.
                state[state == _BEFORE_POSITION] = _MEASURED
            state[state == _OFF_SIDE_ON] = _MEASURED
        elif side_on:
            # The view is the camera's, and a recorded clip's camera is judged over the whole
            # clip: frames refused for it between side-on frames are the pose changing the
            # widths the gate reads (a cow's arched back shortens the torso in the picture),
            # not the camera moving. Refused to the clip's end (or from its start) they are
            # the patient turned away: not counted. Live, the frame's own verdict stands.
            inside = self._measured_range()
            if inside is not None:
                between = state[inside[0] : inside[1] + 1]
                between[between == _OFF_SIDE_ON] = _MEASURED
        self._relearn_raised(state == _MEASURED)
        self._relearn_consensus(state == _MEASURED)
        t, u, state, series, sides, need = self._recorded(signal, state)
        # Seen but not judged (a doubted skeleton, a flicker of the view verdict): no gap.
        seen_unjudged = (state == _DOUBTED) | (state == _OFF_SIDE_ON)
        lost = np.where(state == _LOST, Blank.LOST, Blank.SPLIT)
        blank = np.where(seen_unjudged, Blank.SEEN, lost)
        found = strategy_for(counting).segment(t, u, counting, blank)
        self._reps, self._faults, self._partial = [], [], 0
        for rep in found.reps:
            self._replay(rep, t, u, state, series, sides, need)
            end = rep.end_s if rep.end_s is not None else float(t[-1])
            self._close_rep(rep, end, complete=rep.counted)

    def _values(self, name: str) -> np.ndarray:
        return np.asarray(self._series[name], dtype=float)

    def _store(self, name: str, values: np.ndarray) -> None:
        """Replace a kept signal's frames with values recomputed in hindsight."""
        self._series[name] = array("f", values.astype(np.float32).tobytes())

    def _relearn_raised(self, measured: np.ndarray) -> None:
        """Each side_max signal again, each side's rest learned from the whole clip, and the
        signals combined from it."""
        lift = abs(self.spec.counting.top)
        changed: set[str] = set()
        for name, source in self.spec.side_max.items():
            left, right = self._values(f"{source}_left"), self._values(f"{source}_right")
            rests = rests_in_hindsight(left, right, lift, measured)
            if rests is None:
                continue
            value, left_won = raised_in_hindsight(left, right, rests)
            self._store(name, value)
            changed.add(name)
            if name == self.spec.side_signal:
                sides = np.where(left_won, _SIDES["left"], _SIDES["right"])
                sides[np.isnan(value)] = 0
                self._frame_side = array("b", sides.astype(np.int8).tobytes())
        # As step() combines them: differences, then sums, each in order.
        for combined, sign in ((self.spec.derived, -1.0), (self.spec.sums, 1.0)):
            for name, (a, b) in combined.items():
                if {a, b} & changed:
                    self._store(name, self._values(a) + sign * self._values(b))
                    changed.add(name)

    def _relearn_consensus(self, measured: np.ndarray) -> None:
        """Sum each consensus signal again, with its parts' signs learned from this clip."""
        for name, spec in self.spec.consensus.items():
            parts = [self._values(p) for p in spec.parts]
            signs = learn_signs(parts, spec.signs, measured)
            self.consensus_signs[name] = signs
            if signs != spec.signs:
                self._store(name, combine(dict(zip(spec.parts, parts, strict=True)), spec, signs))

    def _replay(
        self,
        rep: RepTiming,
        t: np.ndarray,
        u: np.ndarray,
        state: np.ndarray,
        series: dict[str, np.ndarray],
        sides: np.ndarray,
        need: float,
    ) -> None:
        """Feed the rep's frames to a fresh accumulator, as the live path does frame by frame."""
        self._acc = self._new_rep()
        self._rep_side_votes = {}
        end = rep.end_s if rep.end_s is not None else float(t[-1])
        before = (t >= rep.start_s - REST_WINDOW_S) & (t < rep.start_s) & (state == _MEASURED)
        if before.any() and not rep.started_before:
            for name, values in series.items():
                rest = values[before]
                rest = rest[~np.isnan(rest)]
                if rest.size:
                    self._acc.first[name] = float(np.median(rest))
        inside = np.flatnonzero((t >= rep.start_s) & (t <= end) & (state == _MEASURED))
        if inside.size == 0:
            return
        trace_t = np.array([p[0] for p in rep.trace])
        trace_u = np.array([p[1] for p in rep.trace])
        peak_i = inside[int(np.argmin(np.abs(t[inside] - (rep.peak_s or end))))]
        top_in = rep.top_enter_s if rep.top_enter_s is not None else math.inf
        top_out = rep.top_exit_s if rep.top_exit_s is not None else end
        rest_u = rep.start_u if math.isfinite(rep.start_u) else -math.inf
        for i in inside:
            ti = float(t[i])
            at_top = top_in <= ti <= top_out
            smooth_u = float(np.interp(ti, trace_t, trace_u)) if trace_t.size else float(u[i])
            past_target = smooth_u >= rest_u + abs(need)
            plateau_frame = self._plateau is not None and (past_target or self._rep_kind == "hold")
            self._acc.add(
                {n: float(v[i]) for n, v in series.items()},
                is_peak=i == peak_i,
                in_hold=at_top and self._plateau is None,
                top_u=smooth_u if plateau_frame else None,
                t=ti,
            )
            if at_top and sides[i]:
                side = _SIDE_NAMES[int(sides[i])]
                self._rep_side_votes[side] = self._rep_side_votes.get(side, 0) + 1

    def _subtle_and_unseen(self) -> bool:
        """A subtle movement (one with a noise floor set) of which no complete rep was seen."""
        return (
            self.spec.counting.min_signal_range > 0
            and not self._reps
            and self._frames_with_pose > 0
        )

    def _signal_label(self) -> str:
        sig = self.spec.signals.get(self.spec.counting.signal)
        return (sig.label if sig and sig.label else self.spec.counting.signal).lower()

    def _weak_signal(self, series: list[float]) -> str | None:
        """A reason string when the counting signal moved too little to judge."""
        need = self.spec.counting.min_signal_range
        if need <= 0:
            return None
        arr = np.asarray(series, dtype=float)
        arr = arr[~np.isnan(arr)]
        if arr.size < 10:
            return None
        spread = float(np.percentile(arr, 97) - np.percentile(arr, 3))
        if spread >= need:
            return None
        sig = self.spec.signals.get(self.spec.counting.signal)
        unit = sig.unit if sig else ""
        return (
            f"Cannot judge: the {self._signal_label()} moved only {spread:.1f} {unit} "
            f"over the clip, within measurement noise (needs {need:g}). Film side-on, closer, "
            "with the hips and knees clearly visible."
        )


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _histogram_median(counts: np.ndarray) -> float:
    total = int(counts.sum())
    if total == 0:
        return math.nan
    return (int(np.searchsorted(np.cumsum(counts), total / 2)) + 0.5) * _RATIO_STEP


def _merge_spans(spans: list[_Span], gap_s: float = 0.3) -> list[_Span]:
    """Join consecutive spans with the same reason separated by tiny gaps; drop blips."""
    out: list[_Span] = []
    for s in spans:
        if out and out[-1].reason == s.reason and s.start_s - out[-1].end_s <= gap_s:
            out[-1].end_s = s.end_s
        else:
            out.append(_Span(s.reason, s.start_s, s.end_s))
    return [s for s in out if s.end_s - s.start_s >= 0.2]


def _most_common_reason(spans: list[UnjudgedSpan]) -> str:
    totals: dict[str, float] = {}
    for s in spans:
        totals[s.reason] = totals.get(s.reason, 0.0) + (s.end_s - s.start_s)
    return max(totals, key=lambda r: totals[r]).lower() if totals else "unknown"
