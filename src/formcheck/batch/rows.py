"""A clip's rows in the batch tables: one clip row, one row per rep.

Rows are built once, when a clip finishes, and kept beside its report in the
store, so the tables can be rebuilt from thousands of clips without reading
every full report (with its per-frame series) again.
"""

from __future__ import annotations

import math
from typing import Any

from formcheck.batch.jobs import KeyedJob
from formcheck.report.model import SessionReport

CLIP_COLUMNS: tuple[str, ...] = (
    "path",
    "exercise",
    "requested_exercise",
    "patient",
    "status",
    "error",
    "rep_count",
    "partial_reps",
    "judgeable",
    "confidence",
    "exercise_confidence",
    "mean_quality",
    "faults",
    "duration_s",
    "frames",
    "frames_with_pose",
    "model",
    "key",
    "report_path",
    "seconds",
    "cache_hit",
)
# Columns that differ from run to run for the same result (machine speed, cache state).
TIMING_COLUMNS: tuple[str, ...] = ("seconds", "cache_hit")

REP_COLUMNS: tuple[str, ...] = (
    "path",
    "patient",
    "exercise",
    "rep",
    "kind",
    "side",
    "start_s",
    "peak_s",
    "end_s",
    "complete",
    "quality",
    "faults",
    "key",
)


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), 4) + 0.0  # + 0.0 turns -0.0 into 0.0


def _base(kjob: KeyedJob) -> dict[str, Any]:
    job = kjob.job
    return {
        "path": str(job.path),
        "requested_exercise": job.exercise,
        "patient": job.patient,
        "model": kjob.model_id,
        "key": kjob.key,
    }


def clip_row(kjob: KeyedJob, report: SessionReport, report_path: str) -> dict[str, Any]:
    s = report.summary
    row = _base(kjob) | {
        "exercise": report.exercise,
        "patient": report.patient,
        "status": "ok",
        "error": "",
        "rep_count": s.rep_count,
        "partial_reps": s.partial_reps,
        "judgeable": s.judgeable,
        "confidence": _num(s.confidence),
        "exercise_confidence": _num(report.exercise_confidence),
        "mean_quality": _num(s.mean_quality),
        "faults": ";".join(f"{k}:{v}" for k, v in sorted(s.fault_counts.items())),
        "duration_s": _num(s.duration_s),
        "frames": s.frames,
        "frames_with_pose": s.frames_with_pose,
        "report_path": report_path,
    }
    return {c: row.get(c) for c in CLIP_COLUMNS}


def failed_row(kjob: KeyedJob, error: str) -> dict[str, Any]:
    row = _base(kjob) | {"exercise": kjob.job.exercise, "status": "failed", "error": error}
    return {c: row.get(c) for c in CLIP_COLUMNS}


def rep_rows(kjob: KeyedJob, report: SessionReport) -> list[dict[str, Any]]:
    rows = []
    for rep in report.reps:
        row: dict[str, Any] = {
            "path": str(kjob.job.path),
            "patient": report.patient,
            "exercise": report.exercise,
            "rep": rep.index,
            "kind": rep.kind,
            "side": rep.side,
            "start_s": _num(rep.start_s),
            "peak_s": _num(rep.peak_s),
            "end_s": _num(rep.end_s),
            "complete": rep.complete,
            "quality": _num(rep.quality),
            "faults": ";".join(rep.faults),
            "key": kjob.key,
        }
        row |= {name: _num(value) for name, value in sorted(rep.metrics.items())}
        rows.append(row)
    return rows
