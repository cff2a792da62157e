"""Dress an :class:`AnalysisResult` as a :class:`SessionReport`: summary and prescription."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timezone

from formcheck import __version__
from formcheck.analysis.analyzer import AnalysisResult
from formcheck.exercises.schema import PrescriptionSpec
from formcheck.report.model import (
    COUNT_NOUN,
    Prescription,
    SeriesBlock,
    SessionReport,
    SourceInfo,
    Summary,
    UnjudgedSpan,
    count_text,
)

DAMAGED_REASON = "Damaged video: frames could not be decoded"


def _prescription(p: PrescriptionSpec) -> Prescription:
    return Prescription(**p.model_dump())


def against_prescription(result: AnalysisResult) -> tuple[bool | None, str]:
    """Plain-language comparison of what was done with what was prescribed."""
    p = result.exercise.prescription
    done = [r for r in result.reps if r.complete]
    noun = COUNT_NOUN[p.kind]
    parts: list[str] = []
    met: bool | None = None
    if p.kind == "cycle":
        active = sum(r.end_s - r.start_s for r in done)
        target = p.duration_s or 0.0
        parts.append(f"{count_text(len(done), p.kind)} over {active:.0f} s of movement")
        if target:
            met = active >= target
            upper = f"-{p.duration_max_s:.0f}" if p.duration_max_s else ""
            parts.append(f"prescribed {target:.0f}{upper} s")
        return met, "; ".join(parts)
    if p.target_count is not None:
        target = f"{p.target_count}" + (f"-{p.target_count_max}" if p.target_count_max else "")
        parts.append(f"{len(done)} of {target} {noun}")
        met = len(done) >= p.target_count
    else:
        parts.append(count_text(len(done), p.kind))
    if p.hold_s and p.kind == "hold":
        held = [r.metrics.get("hold_s", math.nan) for r in done]
        long_enough = sum(1 for h in held if h >= p.hold_s * 0.85)
        parts.append(f"{long_enough} held about {p.hold_s:g} s or longer")
        if met is not None:
            met = met and long_enough >= (p.target_count or 0)
    if p.per_side:
        sides = Counter(r.side for r in done if r.side)
        parts.append(
            ", ".join(f"{n} {s}" for s, n in sorted(sides.items())) or "sides not identified"
        )
    return met, "; ".join(parts)


def build_report(
    result: AnalysisResult,
    *,
    model_id: str,
    source: SourceInfo | None = None,
    patient: str | None = None,
    exercise_confidence: float | None = None,
    warnings: list[str] | None = None,
    config_overrides: dict[str, object] | None = None,
    damaged: list[tuple[float, float, int]] | None = None,
    recorded_at: datetime | None = None,
) -> SessionReport:
    """The report of ``result``.

    ``damaged``: ``(after_s, before_s, frames)`` stretches of the video that could
    not be decoded (skipped by the source), reported as unjudged time.
    ``recorded_at``: when the session was recorded (stored in UTC).
    """
    done = [r for r in result.reps if r.complete]
    judgeable, confidence, notes = result.judgeable, result.confidence, list(result.notes)
    short = _too_short(result) if judgeable and not done and result.frames_with_pose else None
    if short is not None:
        judgeable, confidence = False, 0.0
        notes.append(short)
    faults = Counter(f for r in done for f in r.faults)
    sides = Counter(r.side for r in done if r.side)
    met, text = against_prescription(result)
    hold_total = sum(r.metrics.get("hold_s", 0.0) for r in done)
    summary = Summary(
        rep_count=len(done),
        partial_reps=result.partial_reps,
        reps_per_side=dict(sides),
        total_hold_s=round(hold_total, 2),
        active_s=round(result.active_s, 2),
        duration_s=round(result.duration_s, 2),
        frames=result.frames,
        frames_with_pose=result.frames_with_pose,
        mean_quality=round(sum(r.quality for r in done) / len(done), 3) if done else None,
        fault_counts=dict(faults),
        prescription_met=met if judgeable else None,
        against_prescription=text,
        confidence=confidence,
        judgeable=judgeable,
        notes=notes,
    )
    unjudged = list(result.unjudged) + [
        UnjudgedSpan(start_s=round(a, 3), end_s=round(b, 3), reason=DAMAGED_REASON)
        for a, b, _ in damaged or []
    ]
    plot = list(result.exercise.plot_signals) or [result.exercise.counting.signal]
    keep = list(dict.fromkeys([result.exercise.counting.signal, *plot, *result.series]))
    series = SeriesBlock(
        t=[round(t, 4) for t in result.series_t],
        values={
            name: [None if math.isnan(v) else round(v, 3) for v in result.series[name]]
            for name in keep
            if name in result.series
        },
    )
    return SessionReport(
        formcheck_version=__version__,
        exercise=result.exercise.id,
        exercise_name=result.exercise.name,
        exercise_confidence=exercise_confidence,
        model=model_id,
        view=result.view,
        near_side=result.near_side,
        source=source,
        patient=patient,
        prescription=_prescription(result.exercise.prescription),
        reps=result.reps,
        faults=result.faults,
        unjudged=sorted(unjudged, key=lambda u: (u.start_s, u.end_s)),
        summary=summary,
        series=series,
        warnings=warnings or [],
        config_overrides=config_overrides or {},
        recorded_at=_utc(recorded_at),
    )


def shortest_rep_s(result: AnalysisResult) -> float:
    """The least time one rep, hold or cycle of the exercise can take to be counted."""
    counting = result.exercise.counting
    return max(counting.min_rep_s, counting.min_top_s)


def _too_short(result: AnalysisResult) -> str | None:
    """A note when the clip is too short to hold even one rep (so "0 reps" says nothing)."""
    need = shortest_rep_s(result)
    if result.duration_s >= need:
        return None
    noun = result.exercise.prescription.kind
    return (
        f"Cannot judge: the clip is {result.duration_s:.2f} s long ({result.frames} frames), "
        f"too short to hold one {noun} of {result.exercise.name} (at least {need:g} s)."
    )


def _utc(when: datetime | None) -> datetime | None:
    if when is None:
        return None
    # A naive time is local time (datetime.now()); stored in UTC, to the second.
    return when.astimezone(timezone.utc).replace(microsecond=0)
