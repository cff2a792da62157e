"""``formcheck analyze``: a physiotherapist's analysis of one recorded clip."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from formcheck.cli.app import app
from formcheck.cli.common import (
    EXERCISE_HELP,
    check_distinct,
    check_outputs,
    exercise_choice,
    fail,
    user_errors,
)

# Heavy modules (numpy, OpenCV, MediaPipe, pydantic) load inside the commands, so
# ``formcheck --help`` starts in a fraction of a second (tests/cli/test_lazy_imports.py).
if TYPE_CHECKING:
    from formcheck.report.model import SessionReport

console = Console(highlight=False)


def print_summary(report: SessionReport, out: Console = console) -> None:
    """The terminal summary: counts against the prescription, per-rep table, faults."""
    from formcheck.report.model import count_text

    s = report.summary
    title = f"{report.exercise_name}"
    if report.exercise_confidence is not None:
        title += f"  (recognised automatically, confidence {report.exercise_confidence:.0%})"
    out.print(f"\n[bold]{title}[/bold]")
    if not s.judgeable:
        out.print(f"[yellow]Could not judge this clip.[/yellow] {' '.join(s.notes)}")
    else:
        out.print(
            f"[bold green]{count_text(s.rep_count, report.prescription.kind)}[/bold green] counted"
            + (f", {s.partial_reps} partial (at the clip's edges)" if s.partial_reps else "")
            + (
                f"; per side: {', '.join(f'{k} {v}' for k, v in sorted(s.reps_per_side.items()))}"
                if s.reps_per_side
                else ""
            )
        )
        out.print(f"Prescription: {report.prescription.text}. Done: {s.against_prescription}.")
        for note in s.notes:
            out.print(f"[yellow]Note:[/yellow] {note}")
    if report.reps:
        table = Table(title=None, show_lines=False)
        for col in ("#", "side", "start", "peak", "end", "hold", "quality", "faults"):
            table.add_column(col, justify="right" if col not in ("side", "faults") else "left")
        for rep in report.reps:
            hold = rep.metrics.get("hold_s", math.nan)
            table.add_row(
                str(rep.index),
                rep.side or "",
                f"{rep.start_s:.1f}s",
                f"{rep.peak_s:.1f}s",
                f"{rep.end_s:.1f}s",
                "" if math.isnan(hold) else f"{hold:.1f}s",
                f"{rep.quality:.0%}",
                ", ".join(rep.faults) or "-",
            )
        out.print(table)
    for fault in report.faults:
        out.print(
            f"[red]{fault.start_s:5.1f}-{fault.end_s:5.1f}s[/red] rep {fault.rep_index}: "
            f"{fault.id} - {fault.message}"
        )
    for span in report.unjudged:
        out.print(f"[dim]{span.start_s:5.1f}-{span.end_s:5.1f}s not judged: {span.reason}[/dim]")
    for w in report.warnings:
        out.print(f"[yellow]Warning:[/yellow] {w}")


@app.command()
def analyze(
    clip: Annotated[
        Path,
        # Existence and permissions are checked by the source, which says what is wrong
        # in one line (click's own check would print a usage box with exit code 2).
        typer.Argument(
            help="Video file (mp4, mov, avi, webm, mkv, gif) or a folder of images.",
            readable=False,
        ),
    ],
    exercise: Annotated[
        str,
        typer.Option(
            "--exercise",
            "-e",
            help=f"Exercise: {EXERCISE_HELP}; or 'auto' to recognise it.",
            callback=exercise_choice,
        ),
    ] = "auto",
    config: Annotated[
        Path | None,
        typer.Option(help="Patient config (TOML) overriding thresholds and prescriptions."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Pose model: lite, full (default), heavy (once built) or a .task bundle."
        ),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the JSON report here.")
    ] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Write per-rep metrics (CSV) here.")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write the self-contained HTML report here.")
    ] = None,
    video_out: Annotated[
        Path | None,
        typer.Option("--video", help="Write the annotated video here (.webm plays in browsers)."),
    ] = None,
    poses_out: Annotated[
        Path | None,
        typer.Option(
            "--save-poses", help="Save the pose recording (.npz) to re-analyse without the model."
        ),
    ] = None,
    poses_in: Annotated[
        Path | None,
        typer.Option(
            "--poses", help="Analyse a saved pose recording instead of running the model."
        ),
    ] = None,
    fps: Annotated[
        float | None,
        typer.Option(
            "--fps",
            help="Frame rate of a folder of images (default 30); for a video, the rate of "
            "frames the container gives no time.",
            min=0.001,
        ),
    ] = None,
    blur: Annotated[
        bool, typer.Option("--blur/--no-blur", help="Blur faces in exported video and images.")
    ] = True,
    stride: Annotated[
        str,
        typer.Option(
            help="Run the pose model on every k-th frame: 'auto' picks k from the exercise's "
            "movement speed (its sample_fps), 1 models every frame."
        ),
    ] = "auto",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")
    ] = False,
) -> None:
    """Count reps and holds, measure each one and flag form faults in a recorded clip."""
    from formcheck.exercises.loader import load_config
    from formcheck.pipeline import analyze_clip
    from formcheck.pose.recording import PoseRecording
    from formcheck.report.json_writer import write_json
    from formcheck.sources.stride import parse_stride

    outputs = [json_out, csv_out, html_out, video_out, poses_out]
    with user_errors():
        check_distinct(
            {"the clip": clip, "--config": config, "--model": model, "--poses": poses_in},
            {
                "--json": json_out,
                "--csv": csv_out,
                "--html": html_out,
                "--video": video_out,
                "--save-poses": poses_out,
            },
        )
        every = parse_stride(stride)
        check_outputs(outputs, force)
        cfg = load_config(config)
        recording = PoseRecording.load(poses_in) if poses_in else None

        def factory():  # the model loads only when needed, in the process that uses it
            from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

            return MediaPipePoseEstimator(model)

        progress_console = Console(stderr=True)
        progress = Progress(
            TextColumn("[bold]analysing[/bold] {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} frames"),
            TimeRemainingColumn(),
            console=progress_console,
            # Off a terminal a stopped bar leaves a blank line (above any error).
            disable=quiet or not progress_console.is_terminal,
            transient=True,
        )
        with progress:
            task = progress.add_task(clip.name, total=None)

            def on_frame(done: int, total: int | None) -> None:
                progress.update(task, completed=done, total=total)

            outcome = analyze_clip(
                clip,
                exercise=exercise,
                config=cfg,
                estimator_factory=factory,
                recording=recording,
                video_out=video_out,
                pose_out=poses_out,
                keyframes=html_out is not None and clip.exists(),
                blur_faces=blur,
                force=force,
                progress=on_frame,
                image_fps=fps,
                stride=every,
            )
        report = outcome.report
        if json_out:
            write_json(report, json_out, force=force)
        if csv_out:
            from formcheck.report.csv_writer import write_csv

            write_csv(report, csv_out, force=force)
        if html_out:
            from formcheck.report.html import write_html

            write_html(report, html_out, force=force, keyframes=outcome.keyframes)
    if report.summary.frames_with_pose == 0:
        # Outputs are kept (they say why), but a clip with nobody in it is a failed run.
        written = " (the report was written)" if any(p for p in outputs if p) else ""
        raise fail(f"no person found in {clip.name}: nothing to analyse{written}")
    if not quiet:
        print_summary(report)
        for label, path in (
            ("JSON", json_out),
            ("CSV", csv_out),
            ("HTML", html_out),
            ("video", video_out),
            ("poses", poses_out),
        ):
            if path:
                console.print(f"[dim]{label}: {escape(str(path))}[/dim]")
