"""Helpers of the web app tests (a module of its own: every test folder has a ``conftest``)."""

from __future__ import annotations

import re
from pathlib import Path

PASSWORD = "correct horse battery"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html) or re.search(r'data-csrf="([^"]+)"', html)
    assert m, "page has no CSRF token"
    return m.group(1)


class Clinic:
    """A TestClient on a fresh app, logged in as the physiotherapist."""

    def __init__(self, client, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.data_dir = data_dir
        self.csrf = ""

    def login(self) -> None:
        r = self.client.get("/setup")
        r = self.client.post(
            "/setup", data={"username": "physio", "password": PASSWORD, "csrf": csrf_of(r.text)}
        )
        assert r.status_code == 200, r.text
        self.csrf = csrf_of(r.text)

    def add_patient(self, name: str) -> int:
        r = self.client.post("/patients", data={"name": name, "csrf": self.csrf})
        assert r.status_code == 200, r.text
        return int(str(r.url).rstrip("/").rsplit("/", 1)[1])

    def token_of(self, patient_id: int) -> str:
        html = self.client.get(f"/patients/{patient_id}").text
        m = re.search(r'id="patient-link" href="[^"]*/p/([^"]+)"', html)
        assert m
        return m.group(1)
