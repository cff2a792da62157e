"""The job queue end to end, with the analysis replaced by a recorder: restarts, crashes, slots."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from report_factories import make_report
from sqlalchemy import select

from formcheck.report.json_writer import write_json
from formcheck.serve.db import make_engine, session_factory, upgrade
from formcheck.serve.jobs import JobQueue, claim_next
from formcheck.serve.models import AnalysisJob, Patient, TrainingSession
from formcheck.serve.worker import JobResult, JobSpec


def _queue(db, tmp_path: Path, run, slots: int = 2) -> JobQueue:  # type: ignore[no-untyped-def]
    return JobQueue(
        db,
        db_url="unused",
        data_dir=tmp_path,
        make_executor=lambda: ThreadPoolExecutor(slots),
        slots=slots,
        config_for=lambda _: None,
        run=run,
        poll_s=0.05,
    )


def _wait(db, n_finished: int, timeout: float = 20) -> dict[int, str]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        with db() as s:
            status = dict(s.execute(select(AnalysisJob.id, AnalysisJob.status)).all())
        if sum(v in ("done", "failed") for v in status.values()) >= n_finished:
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


def test_a_restarted_queue_runs_every_job_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    upgrade(engine)
    db = session_factory(engine)
    report = write_json(make_report(), tmp_path / "r.json")
    with db.begin() as s:
        s.add(Patient(id=1, name="Ann", token="t"))
        s.flush()
        for i in range(6):
            s.add(
                AnalysisJob(
                    patient_id=1,
                    original_name=f"c{i}.mp4",
                    clip_path=f"u/{i}.mp4",
                    clip_sha256="0" * 64,
                    exercise="bridge",
                    status="queued",
                    progress=0.0,
                    attempts=0,
                )
            )
    # A server took job 1 and died while analysing it.
    assert claim_next(db) is not None
    calls: list[int] = []
    lock = threading.Lock()
    busy = [0, 0]  # now, most at once

    def run(spec: JobSpec) -> JobResult:
        with lock:
            calls.append(spec.job_id)
            busy[0] += 1
            busy[1] = max(busy[1], busy[0])
        time.sleep(0.05)
        with lock:
            busy[0] -= 1
        if spec.job_id == 4:
            raise RuntimeError("worker process died")  # a broken pool: the job fails
        return JobResult(spec.job_id, spec.claim, True, report_path=str(report))

    queue = _queue(db, tmp_path, run)
    queue.start()
    try:
        status = _wait(db, 6)
    finally:
        queue.stop()
    assert sorted(calls) == [1, 2, 3, 4, 5, 6]  # the interrupted job resumed; none ran twice
    assert busy[1] <= 2  # never more than the worker slots
    assert status == {1: "done", 2: "done", 3: "done", 4: "failed", 5: "done", 6: "done"}
    with db() as s:
        assert len(s.scalars(select(TrainingSession)).all()) == 5
        failed = s.get(AnalysisJob, 4)
        assert failed is not None and "crashed" in (failed.error or "")
    # A second restart finds nothing to do.
    calls.clear()
    again = _queue(db, tmp_path, run)
    again.start()
    time.sleep(0.5)
    again.stop()
    assert calls == []
    engine.dispose()


def refuse(spec: JobSpec) -> JobResult:
    """Runs in a spawned worker process: fails the job at once."""
    return JobResult(spec.job_id, spec.claim, False, error="refused by the test worker")


def test_stopping_the_queue_ends_its_worker_processes(tmp_path: Path) -> None:
    from formcheck.serve.app import batch_pool
    from formcheck.serve.settings import ServeSettings

    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    upgrade(engine)
    db = session_factory(engine)
    with db.begin() as s:
        s.add(Patient(id=1, name="Ann", token="t"))
        s.flush()
        s.add(
            AnalysisJob(
                patient_id=1,
                original_name="c.mp4",
                clip_path="u/c.mp4",
                clip_sha256="0" * 64,
                exercise="bridge",
                status="queued",
                progress=0.0,
                attempts=0,
            )
        )
    settings = ServeSettings(data_dir=tmp_path, db_url="unused", workers=2)
    queue = JobQueue(
        db,
        db_url="unused",
        data_dir=tmp_path,
        make_executor=lambda: batch_pool(settings),
        slots=2,
        config_for=lambda _: None,
        run=refuse,
        poll_s=0.05,
    )
    queue.start()
    try:
        assert _wait(db, 1, timeout=60) == {1: "failed"}
        workers = list(queue.executor._processes.values())  # type: ignore[attr-defined]
        assert workers and all(p.is_alive() for p in workers)
    finally:
        queue.stop()
    assert not [p.pid for p in workers if p.is_alive()]
    engine.dispose()
