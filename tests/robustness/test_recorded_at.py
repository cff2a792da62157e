"""Reports carry their recording time (schema 1.1), and history orders sessions by it."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from typer.testing import CliRunner

from factories import bridge_rep, profile, sequence
from formcheck.pose.recording import PoseRecording
from formcheck.report.history import load_history
from formcheck.report.json_writer import read_json
from formcheck.report.model import SCHEMA_VERSION
from formcheck.sources.sniff import mp4_creation_time

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_videos" / "bridge_clean.mp4"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def analyse(clip: Path, out: Path, recording: Path) -> None:
    from formcheck.cli.app import app

    result = CliRunner().invoke(
        app, ["analyze", str(clip), "--poses", str(recording), "-e", "bridge", "-q",
              "--json", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_history_orders_by_recording_time_after_a_plain_copy(tmp_path: Path) -> None:
    f = profile([*bridge_rep(), (1.0, 125.0)], 125.0)
    rec = tmp_path / "poses.npz"
    PoseRecording.from_frames(sequence(f, duration=f.duration), fps=30, model_id="t").save(rec)
    reports = tmp_path / "reports"
    for minute in (2, 0, 1):  # analysed out of order
        clip = tmp_path / f"session{minute}.avi"  # no date in the name, no creation time
        clip.write_bytes(b"RIFF")
        stamp = (T0 + timedelta(minutes=minute)).timestamp()
        os.utime(clip, (stamp, stamp))
        analyse(clip, reports / f"r{minute}.json", rec)
    copied = tmp_path / "copied"
    copied.mkdir()
    for path in sorted(reports.glob("*.json"), reverse=True):
        shutil.copy(path, copied / f"copy-{path.name}")  # plain cp: mtimes become "now"
    history = load_history(copied)
    times = [e.report.recorded_at for e in history.entries]
    assert times == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=2)]
    assert len({row.date for row in history.rows}) == 3  # before: one time for all three
    text = (reports / "r0.json").read_text()
    assert '"recorded_at": "2026-03-02T09:30:00Z"' in text
    assert read_json(reports / "r0.json").schema_version == SCHEMA_VERSION == "formcheck.report/1.1"


def with_creation_time(folder: Path, when: datetime) -> Path:
    """The sample clip with ``when`` in its movie header (mvhd version 0: 32-bit seconds)."""
    data = bytearray(SAMPLE.read_bytes())
    at = data.find(b"mvhd")
    seconds = int((when - datetime(1904, 1, 1, tzinfo=timezone.utc)).total_seconds())
    data[at + 8 : at + 12] = seconds.to_bytes(4, "big")
    path = folder / "phone.mp4"
    path.write_bytes(bytes(data))
    return path


def test_the_videos_own_creation_time_wins_over_the_file_time(tmp_path: Path) -> None:
    assert mp4_creation_time(SAMPLE) is None  # OpenCV's writer leaves it 0
    clip = with_creation_time(tmp_path, T0)
    assert mp4_creation_time(clip) == T0
    from formcheck.pipeline import recording_time

    assert recording_time(clip) == T0
    assert recording_time(tmp_path / "gone.mp4").tzinfo is timezone.utc  # a camera: now
