"""JSON writer, published schema and per-rep CSV."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from report_factories import make_report, make_reps

from formcheck.report.csv_writer import FIXED_COLUMNS, render_csv, write_csv
from formcheck.report.json_writer import read_json, report_to_json, write_json
from formcheck.report.model import Rep, SessionReport
from formcheck.report.schema import DOCS_SCHEMA, report_json_schema, schema_text


def test_json_round_trip_with_nan(tmp_path: Path) -> None:
    reps = make_reps()
    reps[0] = reps[0].model_copy(update={"metrics": {**reps[0].metrics, "mean.x": math.nan}})
    report = make_report(reps=reps)
    path = write_json(report, tmp_path / "r.json")
    text = path.read_text()
    assert "NaN" not in text and "null" in text  # the NaN gap in the series
    back = read_json(path)
    assert back.series.values["hip_angle"][20 * 30] is None
    assert "mean.x" not in back.reps[0].metrics
    assert back.reps[1:] == report.reps[1:]
    with pytest.raises(FileExistsError, match="--force"):
        write_json(report, path)
    write_json(report, path, force=True)


def test_json_is_valid_against_the_schema_shape() -> None:
    data = json.loads(report_to_json(make_report()))
    schema = report_json_schema()
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])


def test_published_schema_is_up_to_date() -> None:
    assert DOCS_SCHEMA.is_file(), "run: python -m formcheck.report.schema"
    assert DOCS_SCHEMA.read_text(encoding="utf-8") == schema_text(), (
        "docs/schema/report.schema.json is stale: run python -m formcheck.report.schema"
    )
    schema = report_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["properties"].keys() == SessionReport.model_json_schema()["properties"].keys()


def test_csv_columns_and_rows(tmp_path: Path) -> None:
    report = make_report()
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    header = rows[0]
    assert tuple(header[: len(FIXED_COLUMNS)]) == FIXED_COLUMNS
    assert header[len(FIXED_COLUMNS) :] == sorted(
        ["peak.hip_angle", "range.hip_angle", "hold_s", "duration_s"]
    )
    assert len(rows) == 1 + len(report.reps)
    third = dict(zip(header, rows[3], strict=True))
    assert third["faults"] == "sagging_hips" and third["quality"] == "0.6"
    assert third["peak.hip_angle"] == "161" and third["complete"] == "true"
    assert dict(zip(header, rows[5], strict=True))["complete"] == "false"
    write_csv(report, tmp_path / "reps.csv")
    with pytest.raises(FileExistsError):
        write_csv(report, tmp_path / "reps.csv")


def test_csv_union_of_metrics_and_joined_faults() -> None:
    reps = [
        Rep(index=1, kind="hold", start_s=0, peak_s=1, end_s=2, metrics={"b": 1.0}),
        Rep(
            index=2,
            kind="hold",
            side="left",
            start_s=3,
            peak_s=4,
            end_s=5,
            metrics={"a": math.nan},
            faults=["x", "y"],
        ),
    ]
    rows = list(csv.reader(io.StringIO(render_csv(make_report(reps=reps)))))
    assert rows[0][-2:] == ["a", "b"]
    assert rows[1][-2:] == ["", "1"]
    assert rows[2][2] == "left" and rows[2][8] == "x;y" and rows[2][-2:] == ["", ""]
