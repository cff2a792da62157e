"""The physiotherapist's report: one self-contained HTML file.

It opens offline and loads nothing: CSS is inline, pictures are data URIs,
there are no scripts or web fonts, and a Content-Security-Policy forbids
anything else. Every string that comes from a user, a file or a config
(file names, patient, exercise names, fault messages, overrides) is passed
through :func:`html.escape` by the ``_e`` helper; nothing else is
interpolated raw.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path, PurePath
from string import Template

from formcheck.report.atomic import StrPath, atomic_write_text
from formcheck.report.keyframes import pick_best_worst
from formcheck.report.model import COUNT_NOUN, FaultEvent, Rep, SessionReport
from formcheck.report.plots import key_signals, plot_series

REPORT_CSS = (files("formcheck.report") / "templates" / "report.css").read_text(encoding="utf-8")

# No script, no network: pictures only from data: URIs, styles only inline.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="$csp">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="formcheck $version">
<title>$title</title>
<style>$css</style>
</head>
<body>
<main>
$body
</main>
</body>
</html>
"""
)


def _e(value: object) -> str:
    """Escape anything for HTML text or a quoted attribute."""
    return html.escape(str(value), quote=True)


def render_html(
    report: SessionReport,
    *,
    keyframes: Mapping[str, bytes] | None = None,
    title: str | None = None,
    plot_signals: Sequence[str] | None = None,
    signal_labels: Mapping[str, str] | None = None,
    table_metrics: Sequence[str] | None = None,
    generated_at: datetime | None = None,
) -> str:
    """The report as one HTML document.

    Args:
        keyframes: caption -> JPEG (or PNG) bytes, e.g. from
            :meth:`~formcheck.report.keyframes.KeyframeCollector.result`.
        title: page title; defaults to the exercise and the clip's file name.
        plot_signals: series to plot (default: the first three with data).
        signal_labels: series name -> label for the plot axes.
        table_metrics: metric columns of the rep table (default: peak, range
            and timing metrics; all metrics are in a collapsed table below).
        generated_at: shown in the footer when given (kept out by default so
            the same report renders to the same bytes).
    """
    clip = _clip_name(report)
    page_title = title or (
        f"{report.exercise_name} — {clip}" if clip else f"{report.exercise_name} report"
    )
    sections = [
        _header(report, page_title),
        _overview(report),
        _findings(report),
        _rep_table(report, table_metrics),
        _plots(report, plot_signals, signal_labels),
        _keyframes(keyframes),
        _details(report),
        _footer(report, generated_at),
    ]
    return _PAGE.substitute(
        csp=CSP,
        version=_e(report.formcheck_version),
        title=_e(page_title),
        css=REPORT_CSS,
        body="\n".join(s for s in sections if s),
    )


def write_html(
    report: SessionReport, path: StrPath, *, force: bool = False, **kwargs: object
) -> Path:
    """Render and write atomically; keyword arguments go to :func:`render_html`."""
    return atomic_write_text(path, render_html(report, **kwargs), force=force)  # type: ignore[arg-type]


# -- plain-language summaries --------------------------------------------------


def against_prescription(report: SessionReport) -> str:
    """E.g. ``"8 of 10 reps, 2 below target"``; the analysis's own sentence wins when present."""
    if report.summary.against_prescription:
        return report.summary.against_prescription
    p, s = report.prescription, report.summary
    unit = COUNT_NOUN[p.kind]
    done = s.rep_count
    parts: list[str] = []
    if p.target_count is not None:
        lo, hi = p.target_count, p.target_count_max
        if done < lo:
            parts.append(f"{done} of {lo} {unit}, {lo - done} below target")
        elif hi is not None and done > hi:
            parts.append(f"{done} {unit}, {done - hi} above the maximum of {hi}")
        elif hi is not None and hi != lo:
            parts.append(f"{done} {unit}, within the prescribed {lo}-{hi}")
        else:
            parts.append(f"{done} of {lo} {unit}, target met")
    else:
        parts.append(f"{done} {unit}")
    if p.per_side and s.reps_per_side:
        parts.append(", ".join(f"{side} {n}" for side, n in sorted(s.reps_per_side.items())))
    if p.hold_s is not None:
        holds = [
            r.hold_end_s - r.hold_start_s
            for r in report.reps
            if r.complete and r.hold_start_s is not None and r.hold_end_s is not None
        ]
        if holds:
            short = sum(h < p.hold_s - 0.25 for h in holds)
            mean = sum(holds) / len(holds)
            text = f"mean hold {mean:.1f} s of {p.hold_s:g} s"
            if short:
                text += f" ({short} short)"
            parts.append(text)
    if p.duration_s is not None:
        parts.append(f"{s.active_s:.0f} s active of {p.duration_s:g} s")
    return "; ".join(parts)


@dataclass(frozen=True)
class Finding:
    """One plain-language finding: kind is 'fault', 'unjudged', 'note' or 'ok'."""

    kind: str
    headline: str
    detail: str = ""


def findings(report: SessionReport) -> list[Finding]:
    """What the physiotherapist should know, most important first."""
    out: list[Finding] = []
    s = report.summary
    if not s.judgeable:
        out.append(
            Finding("unjudged", "This clip could not be judged as a whole.", "See the notes below.")
        )
    by_id: dict[str, list[FaultEvent]] = {}
    for f in report.faults:
        by_id.setdefault(f.id, []).append(f)
    for fault_id, events in by_id.items():
        reps = sorted({f.rep_index for f in events if f.rep_index is not None})
        count = s.fault_counts.get(fault_id, len(events))
        where = f"rep{'s' if len(reps) > 1 else ''} {', '.join(map(str, reps))}" if reps else ""
        times = f"{count} times" if count > 1 else ""
        head = events[0].message or fault_id.replace("_", " ")
        context = ", ".join(x for x in (where, times) if x)
        explanation = next((f.explanation for f in events if f.explanation), "")
        out.append(Finding("fault", head + (f" ({context})" if context else ""), explanation))
    for span in report.unjudged:
        out.append(
            Finding("unjudged", f"Not judged {_span(span.start_s, span.end_s)}", span.reason)
        )
    out += [Finding("note", note) for note in s.notes]
    out += [Finding("note", warning) for warning in report.warnings]
    if s.confidence < 0.6:
        out.append(Finding("note", f"Low confidence in this result ({s.confidence:.0%})."))
    if not by_id and s.judgeable and s.rep_count > 0:
        out.append(Finding("ok", "No form faults were found."))
    return out


# -- sections -------------------------------------------------------------------


def _header(report: SessionReport, title: str) -> str:
    patient = (
        f'<p class="patient">Patient: <strong>{_e(report.patient)}</strong></p>'
        if report.patient
        else ""
    )
    return f"""<header>
<p class="eyebrow">formcheck session report</p>
<h1>{_e(title)}</h1>
{patient}
</header>"""


def _overview(report: SessionReport) -> str:
    s, p = report.summary, report.prescription
    met = s.prescription_met
    badge = (
        '<span class="badge ok">Prescription met</span>'
        if met
        else '<span class="badge warn">Below prescription</span>'
        if met is False
        else ""
    )
    unit = {"rep": "Reps", "hold": "Holds", "cycle": "Cycles"}[p.kind]
    cards = [
        (unit, f"{s.rep_count}" + (f" / {p.target_count}" if p.target_count is not None else "")),
        ("Mean quality", f"{s.mean_quality:.0%}" if _finite(s.mean_quality) else "—"),
        ("Faults", str(sum(s.fault_counts.values()) if s.fault_counts else len(report.faults))),
        ("Total hold", f"{s.total_hold_s:.1f} s"),
        ("Confidence", f"{s.confidence:.0%}"),
    ]
    if s.partial_reps:
        cards.insert(1, ("Partial", str(s.partial_reps)))
    card_html = "".join(
        f'<div class="card"><div class="k">{_e(k)}</div><div class="v">{_e(v)}</div></div>'
        for k, v in cards
    )
    prescribed = _e(p.text) if p.text else "—"
    return f"""<section class="overview">
<h2>{_e(report.exercise_name)} <span class="muted">({_e(report.exercise)})</span></h2>
<div class="cards">{card_html}</div>
<table class="kv">
<tr><th>Prescribed</th><td>{prescribed}</td></tr>
<tr><th>Done</th><td><strong>{_e(against_prescription(report))}</strong> {badge}</td></tr>
</table>
</section>"""


def _findings(report: SessionReport) -> str:
    items = findings(report)
    if not items:
        return ""
    lis = "\n".join(
        f'<li class="{_e(f.kind)}">'
        + (f"<strong>{_e(f.headline)}</strong>" if f.detail else _e(f.headline))
        + (f" <span>{_e(f.detail)}</span>" if f.detail else "")
        + "</li>"
        for f in items
    )
    return f"""<section>
<h2>Findings</h2>
<ul class="findings">
{lis}
</ul>
</section>"""


def default_table_metrics(reps: Sequence[Rep], limit: int = 6) -> list[str]:
    names = sorted({m for r in reps for m in r.metrics})
    chosen = [m for m in names if m.startswith(("peak.", "range."))]
    chosen += [m for m in ("hold_s", "duration_s") if m in names]
    return (chosen or names)[:limit]


def _rep_table(report: SessionReport, table_metrics: Sequence[str] | None) -> str:
    if not report.reps:
        return (
            '<section><h2>Repetitions</h2><p class="muted">No repetitions were counted.</p>'
            "</section>"
        )
    shown = list(table_metrics) if table_metrics is not None else default_table_metrics(report.reps)
    picked = {rep.index: label for label, rep in pick_best_worst(report.reps).items()}
    has_side = any(r.side for r in report.reps)
    head = ["#", *(["Side"] if has_side else []), "Start", "Peak", "End"]
    head += [_metric_label(m) for m in shown] + ["Quality", "Faults"]
    rows = []
    for r in report.reps:
        cells = [f"{r.index}" + ("" if r.complete else '<span class="muted">*</span>')]
        if has_side:
            cells.append(_e(r.side or ""))
        cells += [_e(_t(r.start_s)), _e(_t(r.peak_s)), _e(_t(r.end_s))]
        cells += [_e(_num(r.metrics.get(m))) for m in shown]
        cells.append(_quality_cell(r.quality))
        faults = ", ".join(_e(f.replace("_", " ")) for f in r.faults)
        cells.append(
            f'<span class="fault-tag">{faults}</span>' if faults else '<span class="muted">—</span>'
        )
        cls = " ".join(
            c
            for c in (
                "faulty" if r.faults else "",
                picked.get(r.index, ""),
                "" if r.complete else "partial",
            )
            if c
        )
        tds = "".join(f"<td>{c}</td>" for c in cells)
        rows.append(f'<tr class="rep {cls}">{tds}</tr>')
    ths = "".join(f"<th>{_e(h)}</th>" for h in head)
    notes = []
    if any(not r.complete for r in report.reps):
        notes.append("* partial: cut by the start or end of the clip.")
    if picked:
        notes.append("Left bar: green = best rep, red = worst rep (see Key frames).")
    note = f'<p class="muted small">{" ".join(notes)}</p>' if notes else ""
    return f"""<section>
<h2>Repetitions</h2>
<div class="scroll"><table class="reps" id="rep-table">
<thead><tr>{ths}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table></div>
{note}
{_all_metrics(report)}
</section>"""


def _all_metrics(report: SessionReport) -> str:
    names = sorted({m for r in report.reps for m in r.metrics})
    if not names:
        return ""
    ths = "".join(f"<th>{_e(_metric_label(n))}</th>" for n in names)
    rows = "\n".join(
        f"<tr><td>{r.index}</td>"
        + "".join(f"<td>{_e(_num(r.metrics.get(n)))}</td>" for n in names)
        + "</tr>"
        for r in report.reps
    )
    return f"""<details><summary>All metrics ({len(names)})</summary>
<div class="scroll"><table class="reps small"><thead><tr><th>#</th>{ths}</tr></thead>
<tbody>
{rows}
</tbody></table></div></details>"""


def _plots(
    report: SessionReport,
    signals: Sequence[str] | None,
    labels: Mapping[str, str] | None,
) -> str:
    names = list(signals) if signals is not None else key_signals(report)
    if not names or not report.series.t:
        return ""
    png = plot_series(report, signals=names, labels=labels, fmt="png")
    assert isinstance(png, bytes)
    return f"""<section>
<h2>Movement over time</h2>
<p class="muted small">Shaded: reps (numbered), holds in green, faults in red;
hatched grey: not judged.</p>
<img class="plot" alt="Key angles over time" src="{_data_uri(png)}">
</section>"""


def _keyframes(keyframes: Mapping[str, bytes] | None) -> str:
    if not keyframes:
        return ""
    figs = "\n".join(
        f'<figure><img alt="{_e(caption)}" src="{_data_uri(data)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
        for caption, data in keyframes.items()
    )
    return f"""<section>
<h2>Key frames</h2>
<div class="frames">
{figs}
</div>
</section>"""


def _details(report: SessionReport) -> str:
    src, s = report.source, report.summary
    rows: list[tuple[str, str]] = []
    if src is not None:
        rows += [
            ("Clip", src.path),
            ("Picture", f"{src.width}x{src.height}, {src.fps:.2f} fps, {src.duration_s:.1f} s"),
        ]
        if src.rotation:
            rows.append(("Rotation", f"{src.rotation} deg"))
        if src.sha256:
            rows.append(("SHA-256", src.sha256))
    pose_share = f" ({s.frames_with_pose / s.frames:.0%})" if s.frames else ""
    rows += [
        ("Frames with a pose", f"{s.frames_with_pose} of {s.frames}{pose_share}"),
        (
            "Camera view",
            report.view + (f", near side {report.near_side}" if report.near_side else ""),
        ),
        ("Pose model", report.model),
    ]
    if report.exercise_confidence is not None:
        rows.append(("Exercise recognised with", f"{report.exercise_confidence:.0%} confidence"))
    for key, value in report.config_overrides.items():
        rows.append((f"Override {key}", str(value)))
    trs = "\n".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f"""<section>
<h2>Recording and analysis</h2>
<table class="kv">
{trs}
</table>
</section>"""


def _footer(report: SessionReport, generated_at: datetime | None) -> str:
    when = f" on {_e(generated_at.strftime('%Y-%m-%d %H:%M'))}" if generated_at else ""
    return (
        f"<footer>formcheck {_e(report.formcheck_version)}, report schema "
        f"{_e(report.schema_version)}{when}. For use by a physiotherapist; "
        "not a diagnosis.</footer>"
    )


# -- small helpers ----------------------------------------------------------


def _clip_name(report: SessionReport) -> str:
    if report.source is None or not report.source.path:
        return ""
    return PurePath(report.source.path.replace("\\", "/")).name


def _quality_cell(q: float) -> str:
    pct = max(0.0, min(1.0, q))
    cls = "good" if pct >= 0.9 else "fair" if pct >= 0.7 else "poor"
    return (
        f'<div class="q {cls}"><span class="bar" style="width:{pct * 100:.0f}%"></span>'
        f'<span class="qv">{pct:.0%}</span></div>'
    )


def _metric_label(name: str) -> str:
    stat, _, signal = name.partition(".")
    if not signal:
        return name.replace("_s", " (s)").replace("_", " ").capitalize()
    return f"{stat.replace('_', ' ').capitalize()} {signal.replace('_', ' ')}"


def _data_uri(data: bytes) -> str:
    mime = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def _num(v: float | None) -> str:
    if not _finite(v):
        return "—"
    assert v is not None
    return f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}" if abs(v) >= 10 else f"{v:.2f}"


def _t(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    m, s = divmod(seconds, 60)
    return f"{int(m)}:{s:04.1f}"


def _span(a: float, b: float) -> str:
    if b < 60:
        return f"{a:.1f}-{b:.1f} s"
    return f"{_t(a)}-{_t(b)}"
