"""Save a live exercise as ``<sessions>/<YYYYmmdd-HHMMSS>-<exercise>.json`` and ``.html``.

Written atomically (a crash never leaves half a report) and never over an
existing session: a second save in the same second gets ``-2``, ``-3``...
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from formcheck.live.session import ExerciseRun
from formcheck.report.atomic import atomic_write_text
from formcheck.report.build import build_report
from formcheck.report.html import write_html
from formcheck.report.model import SessionReport, SourceInfo
from formcheck.types import VideoInfo


@dataclass(frozen=True)
class SavedSession:
    report: SessionReport
    json_path: Path
    html_path: Path


def session_stem(folder: Path, stamp: datetime, exercise_id: str) -> Path:
    """A path without suffix whose ``.json`` and ``.html`` do not exist yet."""
    base = f"{stamp:%Y%m%d-%H%M%S}-{exercise_id}"
    stem, n = folder / base, 1
    while stem.with_suffix(".json").exists() or stem.with_suffix(".html").exists():
        n += 1
        stem = folder / f"{base}-{n}"
    return stem


def save_run(
    run: ExerciseRun,
    *,
    folder: Path,
    stamp: datetime,
    model_id: str,
    info: VideoInfo,
    patient: str | None = None,
    warnings: list[str] | None = None,
) -> SavedSession | None:
    """Write the run's report; None when nothing was analysed (nothing to save)."""
    result = run.result
    if result is None or result.frames == 0:
        return None
    notes = list(warnings or [])
    if run.outcome.value in ("lost", "interrupted"):
        notes.append(f"Live session cut short: {run.message}; the part done so far is saved.")
    source = SourceInfo(
        path=info.source,
        width=info.width,
        height=info.height,
        fps=round(info.fps, 3),
        frames=result.frames,
        duration_s=round(result.duration_s, 3),
        rotation=info.rotation,
    )
    report = build_report(
        result,
        model_id=model_id,
        source=source,
        patient=patient,
        warnings=notes,
        recorded_at=stamp,  # when the exercise started (local time, stored in UTC)
    )
    folder.mkdir(parents=True, exist_ok=True)
    stem = session_stem(folder, stamp, run.spec.id)
    json_path = atomic_write_text(stem.with_suffix(".json"), report.model_dump_json(indent=2))
    html_path = write_html(report, stem.with_suffix(".html"))
    return SavedSession(report, json_path, html_path)
