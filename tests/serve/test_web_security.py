"""The physiotherapist's login, CSRF, escaping, CSP, uploads and patient-token scoping."""

from __future__ import annotations

import re
from pathlib import Path

from serve_helpers import PASSWORD, Clinic, csrf_of
from sqlalchemy import select

from formcheck.serve.models import AnalysisJob, Physio

SAMPLE = Path(__file__).parents[2] / "sample_videos" / "bridge_clean.mp4"


def _db(clinic: Clinic):  # type: ignore[no-untyped-def]
    return clinic.client.app.state.db


def test_pages_need_login_and_passwords_are_hashed(clinic: Clinic) -> None:
    c = clinic.client
    csrf = clinic.csrf
    c.post("/logout", data={"csrf": csrf})
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/patients/1", follow_redirects=False).status_code == 303
    page = c.get("/login")
    bad = c.post(
        "/login",
        data={"username": "physio", "password": "wrong password!", "csrf": csrf_of(page.text)},
    )
    assert bad.status_code == 401
    ok = c.post(
        "/login", data={"username": "physio", "password": PASSWORD, "csrf": csrf_of(bad.text)}
    )
    assert ok.status_code == 200 and str(ok.url).endswith("/")
    with _db(clinic)() as s:
        stored = s.scalars(select(Physio.password_hash)).one()
    assert stored.startswith("$argon2") and PASSWORD not in stored
    # The session cookie is signed and HttpOnly, SameSite=Strict.
    cookie = ok.history[0].headers["set-cookie"] if ok.history else ""
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()


def test_forms_without_the_csrf_token_are_refused(clinic: Clinic) -> None:
    c = clinic.client
    assert c.post("/patients", data={"name": "Eve"}).status_code == 403
    assert c.post("/patients", data={"name": "Eve", "csrf": "forged"}).status_code == 403
    with open(SAMPLE, "rb") as f:
        r = c.post("/patients/1/uploads", files=[("clips", ("a.mp4", f, "video/mp4"))])
    assert r.status_code == 403
    assert "Eve" not in c.get("/").text


def test_first_account_only_from_this_computer(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from formcheck.serve.app import create_app
    from formcheck.serve.db import database_url
    from formcheck.serve.settings import ServeSettings

    data = tmp_path / "d"
    app = create_app(ServeSettings(data, database_url(None, data), start_jobs=False))
    with TestClient(app, client=("192.0.2.7", 4000)) as c:
        page = c.get("/login")  # no account yet: sent to set-up
        assert str(page.url).endswith("/setup")
        r = c.post(
            "/setup", data={"username": "x", "password": PASSWORD, "csrf": csrf_of(page.text)}
        )
        assert r.status_code == 403


def test_user_strings_are_escaped_and_a_csp_is_set(clinic: Clinic) -> None:
    name = '<script>alert("x")</script>'
    pid = clinic.add_patient(name)
    for url in ("/", f"/patients/{pid}", f"/p/{clinic.token_of(pid)}"):
        r = clinic.client.get(url)
        assert name not in r.text, url
        assert "&lt;script&gt;" in r.text, url
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        # Nothing is loaded from another site: every src/href is local.
        assert not re.search(
            r'(src|href)="(https?:)?//', r.text.replace(f"http://{r.url.host}/", "/")
        )


def test_uploads_are_sniffed_limited_and_stored_under_generated_names(clinic: Clinic) -> None:
    c = clinic.client
    pid = clinic.add_patient("Ann")
    uploads = clinic.data_dir / "uploads"
    headers = {"x-csrf-token": clinic.csrf}
    fake = b"#!/bin/sh\necho not a video\n" * 10
    r = c.post(
        f"/patients/{pid}/uploads",
        files=[("clips", ("clip.mp4", fake, "video/mp4"))],
        headers=headers,
    )
    assert r.status_code == 415
    too_big = SAMPLE.read_bytes()[:64] + b"\0" * (2 << 20)  # an mp4 header, then 2 MiB: limit 1
    r = c.post(
        f"/patients/{pid}/uploads",
        files=[("clips", ("big.mp4", too_big, "video/mp4"))],
        headers=headers,
    )
    assert r.status_code == 413
    assert not uploads.exists() or not any(uploads.iterdir())  # nothing left behind
    with open(SAMPLE, "rb") as f:
        r = c.post(
            f"/patients/{pid}/uploads",
            files=[("clips", ("../../../escape.mp4", f, "video/mp4"))],
            data={"exercise": "bridge"},
            headers=headers,
        )
    assert r.status_code == 200, r.text
    stored = list(uploads.iterdir())
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.mp4", stored[0].name)
    assert stored[0].read_bytes() == SAMPLE.read_bytes()
    assert not (clinic.data_dir.parent / "escape.mp4").exists()
    with _db(clinic)() as s:
        job = s.scalars(select(AnalysisJob)).one()
    assert job.status == "queued" and job.original_name == "../../../escape.mp4"
    jobs = c.get(f"/api/patients/{pid}/jobs").json()["jobs"]
    assert [j["status"] for j in jobs] == ["queued"]


def test_prescription_is_validated_like_config(clinic: Clinic) -> None:
    c = clinic.client
    pid = clinic.add_patient("Ann")
    bad = "[exercises.bridge.prescription]\ntarget_count = -3\n"
    r = c.post(f"/patients/{pid}/prescription", data={"toml": bad, "csrf": clinic.csrf})
    assert r.status_code == 400
    assert "target_count" in r.text and "prescription" in r.text
    unknown = "[exercises.bridge.faults.no_such_fault]\nenabled = false\n"
    r = c.post(f"/patients/{pid}/prescription", data={"toml": unknown, "csrf": clinic.csrf})
    assert r.status_code == 400 and "no_such_fault" in r.text
    good = "[exercises.bridge.prescription]\ntarget_count = 12\n"
    r = c.post(f"/patients/{pid}/prescription", data={"toml": good, "csrf": clinic.csrf})
    assert r.status_code == 200 and "target_count = 12" in r.text
    # The patient's programme is what was prescribed, with the new dose.
    home = c.get(f"/p/{clinic.token_of(pid)}").text
    assert re.findall(r'<option value="(\w+)"', home) == ["bridge"]
    assert "12" in home


def test_a_patient_token_opens_only_that_patients_pages(clinic: Clinic) -> None:
    c = clinic.client
    ann, bob = clinic.add_patient("Ann"), clinic.add_patient("Bob")
    ann_token, bob_token = clinic.token_of(ann), clinic.token_of(bob)
    assert "Hello Ann" in c.get(f"/p/{ann_token}").text
    assert c.get("/p/not-a-token").status_code == 404
    # A session of Bob's is not reachable with Ann's link.
    from formcheck.serve.models import TrainingSession

    with _db(clinic).begin() as s:
        s.add(
            TrainingSession(
                patient_id=bob,
                origin="live",
                exercise="bridge",
                exercise_name="Glute bridge",
                rep_count=2,
                report_path="x.json",
                report_sha256="0" * 64,
            )
        )
    with _db(clinic)() as s:
        bob_session = s.scalars(select(TrainingSession.id)).one()
    assert c.get(f"/p/{bob_token}/sessions/{bob_session}").status_code == 200
    assert c.get(f"/p/{ann_token}/sessions/{bob_session}").status_code == 404
    # The link holds no physiotherapist rights.
    c.post("/logout", data={"csrf": clinic.csrf})
    assert c.get(f"/p/{ann_token}").status_code == 200
    assert c.get(f"/patients/{ann}", follow_redirects=False).status_code == 303
    assert c.get(f"/sessions/{bob_session}", follow_redirects=False).status_code == 303


def test_a_replaced_link_stops_working(clinic: Clinic) -> None:
    pid = clinic.add_patient("Ann")
    old = clinic.token_of(pid)
    clinic.client.post(f"/patients/{pid}/token", data={"csrf": clinic.csrf})
    new = clinic.token_of(pid)
    assert new != old
    assert clinic.client.get(f"/p/{old}").status_code == 404
    assert clinic.client.get(f"/p/{new}").status_code == 200


def test_live_socket_refuses_a_wrong_token(clinic: Clinic) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    with (
        pytest.raises(WebSocketDisconnect) as err,
        clinic.client.websocket_connect("/p/wrong/live?exercise=bridge") as ws,
    ):
        ws.receive_json()
    assert err.value.code == 4403


def test_live_sets_beyond_the_cap_are_refused_as_busy(clinic: Clinic) -> None:
    import pytest
    from starlette.websockets import WebSocketDisconnect

    token = clinic.token_of(clinic.add_patient("Ann"))
    clinic.client.app.state.live_sockets = clinic.client.app.state.settings.max_live
    with (
        pytest.raises(WebSocketDisconnect) as err,
        clinic.client.websocket_connect(f"/p/{token}/live?exercise=bridge") as ws,
    ):
        ws.receive_json()
    assert err.value.code == 4429
