"""``formcheck eval`` and ``formcheck eval-suite``: measured accuracy against labels."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from formcheck.cli.app import app
from formcheck.cli.common import check_outputs, plural, user_errors
from formcheck.eval.suite import DEFAULT_SEED_BASE, PRESETS

if TYPE_CHECKING:
    from formcheck.eval.metrics import FaultTally

console = Console(highlight=False)


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet,
        transient=True,
    )


def fault_line(fault: str, t: FaultTally) -> str:
    """One fault's scores for the terminal summary."""
    if not t.labelled:  # only its false alarms can be told
        return f"  {fault}: not in the labels, {t.fp} false alarm(s)"
    return f"  {fault}: precision {_f(t.precision)}, recall {_f(t.recall)}, F1 {_f(t.f1)}"


def _f(v: float, pct: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:.0%}" if pct else f"{v:.2f}"


@app.command("eval")
def eval_command(
    labels: Annotated[
        list[Path],
        typer.Argument(
            help="Truth files (*.truth.json), hand-label JSON lists, or folders of them."
        ),
    ],
    workers: Annotated[int, typer.Option(min=1, help="Processes (default: number of cores).")] = (
        os.cpu_count() or 1
    ),
    cache: Annotated[
        Path | None, typer.Option(help="Pose cache folder: re-scoring skips the model.")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Pose model: lite, full (default), heavy (once built) or a .task bundle."
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="Patient config (TOML) to evaluate.")] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write all scores as JSON.")
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option(help="Write the results table as Markdown.")
    ] = None,
    title: Annotated[str, typer.Option(help="Title of the Markdown table.")] = "Results",
    stride: Annotated[
        str,
        typer.Option(
            help="Run the model on every k-th frame; 'auto' (default): k from each exercise's "
            "sample rate, as analyze and batch do; 1: every frame."
        ),
    ] = "auto",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Score the analysis against labelled clips: counts, holds, faults and angles."""
    from formcheck.eval.labels import load_labels
    from formcheck.eval.metrics import overall
    from formcheck.eval.runner import evaluate, markdown_table, scores_to_json
    from formcheck.exercises.loader import load_config
    from formcheck.pose.models import model_id_of
    from formcheck.report.atomic import atomic_write_text
    from formcheck.sources.stride import parse_stride

    with user_errors():
        every = parse_stride(stride)
        check_outputs([json_out, markdown], force)
        load_config(config)  # fail early on a bad config
        model_id_of(model)  # and on a missing model, before every clip fails on it
        clips = [c for p in labels for c in load_labels(p)]
        with _progress(quiet) as progress:
            task = progress.add_task("evaluating", total=len(clips))
            scores = evaluate(
                clips,
                workers=min(workers, len(clips)) or 1,
                cache=cache,
                model=model,
                config_path=config,
                on_done=lambda s: progress.advance(task),
                stride=every,
            )
        total = overall(scores)
        if json_out:
            atomic_write_text(
                json_out, json.dumps(scores_to_json(scores, total), indent=2), force=force
            )
        if markdown:
            atomic_write_text(markdown, markdown_table(scores, total, title), force=force)

    if not quiet:
        table = Table(title="Per clip")
        for col in ("clip", "exercise", "true", "counted", "error", "faults found", "angle err"):
            table.add_column(col)
        for s in scores:
            found = ", ".join(
                f"{f}:{t.tp}/{t.tp + t.fn}" for f, t in s.faults.items() if t.labelled
            )
            angle = ", ".join(f"{k} {v:.1f}" for k, v in s.angle_errors.items())
            table.add_row(
                Path(s.path).name,
                s.exercise,
                "?" if s.true_count is None else str(s.true_count),
                str(s.predicted) + ("" if s.judgeable else " (cannot judge)"),
                s.error or ("" if s.true_count is None else f"{s.abs_error:.0f}"),
                found,
                angle,
            )
        console.print(table)
        console.print(
            f"[bold]Overall[/bold]: {plural(total.clips, 'clip')} ({total.countable} countable), "
            f"exact count {_f(total.exact_rate, True)}, MAE {_f(total.mae)}, "
            f"off-by-one {_f(total.oboa, True)} (could not judge {total.declined}; "
            f"off-by-one on the rest {_f(total.oboa_judged, True)}), "
            f"hold error {_f(total.hold_mae_s)} s, false faults on clean reps "
            f"{_f(total.false_fault_rate, True)}, median angle error "
            f"{_f(total.median_angle_error)} deg, frames with a pose {_f(total.pose_share, True)}"
            + (
                ""
                if math.isnan(total.side_rate)
                else f", one-sided reps named for the right side {_f(total.side_rate, True)}"
            )
        )
        for f, t in total.faults.items():
            console.print(fault_line(f, t))
        from formcheck.eval.runner import view_table

        for line in view_table(scores):
            console.print(line)
    if total.failed:
        raise typer.Exit(code=1)


@app.command("eval-suite")
def eval_suite(
    out: Annotated[Path, typer.Argument(help="Folder for the rendered suite (kept out of git).")],
    preset: Annotated[
        str,
        typer.Option(
            help="'full' (hundreds of reps), 'small' (the test suite's subset), 'high' (the "
            "camera 35-45 deg above the mat: a stress set beyond the full grid) or 'varied' "
            "(movement variety on; the camera 0-60 deg off side-on, 0-45 deg up)."
        ),
    ] = "full",
    workers: Annotated[int, typer.Option(min=1)] = os.cpu_count() or 1,
    seed_base: Annotated[
        int,
        typer.Option(
            min=0,
            help="First seed (bodies, clothing, near side, noise). The default suite is the "
            "one thresholds were set on; another base renders a held-out suite.",
        ),
    ] = DEFAULT_SEED_BASE,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Render the synthetic benchmark suite (reproducible from seeds; existing clips are kept)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from formcheck.eval.suite import render_item, suite_items

    if preset not in PRESETS:
        raise typer.BadParameter(f"preset must be one of {', '.join(PRESETS)}")
    items = list(suite_items(preset, seed_base=seed_base))
    with user_errors():
        out.mkdir(parents=True, exist_ok=True)
        with _progress(quiet) as progress:
            task = progress.add_task("rendering", total=len(items))
            with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
                for _ in pool.map(render_item, items, [out] * len(items)):
                    progress.advance(task)
    if not quiet:
        console.print(
            f"{plural(len(items), 'clip')} in {out}; score them with: formcheck eval {out}"
        )
