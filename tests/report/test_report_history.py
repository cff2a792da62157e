"""History: a folder of reports -> ordered trend table, CSV, HTML, CLI."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from report_factories import make_report, make_reps
from typer.testing import CliRunner

from formcheck.report.history import load_history, session_time, write_history
from formcheck.report.json_writer import write_json


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    # Written out of order; names carry the session dates.
    for name, date, n in (
        ("b", "2024-05-16_0930", 5),
        ("a", "2024-05-02", 3),
        ("c", "20240509", 4),
    ):
        reps = make_reps()[:n]
        write_json(
            make_report(path=f"/clips/bridge_{date}.mp4", reps=reps), tmp_path / f"{name}.json"
        )
    (tmp_path / "broken.json").write_text('{"not": "a report"}')
    (tmp_path / "garbage.json").write_bytes(b"\xff\xfe nonsense")
    return tmp_path


def test_orders_by_session_date_and_skips_invalid_files(folder: Path) -> None:
    history = load_history(folder)
    assert [e.path.name for e in history.entries] == ["a.json", "c.json", "b.json"]
    assert len(history.skipped) == 2 and all("json" in s for s in history.skipped)
    rows = history.rows
    assert [r.date for r in rows] == ["2024-05-02", "2024-05-09", "2024-05-16 09:30"]
    assert rows[0].key_metric == "range.hip_angle"
    assert rows[0].faults == 1 and rows[0].target == 10


def test_mtime_when_the_name_has_no_date(tmp_path: Path) -> None:
    path = write_json(make_report(path="clip.mp4"), tmp_path / "x.json")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    report = load_history(tmp_path).entries[0].report
    assert session_time(path, report).timestamp() == pytest.approx(1_700_000_000)


def test_write_history_files(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    out = tmp_path_factory.mktemp("out")
    history, written = write_history(folder, out)
    assert [p.name for p in written] == ["history.html", "history.csv"]
    rows = list(csv.DictReader(io.StringIO((out / "history.csv").read_text())))
    assert [r["reps"] for r in rows] == [str(e.report.summary.rep_count) for e in history.entries]
    page = (out / "history.html").read_text()
    assert "data:image/png;base64," in page and "Files skipped" in page
    with pytest.raises(FileExistsError, match="--force"):
        write_history(folder, out)
    write_history(folder, out, force=True)


def test_cli(folder: Path) -> None:
    from formcheck.cli.app import app

    result = CliRunner().invoke(app, ["history", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 sessions" in result.output and "2024-05-09" in result.output
    assert (folder / "history.html").is_file() and (folder / "history.csv").is_file()
    again = CliRunner().invoke(app, ["history", str(folder)])
    assert again.exit_code == 1 and "--force" in again.output
