"""The summary tables, rebuilt from the store after every run (also after Ctrl-C).

Rebuilt, never appended, from the records of this run's jobs in input order:
each clip is in them exactly once whatever happened to earlier runs. Two
input paths with the same content (and settings) share one result, each
under its own path. A clip
scored by an earlier run has status ``skipped`` (its result is reused as is);
one not finished (an interrupted run) has no row until a later run scores it.
CSV for spreadsheets, JSONL (one JSON object a line) for programs; pyarrow is
not a dependency, so no Parquet (``pandas.read_json(path, lines=True)`` reads
JSONL).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from formcheck.batch.jobs import KeyedJob
from formcheck.batch.rows import CLIP_COLUMNS, REP_COLUMNS
from formcheck.batch.store import Store
from formcheck.report.atomic import atomic_write_text


def collect(
    store: Store, jobs: Iterable[KeyedJob], scored_now: set[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(clip rows, rep rows)`` for ``jobs`` from the store."""
    clips: list[dict[str, Any]] = []
    reps: list[dict[str, Any]] = []
    for kjob in jobs:
        record = store.record(kjob)
        if record is None:
            continue
        # One record per key: another name for the same content shows its own path.
        path = {"path": str(kjob.job.path)}
        row = dict(record["clip"]) | path
        if row["status"] == "ok" and kjob.key not in scored_now:
            row["status"] = "skipped"
        clips.append(row)
        reps += [rep | path for rep in record["reps"]]
    return clips, reps


def write_tables(out: Path, clips: list[dict[str, Any]], reps: list[dict[str, Any]]) -> list[Path]:
    metrics = sorted({k for r in reps for k in r} - set(REP_COLUMNS))
    rep_columns = [*REP_COLUMNS, *metrics]
    written = []
    for name, rows, columns in (
        ("clips", clips, list(CLIP_COLUMNS)),
        ("reps", reps, rep_columns),
    ):
        written.append(atomic_write_text(out / f"{name}.csv", _csv(rows, columns), force=True))
        written.append(atomic_write_text(out / f"{name}.jsonl", _jsonl(rows, columns), force=True))
    return written


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(row.get(c)) for c in columns] for row in rows)
    return buf.getvalue()


def _jsonl(rows: list[dict[str, Any]], columns: list[str]) -> str:
    return "".join(
        json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n" for row in rows
    )
