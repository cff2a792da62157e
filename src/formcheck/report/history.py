"""A patient's progress across sessions: a folder of JSON reports -> trend table, plot, page.

Session time: the report's ``recorded_at`` (schema 1.1 on). Older reports have
none, so it is read from a date in the clip's file name (``2024-05-02``,
``20240502_0930``...) when there is one, else from the JSON file's
modification time (which a plain ``cp`` resets).
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath

from pydantic import ValidationError

from formcheck.report.atomic import StrPath, atomic_write_text, refuse_existing
from formcheck.report.html import CSP, REPORT_CSS, _data_uri
from formcheck.report.json_writer import read_json
from formcheck.report.model import SessionReport
from formcheck.report.plots import plot_trend

_DATE = re.compile(
    r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])"
    r"(?:[T_ -]?([01]\d|2[0-3])[-_:.h]?([0-5]\d)(?:[-_:.m]?([0-5]\d))?)?(?!\d)"
)
HISTORY_FILES = ("history.html", "history.csv")


@dataclass(frozen=True)
class HistoryEntry:
    path: Path
    when: datetime
    report: SessionReport


@dataclass(frozen=True)
class TrendRow:
    """One session in the trend table."""

    when: datetime
    exercise: str
    exercise_name: str
    reps: int
    target: int | None
    key_metric: str | None  # e.g. "range.hip_angle"
    key_value: float | None  # mean over the session's complete reps
    faults: int
    mean_quality: float | None
    file: str

    @property
    def date(self) -> str:
        """``2024-05-02`` or ``2024-05-02 09:30`` when the time of day is known."""
        if (self.when.hour, self.when.minute, self.when.second) == (0, 0, 0):
            return self.when.strftime("%Y-%m-%d")
        return self.when.strftime("%Y-%m-%d %H:%M")


@dataclass
class History:
    entries: list[HistoryEntry]
    skipped: list[str] = field(default_factory=list)  # one line per file that was not a report

    @property
    def rows(self) -> list[TrendRow]:
        return [trend_row(e) for e in self.entries]


def session_time(json_path: Path, report: SessionReport) -> datetime:
    """When the session happened (local time): its recording time, else a guess for old reports.

    Without ``recorded_at``: a date in the clip's name, else the JSON's mtime.
    """
    if report.recorded_at is not None:
        return report.recorded_at.astimezone().replace(tzinfo=None)
    if report.source is not None:
        name = PurePath(report.source.path.replace("\\", "/")).name
        m = _DATE.search(name)
        if m:
            y, mo, d, hh, mm, ss = (int(g) if g else 0 for g in m.groups())
            try:
                return datetime(y, mo, d, hh, mm, ss)
            except ValueError:
                pass
    return datetime.fromtimestamp(json_path.stat().st_mtime)


def load_history(folder: StrPath) -> History:
    """Every valid ``*.json`` report in ``folder``, oldest first; invalid files are listed."""
    root = Path(folder)
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a folder")
    entries, skipped = [], []
    for path in sorted(root.glob("*.json")):
        try:
            report = read_json(path)
        except ValidationError as e:
            skipped.append(f"{path.name}: not a formcheck report ({e.error_count()} problems)")
            continue
        except (OSError, UnicodeDecodeError) as e:
            skipped.append(f"{path.name}: cannot be read ({e})")
            continue
        entries.append(HistoryEntry(path, session_time(path, report), report))
    entries.sort(key=lambda e: (e.when, e.path.name))
    return History(entries, skipped)


def key_metric(report: SessionReport) -> tuple[str | None, float | None]:
    """The session's headline number: mean range (else peak) of the first plotted signal."""
    complete = [r for r in report.reps if r.complete] or report.reps
    names = {m for r in complete for m in r.metrics}
    signals = list(report.series.values) + sorted({m.partition(".")[2] for m in names if "." in m})
    for stat in ("range", "peak"):
        for signal in signals:
            name = f"{stat}.{signal}"
            if name in names:
                vals = [r.metrics[name] for r in complete if _finite(r.metrics.get(name))]
                return name, (sum(vals) / len(vals) if vals else None)
    return None, None


def trend_row(entry: HistoryEntry) -> TrendRow:
    r = entry.report
    name, value = key_metric(r)
    faults = sum(r.summary.fault_counts.values()) if r.summary.fault_counts else len(r.faults)
    return TrendRow(
        when=entry.when,
        exercise=r.exercise,
        exercise_name=r.exercise_name,
        reps=r.summary.rep_count,
        target=r.prescription.target_count,
        key_metric=name,
        key_value=value,
        faults=faults,
        mean_quality=r.summary.mean_quality,
        file=entry.path.name,
    )


CSV_COLUMNS = (
    "date",
    "exercise",
    "reps",
    "target",
    "key_metric",
    "key_value",
    "faults",
    "mean_quality",
    "file",
)


def render_history_csv(rows: Sequence[TrendRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row in rows:
        w.writerow(
            [
                row.date,
                row.exercise,
                row.reps,
                "" if row.target is None else row.target,
                row.key_metric or "",
                "" if not _finite(row.key_value) else f"{row.key_value:.2f}",
                row.faults,
                "" if not _finite(row.mean_quality) else f"{row.mean_quality:.3f}",
                row.file,
            ]
        )
    return buf.getvalue()


def trend_png(rows: Sequence[TrendRow]) -> bytes:
    """Reps (with target), key metric and faults per session, for one exercise's rows."""
    label = metric_label(rows[0].key_metric) if rows and rows[0].key_metric else "Key metric"
    png = plot_trend(
        [r.when.strftime("%Y-%m-%d") for r in rows],
        [r.reps for r in rows],
        [r.key_value for r in rows],
        [r.faults for r in rows],
        targets=[r.target for r in rows],
        key_label=label,
    )
    assert isinstance(png, bytes)
    return png


def render_history_html(history: History, *, title: str = "Progress") -> str:
    """One page: per exercise a trend plot and the sessions table; skipped files listed."""
    e = _escape
    by_exercise: dict[str, list[TrendRow]] = {}
    for row in history.rows:
        by_exercise.setdefault(row.exercise, []).append(row)
    sections = []
    for rows in by_exercise.values():
        head = "".join(
            f"<th>{h}</th>"
            for h in (
                "Date",
                "Reps",
                metric_label(rows[0].key_metric),
                "Faults",
                "Quality",
                "File",
            )
        )
        body = "\n".join(
            "<tr>"
            f"<td>{e(r.date)}</td>"
            f"<td>{r.reps}{'' if r.target is None else f' / {r.target}'}</td>"
            f"<td>{'—' if not _finite(r.key_value) else f'{r.key_value:.1f}'}</td>"
            f"<td>{r.faults}</td>"
            f"<td>{'—' if not _finite(r.mean_quality) else f'{r.mean_quality:.0%}'}</td>"
            f"<td>{e(r.file)}</td>"
            "</tr>"
            for r in rows
        )
        plot = f'<img class="plot" alt="Trend" src="{_data_uri(trend_png(rows))}">'
        sections.append(
            f"<section><h2>{e(rows[0].exercise_name)} "
            f'<span class="muted">({len(rows)} sessions)</span></h2>{plot}'
            f'<div class="scroll"><table class="reps"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div></section>"
        )
    if not sections:
        sections.append('<p class="muted">No session reports found.</p>')
    if history.skipped:
        items = "".join(f"<li class='note'>{e(s)}</li>" for s in history.skipped)
        sections.append(
            f"<section><h2>Files skipped</h2><ul class='findings'>{items}</ul></section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{e(title)}</title><style>{REPORT_CSS}</style></head><body><main>"
        f'<header><p class="eyebrow">formcheck progress</p><h1>{e(title)}</h1></header>'
        + "\n".join(sections)
        + "<footer>Session dates come from the clip names, else from the report files' "
        "modification times.</footer></main></body></html>\n"
    )


def write_history(
    folder: StrPath, out: StrPath | None = None, *, force: bool = False
) -> tuple[History, list[Path]]:
    """Write ``history.html`` and ``history.csv`` into ``out`` (default: the folder)."""
    history = load_history(folder)
    out_dir = Path(out) if out is not None else Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / name for name in HISTORY_FILES]
    for t in targets:  # refuse before writing either file
        refuse_existing(t, force)
    title = f"Progress — {Path(folder).resolve().name}"
    html_text = render_history_html(history, title=title)
    csv_text = render_history_csv(history.rows)
    written = [
        atomic_write_text(targets[0], html_text, force=force),
        atomic_write_text(targets[1], csv_text, force=force),
    ]
    return history, written


def metric_label(name: str | None) -> str:
    """``range.hip_angle`` -> ``Mean range of hip angle``."""
    if not name:
        return "Key metric"
    stat, _, signal = name.partition(".")
    stat = {"range": "Mean range of", "peak": "Mean peak"}.get(stat, stat.capitalize())
    return f"{stat} {signal.replace('_', ' ')}".strip()


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def _escape(value: object) -> str:
    return html.escape(str(value), quote=True)
