"""The database on SQLite and PostgreSQL: migrations, records, and the job queue's claims."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from report_factories import make_report
from sqlalchemy import func, select

from formcheck.report.json_writer import write_json
from formcheck.serve.db import make_engine, session_factory, upgrade
from formcheck.serve.jobs import claim_next, record_result, requeue_interrupted
from formcheck.serve.models import AnalysisJob, FaultRow, Patient, RepRow, TrainingSession
from formcheck.serve.records import add_session
from formcheck.serve.worker import JobResult


@pytest.fixture
def db(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    upgrade(engine)
    yield session_factory(engine)
    engine.dispose()


def test_migrations_build_exactly_the_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from formcheck.serve.models import Base

    engine = make_engine(db_url)
    upgrade(engine)
    upgrade(engine)  # a second start finds nothing to do
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    engine.dispose()
    assert diff == []
    assert version == "0001"


def _patient(db, name: str = "Ann") -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        p = Patient(name=name, token=f"token-{name}")
        s.add(p)
        s.flush()
        return p.id


def test_a_report_becomes_a_session_with_its_reps_and_faults(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pid = _patient(db)
    report = make_report()
    json_path = write_json(report, tmp_path / "sessions" / "r.json")
    with db.begin() as s:
        row = add_session(
            s,
            data_dir=tmp_path,
            patient_id=pid,
            origin="upload",
            report=report,
            report_path=json_path,
        )
    with db() as s:
        row = s.scalars(select(TrainingSession)).one()
        assert row.report_path == "sessions/r.json"
        assert row.rep_count == report.summary.rep_count
        assert len(row.report_sha256) == 64
        assert [r.index for r in row.reps] == [r.index for r in report.reps]
        assert [f.fault_id for f in row.faults] == [f.id for f in report.faults]
        assert any(r.faults for r in row.reps)
    # Deleting a patient deletes their sessions, reps and faults.
    with db.begin() as s:
        s.delete(s.get(Patient, pid))
    with db() as s:
        for table in (TrainingSession, RepRow, FaultRow):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def _jobs(db, pid: int, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        jobs = [
            AnalysisJob(
                patient_id=pid,
                original_name=f"c{i}.mp4",
                clip_path=f"uploads/{i}.mp4",
                clip_sha256="0" * 64,
                exercise="bridge",
                status="queued",
                progress=0.0,
                attempts=0,
            )
            for i in range(n)
        ]
        s.add_all(jobs)
        s.flush()
        return [j.id for j in jobs]


def test_concurrent_claims_take_each_job_once(db) -> None:  # type: ignore[no-untyped-def]
    ids = _jobs(db, _patient(db), 12)
    taken: list[int] = []
    lock = threading.Lock()

    def grab() -> None:
        while (claimed := claim_next(db)) is not None:
            with lock:
                taken.append(claimed[0])

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == ids  # every job once, none twice
    with db() as s:
        assert set(s.scalars(select(AnalysisJob.status))) == {"running"}
        assert set(s.scalars(select(AnalysisJob.attempts))) == {1}


def test_a_restart_requeues_interrupted_jobs_and_records_nothing_twice(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pid = _patient(db)
    done, running, queued = _jobs(db, pid, 3)
    report_path = write_json(make_report(), tmp_path / "r.json")
    # Server 1 finished `done` and was stopped while it ran `running`.
    first = claim_next(db)
    assert first is not None and first[0] == done
    ok = JobResult(done, first[1], True, report_path=str(report_path))
    assert record_result(db, tmp_path, ok)
    stale = claim_next(db)
    assert stale is not None and stale[0] == running
    # Server 2 starts: the interrupted job goes back to the queue, the finished one stays.
    assert requeue_interrupted(db) == 1
    with db() as s:
        status = dict(s.execute(select(AnalysisJob.id, AnalysisJob.status)).all())
    assert status == {done: "done", running: "queued", queued: "queued"}
    # Server 1's late result for the interrupted job carries a dead claim: not recorded.
    assert not record_result(
        db, tmp_path, JobResult(running, stale[1], True, report_path=str(report_path))
    )
    # Nor is the finished job's result recorded a second time.
    assert not record_result(db, tmp_path, ok)
    again = claim_next(db)
    assert again is not None and again[0] == running
    assert record_result(
        db, tmp_path, JobResult(running, again[1], True, report_path=str(report_path))
    )
    with db() as s:
        assert s.scalar(select(func.count()).select_from(TrainingSession)) == 2
        attempts = dict(s.execute(select(AnalysisJob.id, AnalysisJob.attempts)).all())
    assert attempts == {done: 1, running: 2, queued: 0}


def test_a_failed_analysis_is_recorded_as_failed(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (job,) = _jobs(db, _patient(db), 1)
    claimed = claim_next(db)
    assert claimed is not None
    assert record_result(db, tmp_path, JobResult(job, claimed[1], False, error="no person found"))
    with db() as s:
        row = s.get(AnalysisJob, job)
        assert row is not None and (row.status, row.error, row.session_id) == (
            "failed",
            "no person found",
            None,
        )


def test_the_app_runs_on_each_database(db_url: str, tmp_path: Path) -> None:
    """Account, patient, prescription, upload queued, patient link: the same on both."""
    from fastapi.testclient import TestClient
    from serve_helpers import Clinic

    from formcheck.serve.app import create_app
    from formcheck.serve.settings import ServeSettings

    sample = Path(__file__).parents[2] / "sample_videos" / "bridge_clean.mp4"
    settings = ServeSettings(data_dir=tmp_path / "data", db_url=db_url, start_jobs=False)
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as client:
        clinic = Clinic(client, settings.data_dir)
        clinic.login()
        pid = clinic.add_patient("Ann")
        rx = "[exercises.bridge.prescription]\ntarget_count = 12\n"
        r = client.post(f"/patients/{pid}/prescription", data={"toml": rx, "csrf": clinic.csrf})
        assert r.status_code == 200
        with open(sample, "rb") as f:
            r = client.post(
                f"/patients/{pid}/uploads",
                files=[("clips", ("a.mp4", f, "video/mp4")), ("clips", ("b.mp4", f, "video/mp4"))],
                data={"exercise": "bridge"},
                headers={"x-csrf-token": clinic.csrf},
            )
        assert r.status_code == 200
        jobs = client.get(f"/api/patients/{pid}/jobs").json()["jobs"]
        assert [j["status"] for j in jobs] == ["queued", "queued"]
        assert "target_count = 12" in client.get(f"/patients/{pid}").text
        assert "Glute bridge" in client.get(f"/p/{clinic.token_of(pid)}").text
