"""One uploaded clip, analysed in a batch worker process (the model stays loaded there).

The analysis is :func:`formcheck.pipeline.analyze_clip`, as ``formcheck analyze``
runs it, with the batch worker's reused estimator. The worker writes the report,
the HTML page and the annotated video into the data folder (atomically, named by
the job so a rerun after a crash replaces its own half-done files) and writes
its progress to the job's row; the server records the result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import update

from formcheck.errors import FormcheckError

if TYPE_CHECKING:
    from formcheck.exercises.loader import PatientConfig


@dataclass(frozen=True)
class JobSpec:
    """Plain fields, so it pickles to a spawned worker."""

    job_id: int
    claim: str
    db_url: str
    clip: str
    exercise: str
    config: str | None
    patient: str | None
    out_stem: str  # the data folder path without suffix: .json, .html, .webm are added
    model_path: str | None = None
    video: bool = True
    clip_name: str = ""  # the name it was uploaded under, for the report's title


@dataclass(frozen=True)
class JobResult:
    job_id: int
    claim: str
    ok: bool
    error: str = ""
    report_path: str = ""
    html_path: str = ""
    video_path: str = ""


_engines: dict[str, object] = {}


@lru_cache(maxsize=32)
def _config(path: str | None) -> PatientConfig:
    from formcheck.exercises.loader import load_config

    return load_config(Path(path) if path else None)


def _report_progress(spec: JobSpec, fraction: float) -> None:
    from formcheck.serve.db import make_engine
    from formcheck.serve.models import AnalysisJob

    engine = _engines.get(spec.db_url)
    if engine is None:
        engine = _engines[spec.db_url] = make_engine(spec.db_url)
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            update(AnalysisJob)
            .where(AnalysisJob.id == spec.job_id, AnalysisJob.claim == spec.claim)
            .values(progress=round(fraction, 3))
        )


def run_job(spec: JobSpec) -> JobResult:
    """Analyse the clip; every failure comes back as a JobResult, never an exception."""
    try:
        return _run(spec)
    except FormcheckError as exc:
        return JobResult(spec.job_id, spec.claim, False, error=str(exc))
    except Exception as exc:  # a bug or a library failure: record it on the job
        return JobResult(
            spec.job_id, spec.claim, False, error=" ".join(f"{type(exc).__name__}: {exc}".split())
        )


def _run(spec: JobSpec) -> JobResult:
    import dataclasses

    from formcheck.batch.worker import estimator
    from formcheck.pipeline import analyze_clip
    from formcheck.report.html import write_html
    from formcheck.report.json_writer import write_json

    config = _config(spec.config)
    if spec.patient:
        config = dataclasses.replace(config, patient=spec.patient)
    model = estimator(spec.model_path)
    stem = Path(spec.out_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    video = stem.with_suffix(".webm") if spec.video else None
    last = [0.0]

    def progress(done: int, total: int | None) -> None:
        now = time.monotonic()
        if total and now - last[0] >= 0.5:  # a row update twice a second is plenty
            last[0] = now
            _report_progress(spec, min(0.99, done / total))

    outcome = analyze_clip(
        spec.clip,
        exercise=spec.exercise,
        config=config,
        estimator_factory=model.clip,
        video_out=video,
        keyframes=True,
        force=True,
        progress=progress,
    )
    report = outcome.report
    if report.summary.frames_with_pose == 0:
        return JobResult(spec.job_id, spec.claim, False, error="no person found in the clip")
    json_path = write_json(report, stem.with_suffix(".json"), force=True)
    # Titled with the uploaded name: the stored file's name is a random one.
    title = f"{report.exercise_name} — {spec.clip_name}" if spec.clip_name else None
    html_path = write_html(
        report, stem.with_suffix(".html"), force=True, keyframes=outcome.keyframes, title=title
    )
    return JobResult(
        spec.job_id,
        spec.claim,
        True,
        report_path=str(json_path),
        html_path=str(html_path),
        video_path=str(video) if video else "",
    )
