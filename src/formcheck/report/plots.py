"""Static plots for the reports, rendered off-screen with matplotlib's Agg canvas.

Figures are built with ``matplotlib.figure.Figure`` and an explicit Agg
canvas, never ``pyplot``: no window can open, no global state is touched,
and it is safe from a worker thread.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from formcheck.report.model import SessionReport

ImageFormat = Literal["png", "svg"]

REP_COLOR = "#4c8bd6"
HOLD_COLOR = "#2ca25f"
FAULT_COLOR = "#d62728"
UNJUDGED_COLOR = "#9a9a9a"
LINE_COLORS = ("#1f3b73", "#8c564b", "#6a3d9a", "#ff7f0e")


@dataclass(frozen=True)
class PlotStyle:
    width_in: float = 10.0
    height_per_signal_in: float = 2.3
    dpi: int = 110
    font_size: float = 9.0


def key_signals(report: SessionReport, limit: int = 3) -> list[str]:
    """The series worth plotting: those with any value, in the report's order."""
    names = [n for n, v in report.series.values.items() if any(_finite(x) for x in v)]
    return names[:limit]


def plot_series(
    report: SessionReport,
    *,
    signals: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    fmt: ImageFormat = "png",
    style: PlotStyle | None = None,
) -> bytes | str:
    """Signals over time, one panel each, with reps, holds, faults and unjudged spans marked.

    Returns PNG bytes, or SVG text when ``fmt="svg"``.
    """
    st = style or PlotStyle()
    names = list(signals) if signals is not None else key_signals(report)
    labels = dict(labels or {})
    n = max(1, len(names))
    fig = Figure(figsize=(st.width_in, 0.6 + st.height_per_signal_in * n), dpi=st.dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    t = np.asarray(report.series.t, dtype=float)
    end = _end_time(report, t)

    for i, ax in enumerate(axes):
        _mark_spans(ax, report, label_reps=(i == 0))
        if i < len(names):
            name = names[i]
            y = np.array([np.nan if v is None else v for v in report.series.values.get(name, [])])
            y = y[: len(t)]
            ax.plot(t[: len(y)], y, color=LINE_COLORS[i % len(LINE_COLORS)], lw=1.4)
            ax.set_ylabel(_wrap(labels.get(name, _readable(name))), fontsize=st.font_size)
        else:
            ax.text(
                0.5, 0.5, "No signal recorded", ha="center", va="center", transform=ax.transAxes
            )
        ax.set_xlim(0.0, end)
        ax.grid(True, axis="y", color="#e3e3e3", lw=0.6)
        ax.tick_params(labelsize=st.font_size)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xlabel("Time (s)", fontsize=st.font_size)
    fig.legend(
        handles=_legend_handles(report),
        loc="upper center",
        ncol=4,
        frameon=False,
        fontsize=st.font_size,
        bbox_to_anchor=(0.5, 1.0),
    )
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    return _save(fig, fmt)


def plot_trend(
    dates: Sequence[str],
    reps: Sequence[float | None],
    key_values: Sequence[float | None],
    faults_per_session: Sequence[float | None],
    *,
    targets: Sequence[float | None] | None = None,
    key_label: str = "Key metric",
    fmt: ImageFormat = "png",
    style: PlotStyle | None = None,
) -> bytes | str:
    """Three stacked panels over sessions: reps (with target), the key metric, faults."""
    st = style or PlotStyle(height_per_signal_in=1.8)
    fig = Figure(figsize=(st.width_in, 0.5 + 3 * st.height_per_signal_in), dpi=st.dpi)
    FigureCanvasAgg(fig)
    axes = fig.subplots(3, 1, sharex=True)
    x = np.arange(len(dates))
    nan = float("nan")

    def arr(v: Sequence[float | None]) -> np.ndarray:
        return np.array([nan if a is None else a for a in v], dtype=float)

    axes[0].bar(x, arr(reps), color=REP_COLOR, width=0.6, label="Reps done")
    if targets is not None and any(_finite(v) for v in targets):
        axes[0].plot(x, arr(targets), "_", color="#222222", ms=22, mew=2, label="Target")
        axes[0].legend(frameon=False, fontsize=st.font_size, loc="upper left")
    axes[0].set_ylabel("Reps", fontsize=st.font_size)
    axes[1].plot(x, arr(key_values), "o-", color=LINE_COLORS[0], lw=1.5)
    axes[1].set_ylabel(_wrap(key_label), fontsize=st.font_size)
    axes[2].bar(x, arr(faults_per_session), color=FAULT_COLOR, width=0.6)
    axes[2].set_ylabel("Faults", fontsize=st.font_size)
    axes[2].set_xticks(x, list(dates), rotation=30, ha="right", fontsize=st.font_size)
    for ax in axes:
        ax.grid(True, axis="y", color="#e3e3e3", lw=0.6)
        ax.tick_params(labelsize=st.font_size)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _save(fig, fmt)


def _mark_spans(ax: object, report: SessionReport, *, label_reps: bool) -> None:
    for k, rep in enumerate(report.reps):
        ax.axvspan(  # type: ignore[attr-defined]
            rep.start_s,
            rep.end_s,
            color=REP_COLOR,
            alpha=0.10 if k % 2 == 0 else 0.17,
            lw=0,
            hatch=None if rep.complete else "..",
        )
        if rep.hold_start_s is not None and rep.hold_end_s is not None:
            ax.axvspan(rep.hold_start_s, rep.hold_end_s, color=HOLD_COLOR, alpha=0.22, lw=0)  # type: ignore[attr-defined]
        if label_reps:
            ax.text(  # type: ignore[attr-defined]
                (rep.start_s + rep.end_s) / 2,
                1.0,
                f"{rep.index}" + ("" if rep.complete else "*"),
                transform=ax.get_xaxis_transform(),  # type: ignore[attr-defined]
                ha="center",
                va="bottom",
                fontsize=8,
                color="#333333",
            )
    for fault in report.faults:
        ax.axvspan(fault.start_s, fault.end_s, ymin=0.0, ymax=0.06, color=FAULT_COLOR, lw=0)  # type: ignore[attr-defined]
        ax.axvspan(fault.start_s, fault.end_s, color=FAULT_COLOR, alpha=0.12, lw=0)  # type: ignore[attr-defined]
    for span in report.unjudged:
        ax.axvspan(  # type: ignore[attr-defined]
            span.start_s,
            span.end_s,
            facecolor="#f0f0f0",
            edgecolor=UNJUDGED_COLOR,
            hatch="///",
            lw=0,
            alpha=0.9,
        )


def _legend_handles(report: SessionReport) -> list[Patch]:
    handles = [Patch(facecolor=REP_COLOR, alpha=0.25, label="Rep (number above; * partial)")]
    if any(r.hold_start_s is not None for r in report.reps):
        handles.append(Patch(facecolor=HOLD_COLOR, alpha=0.35, label="Hold"))
    if report.faults:
        handles.append(Patch(facecolor=FAULT_COLOR, alpha=0.6, label="Fault"))
    if report.unjudged:
        handles.append(
            Patch(facecolor="#f0f0f0", edgecolor=UNJUDGED_COLOR, hatch="///", label="Not judged")
        )
    return handles


def _end_time(report: SessionReport, t: np.ndarray) -> float:
    candidates = [report.summary.duration_s]
    if t.size:
        candidates.append(float(t[-1]))
    candidates += [r.end_s for r in report.reps] + [u.end_s for u in report.unjudged]
    end = max((c for c in candidates if _finite(c)), default=1.0)
    return end if end > 0 else 1.0


def _save(fig: Figure, fmt: ImageFormat) -> bytes | str:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, facecolor="white")
    data = buf.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


def _finite(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def _readable(name: str) -> str:
    words = name.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _wrap(label: str, width: int = 16) -> str:
    if len(label) <= width or " " not in label:
        return label
    cut = label.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else label.find(" ")
    return label[:cut] + "\n" + label[cut + 1 :]
