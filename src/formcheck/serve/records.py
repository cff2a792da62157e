"""A session report (from a clip or a live set) into the database, with its files' hashes."""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy.orm import Session

from formcheck.pipeline import file_sha256
from formcheck.report.model import SessionReport
from formcheck.serve.models import FaultRow, RepRow, TrainingSession


def _finite(v: float | None) -> float | None:
    return v if v is not None and math.isfinite(v) else None


def add_session(
    db: Session,
    *,
    data_dir: Path,
    patient_id: int,
    origin: str,
    report: SessionReport,
    report_path: Path,
    html_path: Path | None = None,
    video_path: Path | None = None,
    clip_sha256: str | None = None,
) -> TrainingSession:
    """Add (not commit) the session row with its reps and faults; paths relative to the data."""

    def rel(p: Path | None) -> str | None:
        return None if p is None else p.resolve().relative_to(data_dir.resolve()).as_posix()

    s = report.summary
    row = TrainingSession(
        patient_id=patient_id,
        origin=origin,
        exercise=report.exercise,
        exercise_name=report.exercise_name,
        rep_count=s.rep_count,
        partial_reps=s.partial_reps,
        target_count=report.prescription.target_count,
        judgeable=s.judgeable,
        mean_quality=_finite(s.mean_quality),
        duration_s=report.source.duration_s if report.source else 0.0,
        report_path=rel(report_path) or "",
        report_sha256=file_sha256(report_path),
        html_path=rel(html_path),
        html_sha256=file_sha256(html_path) if html_path else None,
        video_path=rel(video_path),
        video_sha256=file_sha256(video_path) if video_path and video_path.exists() else None,
        clip_sha256=clip_sha256,
    )
    row.reps = [
        RepRow(
            index=r.index,
            side=r.side,
            start_s=r.start_s,
            peak_s=r.peak_s,
            end_s=r.end_s,
            quality=r.quality,
            complete=r.complete,
            faults=",".join(r.faults),
        )
        for r in report.reps
    ]
    row.faults = [
        FaultRow(
            fault_id=f.id,
            rep_index=f.rep_index,
            start_s=f.start_s,
            end_s=f.end_s,
            message=f.message,
        )
        for f in report.faults
    ]
    db.add(row)
    return row
