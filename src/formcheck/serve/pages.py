"""The physiotherapist's pages: login, patients, a patient, uploads and jobs, a session."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import UploadFile

from formcheck.errors import ConfigError
from formcheck.exercises.loader import builtin
from formcheck.exercises.registry import exercise_ids
from formcheck.report.csv_writer import render_csv
from formcheck.report.history import HistoryEntry, render_history_csv, trend_png, trend_row
from formcheck.report.html import CSP as REPORT_CSP
from formcheck.report.json_writer import read_json
from formcheck.serve import prescription as rx
from formcheck.serve.app import LoginRequiredError, templates
from formcheck.serve.models import AnalysisJob, Patient, Physio, Prescription, TrainingSession
from formcheck.serve.security import (
    MIN_PASSWORD,
    hash_password,
    is_loopback,
    new_csrf,
    new_token,
    same_token,
    verify_password,
)
from formcheck.serve.settings import ServeSettings
from formcheck.serve.uploads import UploadRejectedError, store_upload

router = APIRouter()


def exercise_choices() -> list[str]:
    """'auto' and every registered exercise (read when asked: a clinic may add its own)."""
    return ["auto", *exercise_ids()]


# -- plumbing ---------------------------------------------------------------------------


def get_db(request: Request) -> sessionmaker[Session]:
    return request.app.state.db  # type: ignore[no-any-return]


def get_settings(request: Request) -> ServeSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = new_csrf()
    return str(token)


def check_csrf(request: Request, given: str | None) -> None:
    if not same_token(request.session.get("csrf"), given):
        raise HTTPException(403, "bad or missing CSRF token; reload the page")


def physio(request: Request) -> int:
    """The logged-in physiotherapist's id (pages redirect to /login without one)."""
    pid = request.session.get("physio_id")
    if not isinstance(pid, int):
        raise LoginRequiredError
    return pid


Db = Annotated[sessionmaker[Session], Depends(get_db)]
Settings = Annotated[ServeSettings, Depends(get_settings)]
Physio_ = Annotated[int, Depends(physio)]


def page(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    context.setdefault("logged_in", "physio_id" in request.session)
    return templates.TemplateResponse(
        request, name, {"csrf": csrf_token(request), **context}, status_code=status
    )


def load_patient(s: Session, patient_id: int) -> Patient:
    patient = s.get(Patient, patient_id)
    if patient is None:
        raise HTTPException(404, "no such patient")
    return patient


def prescription_file(
    db: sessionmaker[Session], settings: ServeSettings, patient_id: int
) -> str | None:
    """The patient's current prescription as a file for the worker, or None (defaults)."""
    with db() as s:
        text = s.scalar(
            select(Prescription.toml)
            .where(Prescription.patient_id == patient_id)
            .order_by(Prescription.id.desc())
            .limit(1)
        )
    if not text or not text.strip():
        return None
    return str(rx.config_file(text, settings.data_dir / "prescriptions"))


# -- account ----------------------------------------------------------------------------


def _no_physio(s: Session) -> bool:
    return (s.scalar(select(func.count(Physio.id))) or 0) == 0


@router.get("/setup", response_class=HTMLResponse)
def setup_form(request: Request, db: Db) -> Response:
    with db() as s:
        if not _no_physio(s):
            return RedirectResponse("/login", status_code=303)
    return page(request, "setup.html", loopback=_from_loopback(request))


def _from_loopback(request: Request) -> bool:
    return request.client is not None and is_loopback(request.client.host)


@router.post("/setup")
def setup(
    request: Request,
    db: Db,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    # The first account is made from this machine only: a remote visitor cannot claim it.
    if not _from_loopback(request):
        raise HTTPException(403, "the first account can only be created from this computer")
    username = username.strip()
    if not username or len(password) < MIN_PASSWORD:
        return page(
            request,
            "setup.html",
            400,
            loopback=True,
            error=f"Choose a user name and a password of at least {MIN_PASSWORD} characters.",
        )
    with db.begin() as s:
        if not _no_physio(s):
            raise HTTPException(403, "an account exists already")
        user = Physio(username=username, password_hash=hash_password(password))
        s.add(user)
        s.flush()
        user_id = user.id
    request.session.clear()
    request.session["physio_id"] = user_id
    return RedirectResponse("/", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: Db) -> Response:
    with db() as s:
        if _no_physio(s):
            return RedirectResponse("/setup", status_code=303)
    return page(request, "login.html")


@router.post("/login")
def login(
    request: Request,
    db: Db,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    with db() as s:
        user = s.scalars(select(Physio).where(Physio.username == username.strip())).first()
        ok = user is not None and verify_password(user.password_hash, password)
        user_id = user.id if user is not None else None
    if not ok:
        return page(request, "login.html", 401, error="Wrong user name or password.")
    request.session.clear()  # a new session on login: no fixation
    request.session["physio_id"] = user_id
    return RedirectResponse("/", status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# -- patients ---------------------------------------------------------------------------


def trend_text(counts: list[int]) -> str:
    """The last sessions' counts, oldest first, and which way they go."""
    if not counts:
        return ""
    arrow = ""
    if len(counts) >= 2:
        arrow = " ↑" if counts[-1] > counts[-2] else " ↓" if counts[-1] < counts[-2] else " →"
    return " → ".join(str(c) for c in counts[-5:]) + arrow


@router.get("/", response_class=HTMLResponse)
def patients(request: Request, db: Db, _: Physio_) -> Response:
    rows = []
    with db() as s:
        for p in s.scalars(select(Patient).order_by(Patient.name)):
            sessions = p.sessions
            last = sessions[-1] if sessions else None
            rows.append(
                {"patient": p, "last": last, "trend": trend_text([x.rep_count for x in sessions])}
            )
    return page(request, "patients.html", rows=rows)


@router.post("/patients")
def add_patient(
    request: Request,
    db: Db,
    _: Physio_,
    name: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise HTTPException(400, "a patient needs a name (at most 200 characters)")
    with db.begin() as s:
        patient = Patient(name=name, token=new_token())
        s.add(patient)
        s.flush()
        pid = patient.id
    return RedirectResponse(f"/patients/{pid}", status_code=303)


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request, db: Db, _: Physio_, patient_id: int, error: str | None = None
) -> Response:
    with db() as s:
        p = load_patient(s, patient_id)
        toml = p.prescription.toml if p.prescription else rx.DEFAULT_TOML
        sessions = list(reversed(p.sessions))
        link = str(request.url_for("patient_home", token=p.token))
        exercises = sorted({x.exercise for x in p.sessions})
        return page(
            request,
            "patient.html",
            patient=p,
            toml=toml,
            sessions=sessions,
            link=link,
            exercises=exercises,
            choices=exercise_choices(),
            error=error,
            names={e: builtin(e).name for e in exercise_ids()},
        )


@router.post("/patients/{patient_id}/prescription")
def save_prescription(
    request: Request,
    db: Db,
    _: Physio_,
    patient_id: int,
    toml: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    try:
        rx.parse(toml)
    except ConfigError as exc:
        with db() as s:
            p = load_patient(s, patient_id)
            return page(
                request,
                "patient.html",
                400,
                patient=p,
                toml=toml,
                sessions=list(reversed(p.sessions)),
                link=str(request.url_for("patient_home", token=p.token)),
                exercises=sorted({x.exercise for x in p.sessions}),
                choices=exercise_choices(),
                error=str(exc),
                names={e: builtin(e).name for e in exercise_ids()},
            )
    with db.begin() as s:
        load_patient(s, patient_id)
        s.add(Prescription(patient_id=patient_id, toml=toml))
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)


@router.post("/patients/{patient_id}/token")
def new_link(
    request: Request, db: Db, _: Physio_, patient_id: int, csrf: Annotated[str, Form()] = ""
) -> Response:
    """A new patient link; the old one stops working at once."""
    check_csrf(request, csrf)
    with db.begin() as s:
        load_patient(s, patient_id).token = new_token()
    return RedirectResponse(f"/patients/{patient_id}", status_code=303)


def _entries(s: Session, settings: ServeSettings, patient: Patient) -> list[HistoryEntry]:
    out = []
    for x in patient.sessions:
        path = settings.data_dir / x.report_path
        if path.is_file():
            out.append(HistoryEntry(path, x.created_at.replace(tzinfo=None), read_json(path)))
    return out


@router.get("/patients/{patient_id}/trend/{exercise}.png")
def trend(db: Db, settings: Settings, _: Physio_, patient_id: int, exercise: str) -> Response:
    with db() as s:
        p = load_patient(s, patient_id)
        rows = [trend_row(e) for e in _entries(s, settings, p) if e.report.exercise == exercise]
    if not rows:
        raise HTTPException(404, "no sessions of that exercise")
    return Response(trend_png(rows), media_type="image/png")


@router.get("/patients/{patient_id}/sessions.csv")
def sessions_csv(db: Db, settings: Settings, _: Physio_, patient_id: int) -> Response:
    with db() as s:
        p = load_patient(s, patient_id)
        text = render_history_csv([trend_row(e) for e in _entries(s, settings, p)])
    return _csv(text, f"patient{patient_id}-sessions.csv")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# -- uploads and jobs -------------------------------------------------------------------


@router.post("/patients/{patient_id}/uploads")
async def upload(
    request: Request, db: Db, settings: Settings, _: Physio_, patient_id: int
) -> Response:
    check_csrf(request, request.headers.get("x-csrf-token"))
    length = request.headers.get("content-length")
    # Refuse before reading when the request says it is too big; counted again while copying.
    if length and length.isdigit() and int(length) > settings.max_upload_bytes * 20:
        return JSONResponse({"error": "upload too large"}, status_code=413)
    with db() as s:
        load_patient(s, patient_id)
    form = await request.form(max_files=20, max_fields=10)
    exercise = str(form.get("exercise") or "auto")
    if exercise not in exercise_choices():
        return JSONResponse({"error": f"unknown exercise {exercise!r}"}, status_code=400)
    files = [f for f in form.getlist("clips") if isinstance(f, UploadFile)]
    if not files:
        return JSONResponse({"error": "no clip in the upload"}, status_code=400)
    results = []
    for f in files:
        name = (f.filename or "clip")[:255]
        try:
            path, sha = store_upload(
                f.file, settings.data_dir / "uploads", settings.max_upload_bytes
            )
        except UploadRejectedError as exc:
            results.append({"name": name, "error": str(exc), "status": exc.status})
            continue
        with db.begin() as s:
            job = AnalysisJob(
                patient_id=patient_id,
                original_name=name,
                clip_path=path.relative_to(settings.data_dir).as_posix(),
                clip_sha256=sha,
                exercise=exercise,
                status="queued",
                progress=0.0,
                attempts=0,
            )
            s.add(job)
            s.flush()
            results.append({"name": name, "job": job.id})
    await form.close()
    request.app.state.queue.wake()
    stored = [r for r in results if "job" in r]
    status = 200 if stored else max(int(r["status"]) for r in results)  # type: ignore[call-overload]
    return JSONResponse({"files": results}, status_code=status)


def job_json(job: AnalysisJob) -> dict[str, object]:
    return {
        "id": job.id,
        "name": job.original_name,
        "exercise": job.exercise,
        "status": job.status,
        "progress": job.progress,
        "error": job.error,
        "session": job.session_id,
    }


@router.get("/api/patients/{patient_id}/jobs")
def jobs(db: Db, _: Physio_, patient_id: int) -> Response:
    with db() as s:
        load_patient(s, patient_id)
        rows = s.scalars(
            select(AnalysisJob)
            .where(AnalysisJob.patient_id == patient_id)
            .order_by(AnalysisJob.id.desc())
            .limit(50)
        )
        return JSONResponse({"jobs": [job_json(j) for j in rows]})


# -- sessions ---------------------------------------------------------------------------


def load_session(s: Session, session_id: int) -> TrainingSession:
    row = s.get(TrainingSession, session_id)
    if row is None:
        raise HTTPException(404, "no such session")
    return row


def data_file(settings: ServeSettings, rel: str | None) -> Path:
    """A file the database names, kept inside the data folder."""
    if not rel:
        raise HTTPException(404, "not recorded")
    root = settings.data_dir.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HTTPException(404, "file missing")
    return path


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(request: Request, db: Db, _: Physio_, session_id: int) -> Response:
    with db() as s:
        row = load_session(s, session_id)
        return page(
            request, "session.html", row=row, patient=row.patient, reps=row.reps, faults=row.faults
        )


@router.get("/sessions/{session_id}/report")
def session_report(db: Db, settings: Settings, _: Physio_, session_id: int) -> Response:
    with db() as s:
        row = load_session(s, session_id)
        path = data_file(settings, row.html_path)
    # The stored report is self-contained (inline style, data: images): its own policy.
    return FileResponse(
        path,
        media_type="text/html",
        headers={"Content-Security-Policy": REPORT_CSP + "; frame-ancestors 'self'"},
    )


@router.get("/sessions/{session_id}/video")
def session_video(db: Db, settings: Settings, _: Physio_, session_id: int) -> Response:
    with db() as s:
        path = data_file(settings, load_session(s, session_id).video_path)
    return FileResponse(path, media_type="video/webm")


@router.get("/sessions/{session_id}/reps.csv")
def session_csv(db: Db, settings: Settings, _: Physio_, session_id: int) -> Response:
    with db() as s:
        path = data_file(settings, load_session(s, session_id).report_path)
    return _csv(render_csv(read_json(path)), f"session{session_id}-reps.csv")
