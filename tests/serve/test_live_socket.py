"""Live coaching over the WebSocket: a rendered clip's frames in, the true count out, saved."""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from serve_helpers import Clinic
from sqlalchemy import select

from formcheck.pipeline import file_sha256
from formcheck.serve.models import TrainingSession
from formcheck.sources import open_source

SAMPLES = Path(__file__).parents[2] / "sample_videos"


def frames_as_the_page_sends_them(clip: Path, every: int = 3, width: int = 480) -> list[bytes]:
    """``<float64 time><JPEG>`` messages at a third of the frame rate, 480 px wide (live.js)."""
    out = []
    with open_source(clip) as src:
        for frame in src:
            if frame.index % every:
                continue
            h, w = frame.image.shape[:2]
            small = cv2.resize(
                frame.image, (width, round(h * width / w)), interpolation=cv2.INTER_AREA
            )
            ok, jpeg = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 75])
            assert ok
            out.append(np.array([frame.timestamp_s], dtype="<f8").tobytes() + jpeg.tobytes())
    return out


@pytest.mark.slow
def test_live_socket_counts_a_rendered_bridge_and_saves_the_session(clinic: Clinic) -> None:
    truth = json.loads((SAMPLES / "bridge_clean.truth.json").read_text())
    true_count = len(truth["reps"])
    pid = clinic.add_patient("Ann")
    token = clinic.token_of(pid)
    counts = []
    with clinic.client.websocket_connect(f"/p/{token}/live?exercise=bridge") as ws:
        assert ws.receive_json()["ready"]
        for message in frames_as_the_page_sends_them(SAMPLES / "bridge_clean.mp4"):
            ws.send_bytes(message)
            state = ws.receive_json()
            counts.append(state["count"])
        assert state["points"] is not None and len(state["points"]) == 33
        # The body is in the picture; landmarks the model cannot see are left out, not (0, 0).
        shown = [p for p in state["points"] if p is not None]
        assert len(shown) >= 12 and all(0.05 < x < 0.95 and 0.05 < y < 0.95 for x, y in shown)
        ws.send_text(json.dumps({"type": "stop"}))
        saved = ws.receive_json()
    assert max(counts) == true_count
    assert counts == sorted(counts)  # a count never goes back
    assert saved["count"] == true_count
    with clinic.client.app.state.db() as s:
        row = s.get(TrainingSession, saved["saved"])
        assert row is not None and row.patient_id == pid and row.origin == "live"
        assert row.rep_count == true_count and len(row.reps) >= true_count
        report = clinic.data_dir / row.report_path
        assert file_sha256(report) == row.report_sha256
    # The patient sees it among their sessions.
    assert f"/p/{token}/sessions/{row.id}" in clinic.client.get(f"/p/{token}").text


@pytest.mark.slow
def test_closing_the_tab_saves_what_was_done(clinic: Clinic) -> None:
    """No Stop pressed: the socket just closes after the first rep, and that rep is saved."""
    pid = clinic.add_patient("Ann")
    first_rep_end = json.loads((SAMPLES / "bridge_clean.truth.json").read_text())["reps"][0][
        "end_s"
    ]
    messages = frames_as_the_page_sends_them(SAMPLES / "bridge_clean.mp4")
    with clinic.client.websocket_connect(f"/p/{clinic.token_of(pid)}/live?exercise=bridge") as ws:
        assert ws.receive_json()["ready"]
        ws.send_bytes(b"\0" * 8 + b"not a jpeg at all")
        assert "error" in ws.receive_json()  # refused, and the session goes on
        for message in messages:
            if np.frombuffer(message[:8], dtype="<f8")[0] > first_rep_end + 0.5:
                break
            ws.send_bytes(message)
            ws.receive_json()
    rows: list[TrainingSession] = []
    deadline = time.monotonic() + 30
    while not rows and time.monotonic() < deadline:  # saved as the socket closes
        time.sleep(0.2)
        with clinic.client.app.state.db() as s:
            rows = list(s.scalars(select(TrainingSession)))
    assert [(r.patient_id, r.origin, r.rep_count) for r in rows] == [(pid, "live", 1)]
