"""The patient's pages, opened by the secret link: the programme, live coaching, own sessions.

The token in the path is the only key: it opens this patient's pages and nothing
else (no physiotherapist page, no other patient's session).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from formcheck.exercises.registry import exercise_ids
from formcheck.exercises.schema import ExerciseSpec
from formcheck.live.session import Outcome
from formcheck.pose.base import PoseEstimator
from formcheck.serve import prescription as rx
from formcheck.serve.app import templates
from formcheck.serve.live import EDGES, BadFrameError, LiveSocketSession, decode_frame
from formcheck.serve.models import Patient, Prescription, TrainingSession
from formcheck.serve.records import add_session
from formcheck.serve.settings import ServeSettings

router = APIRouter()
log = logging.getLogger("formcheck.serve")


def patient_by_token(s: Session, token: str) -> Patient:
    patient = s.scalars(select(Patient).where(Patient.token == token)).first()
    if patient is None:
        raise HTTPException(404, "this link is not valid (it may have been replaced)")
    return patient


def patient_config(s: Session, patient_id: int):  # type: ignore[no-untyped-def]
    text = s.scalar(
        select(Prescription.toml)
        .where(Prescription.patient_id == patient_id)
        .order_by(Prescription.id.desc())
        .limit(1)
    )
    return rx.parse(text or "")


@router.get("/p/{token}", response_class=HTMLResponse, name="patient_home")
def patient_home(request: Request, token: str) -> Response:
    db: sessionmaker[Session] = request.app.state.db
    with db() as s:
        patient = patient_by_token(s, token)
        config = patient_config(s, patient.id)
        programme = [config.exercise(e) for e in rx.programme(config)]
        sessions = list(reversed(patient.sessions))[:20]
        return templates.TemplateResponse(
            request,
            "patient_home.html",
            {
                "patient": patient,
                "programme": programme,
                "sessions": sessions,
                "token": token,
                "edges": json.dumps(EDGES),
                "logged_in": False,
            },
        )


@router.get("/p/{token}/sessions/{session_id}", response_class=HTMLResponse)
def patient_session(request: Request, token: str, session_id: int) -> Response:
    db: sessionmaker[Session] = request.app.state.db
    with db() as s:
        patient = patient_by_token(s, token)
        row = s.get(TrainingSession, session_id)
        if row is None or row.patient_id != patient.id:
            raise HTTPException(404, "no such session")
        return templates.TemplateResponse(
            request,
            "patient_session.html",
            {"patient": patient, "row": row, "token": token, "logged_in": False},
        )


def _same_origin(ws: WebSocket) -> bool:
    """Browsers send Origin on WebSockets; refuse pages of other sites (cross-site hijack)."""
    origin = ws.headers.get("origin")
    host = ws.headers.get("host")
    return origin is None or origin.split("://", 1)[-1] == host


@router.websocket("/p/{token}/live")
async def live_socket(ws: WebSocket, token: str) -> None:
    app = ws.app
    db: sessionmaker[Session] = app.state.db
    settings: ServeSettings = app.state.settings
    exercise = ws.query_params.get("exercise", "")
    with db() as s:
        patient = s.scalars(select(Patient).where(Patient.token == token)).first()
        config = patient_config(s, patient.id) if patient else None
    if patient is None or config is None or exercise not in exercise_ids() or not _same_origin(ws):
        await ws.close(code=4403)
        return
    # Each live set holds a pose model (~100 MB): a cap keeps the server's memory bounded.
    if app.state.live_sockets >= settings.max_live:
        await ws.close(code=4429, reason="busy")
        return
    app.state.live_sockets += 1
    try:
        await _live(ws, db, settings, patient, config.exercise(exercise))
    finally:
        app.state.live_sockets -= 1


async def _live(
    ws: WebSocket,
    db: sessionmaker[Session],
    settings: ServeSettings,
    patient: Patient,
    spec: ExerciseSpec,
) -> None:
    await ws.accept()
    estimator = await asyncio.to_thread(_estimator, settings)
    live = LiveSocketSession(spec, estimator)
    outcome = Outcome.QUIT
    try:
        await ws.send_json({"ready": True, "counter": spec.name})
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                outcome = Outcome.LOST  # the tab was closed: save what was done
                break
            if message.get("text") is not None:
                if json.loads(message["text"]).get("type") == "stop":
                    break
                continue
            data = message.get("bytes")
            if not data:
                continue
            try:
                t, image = decode_frame(data)
            except BadFrameError as exc:
                await ws.send_json({"error": str(exc)})
                continue
            state = await asyncio.to_thread(live.step, t, image)
            state["t"] = t
            await ws.send_json(state)
    except WebSocketDisconnect:
        outcome = Outcome.LOST
    finally:
        # Shielded: a server shutting down cancels this task, but the set is still saved.
        saving = asyncio.ensure_future(
            asyncio.to_thread(
                _save, db, settings, patient.id, patient.name, live, outcome, estimator
            )
        )
        session_id, count = await asyncio.shield(saving)
    if outcome is not Outcome.LOST:
        try:
            await ws.send_json({"saved": session_id, "count": count})
            await ws.close()
        except (WebSocketDisconnect, RuntimeError):
            pass


def _estimator(settings: ServeSettings):  # type: ignore[no-untyped-def]
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    return MediaPipePoseEstimator(settings.model_path)


def _save(
    db: sessionmaker[Session],
    settings: ServeSettings,
    patient_id: int,
    patient_name: str,
    live: LiveSocketSession,
    outcome: Outcome,
    estimator: PoseEstimator,
) -> tuple[int | None, int]:
    # A folder per set: two sets of one patient saved in the same second (two tabs, or
    # two devices) would otherwise race for the same file name and one would be lost.
    folder = settings.data_dir / "sessions" / str(patient_id) / "live" / uuid.uuid4().hex
    try:
        saved = live.save(
            folder, model_id=estimator.model_id, patient=patient_name, outcome=outcome
        )
    finally:
        estimator.close()
    if saved is None:
        return None, 0
    with db.begin() as s:
        row = add_session(
            s,
            data_dir=settings.data_dir,
            patient_id=patient_id,
            origin="live",
            report=saved.report,
            report_path=saved.json_path,
            html_path=saved.html_path,
        )
        s.flush()
        log.info("live session %s saved at %s", row.id, datetime.now())
        return row.id, saved.report.summary.rep_count
