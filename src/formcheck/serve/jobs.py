"""The analysis queue: jobs live in the database, run on the batch worker pool.

A job is taken by one atomic ``UPDATE ... WHERE status = 'queued'`` that writes a
fresh claim; its result is recorded only if the row still carries that claim, in
the same transaction that adds the session. So two servers on one database never
run the same job, and a result is never recorded twice. At start-up, jobs left
``running`` by a server that stopped are queued again (their half-written files
carry the job's name and are replaced), and queued jobs simply wait their turn:
the queue survives a restart.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from concurrent.futures.thread import BrokenThreadPool
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from formcheck.report.json_writer import read_json
from formcheck.serve.models import AnalysisJob, Patient, utcnow
from formcheck.serve.records import add_session
from formcheck.serve.worker import JobResult, JobSpec, run_job

RunFn = Callable[[JobSpec], JobResult]


def requeue_interrupted(db: sessionmaker[Session]) -> int:
    """Jobs a stopped server left running go back to the queue; returns how many."""
    with db.begin() as s:
        result = s.execute(
            update(AnalysisJob)
            .where(AnalysisJob.status == "running")
            .values(status="queued", claim=None, progress=0.0)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def claim_next(db: sessionmaker[Session]) -> tuple[int, str] | None:
    """Take the oldest queued job; None when there is none (or another server took it)."""
    for _ in range(5):  # lost races: try the next one
        with db() as s:
            job_id = s.scalar(
                select(AnalysisJob.id)
                .where(AnalysisJob.status == "queued")
                .order_by(AnalysisJob.id)
                .limit(1)
            )
        if job_id is None:
            return None
        claim = secrets.token_hex(16)
        with db.begin() as s:
            taken = s.execute(
                update(AnalysisJob)
                .where(AnalysisJob.id == job_id, AnalysisJob.status == "queued")
                .values(
                    status="running",
                    claim=claim,
                    started_at=utcnow(),
                    attempts=AnalysisJob.attempts + 1,
                    progress=0.0,
                )
            ).rowcount  # type: ignore[attr-defined]
        if taken == 1:
            return job_id, claim
    return None


def record_result(db: sessionmaker[Session], data_dir: Path, result: JobResult) -> bool:
    """Store a finished job under its claim; False when the claim is no longer the job's."""
    with db.begin() as s:
        job = s.scalars(
            select(AnalysisJob)
            .where(AnalysisJob.id == result.job_id, AnalysisJob.claim == result.claim)
            .with_for_update()
        ).first()
        if job is None or job.status != "running":
            return False
        job.finished_at = utcnow()
        job.progress = 1.0
        if not result.ok:
            job.status, job.error = "failed", result.error
            return True
        report_path = Path(result.report_path)
        session = add_session(
            s,
            data_dir=data_dir,
            patient_id=job.patient_id,
            origin="upload",
            report=read_json(report_path),
            report_path=report_path,
            html_path=Path(result.html_path) if result.html_path else None,
            video_path=Path(result.video_path) if result.video_path else None,
            clip_sha256=job.clip_sha256,
        )
        s.flush()
        job.session_id = session.id
        job.status = "done"
        return True


def stop_pool(executor: Executor) -> None:
    """Stop now: drop queued calls and end the worker processes.

    A running job is left ``running`` in the database, so the next start queues it
    again. Without the terminate, idle spawned workers outlive the server.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    # The pool's own thread reaps the workers too; until it is done, a worker it has reaped
    # but not yet marked can still read as alive.
    if manager is not None:
        manager.join(timeout=5)


class JobQueue:
    """Feeds queued jobs to an executor, at most ``slots`` at a time.

    Args:
        make_executor: builds the batch worker pool (a spawn process pool whose
            workers keep one model each; tests may build a thread pool). A pool
            broken by a dying worker is replaced, and the job it was running fails.
        config_for: patient id -> prescription file (or None) for the worker.
    """

    def __init__(
        self,
        db: sessionmaker[Session],
        *,
        db_url: str,
        data_dir: Path,
        make_executor: Callable[[], Executor],
        slots: int,
        config_for: Callable[[int], str | None],
        run: RunFn = run_job,
        model_path: str | None = None,
        poll_s: float = 0.5,
    ) -> None:
        self.db = db
        self.db_url = db_url
        self.data_dir = data_dir
        self.make_executor = make_executor
        self.executor = make_executor()
        self.slots = max(1, slots)
        self.config_for = config_for
        self.run = run
        self.model_path = model_path
        self.poll_s = poll_s
        self._busy = threading.Semaphore(self.slots)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.recorded = 0

    def start(self) -> None:
        requeue_interrupted(self.db)
        self._thread = threading.Thread(target=self._loop, name="formcheck-jobs", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        stop_pool(self.executor)

    def _loop(self) -> None:
        while not self._stop.is_set():
            if not self._busy.acquire(timeout=self.poll_s):
                continue
            claimed = None
            try:
                claimed = claim_next(self.db)
            finally:
                if claimed is None:
                    self._busy.release()
            if claimed is None:
                self._wake.wait(self.poll_s)
                self._wake.clear()
                continue
            spec = self._spec(*claimed)
            try:
                future = self.executor.submit(self.run, spec)
            except (BrokenProcessPool, BrokenThreadPool):
                self.executor = self.make_executor()
                future = self.executor.submit(self.run, spec)
            except RuntimeError:  # shutting down: the job is requeued at the next start
                self._busy.release()
                return
            future.add_done_callback(lambda f, spec=spec: self._done(f, spec))

    def _spec(self, job_id: int, claim: str) -> JobSpec:
        with self.db() as s:
            job = s.get(AnalysisJob, job_id)
            assert job is not None
            patient = s.get(Patient, job.patient_id)
            stem = self.data_dir / "sessions" / str(job.patient_id) / f"job{job.id}-{job.exercise}"
            return JobSpec(
                job_id=job.id,
                claim=claim,
                db_url=self.db_url,
                clip=str(self.data_dir / job.clip_path),
                exercise=job.exercise,
                config=self.config_for(job.patient_id),
                patient=patient.name if patient else None,
                out_stem=str(stem),
                model_path=self.model_path,
                clip_name=job.original_name,
            )

    def _done(self, future: Future[JobResult], spec: JobSpec) -> None:
        try:
            if future.cancelled() or self._stop.is_set():
                return  # shutting down: left running, so queued again at the next start
            exc = future.exception()
            if exc is not None:  # the worker process died (a decoder crash, out of memory)
                result = JobResult(
                    spec.job_id, spec.claim, False, error=f"the worker process crashed: {exc}"
                )
            else:
                result = future.result()
            if record_result(self.db, self.data_dir, result):
                self.recorded += 1
        finally:
            self._busy.release()
            self._wake.set()
