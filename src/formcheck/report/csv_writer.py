"""Per-rep metrics as CSV: one row per rep, for spreadsheets and statistics."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from formcheck.report.atomic import StrPath, atomic_write_text
from formcheck.report.model import Rep, SessionReport

FIXED_COLUMNS: tuple[str, ...] = (
    "index",
    "kind",
    "side",
    "start_s",
    "peak_s",
    "end_s",
    "complete",
    "quality",
    "faults",
)


def metric_columns(reps: list[Rep]) -> list[str]:
    """Every metric name used by any rep, sorted."""
    return sorted({name for rep in reps for name in rep.metrics})


def rep_rows(report: SessionReport) -> tuple[list[str], list[list[str]]]:
    """``(header, rows)`` as strings; missing or NaN metrics are empty cells."""
    metrics = metric_columns(report.reps)
    header = [*FIXED_COLUMNS, *metrics]
    rows = []
    for rep in report.reps:
        rows.append(
            [
                str(rep.index),
                rep.kind,
                rep.side or "",
                _num(rep.start_s),
                _num(rep.peak_s),
                _num(rep.end_s),
                "true" if rep.complete else "false",
                _num(rep.quality),
                ";".join(rep.faults),
                *(_num(rep.metrics.get(m)) for m in metrics),
            ]
        )
    return header, rows


def render_csv(report: SessionReport) -> str:
    header, rows = rep_rows(report)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_csv(report: SessionReport, path: StrPath, force: bool = False) -> Path:
    """Write the per-rep CSV atomically; refuses to overwrite unless ``force``."""
    return atomic_write_text(path, render_csv(report), force=force)


def _num(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return ""
    v = round(float(value), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{v:.4f}".rstrip("0").rstrip(".")
