"""``formcheck batch``: score many clips in parallel, resumably, on one machine or a cluster."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from formcheck.cli.app import app
from formcheck.cli.common import EXERCISE_HELP, exercise_choice, fail, plural, user_errors
from formcheck.cli.signals import interrupted_exit_code, interruption
from formcheck.errors import ConfigError

if TYPE_CHECKING:
    from formcheck.batch.runner import BatchResult

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

EXIT_FAILED_CLIPS = 1
EXIT_USAGE = 2


@app.command()
def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Folders (searched recursively), files, globs ('clips/**/*.mp4') or CSV "
            "manifests (columns: path, exercise, patient, config).",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Results folder: reports, tables, pose cache.")
    ],
    exercise: Annotated[
        str,
        typer.Option(
            "--exercise",
            "-e",
            help=f"Exercise for clips a manifest does not name: {EXERCISE_HELP}, or 'auto'.",
            callback=exercise_choice,
        ),
    ] = "auto",
    config: Annotated[
        Path | None, typer.Option(help="Patient config (TOML) for clips a manifest does not name.")
    ] = None,
    patient: Annotated[
        str | None, typer.Option(help="Patient id for clips a manifest does not name.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-j", help="Worker processes (0: one per core).", min=0)
    ] = 0,
    cluster: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786) to run the clips on."),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Pose model: lite, full (default), heavy (once built) or a .task bundle."
        ),
    ] = None,
    rescore: Annotated[
        bool, typer.Option("--rescore", help="Score again clips already scored.")
    ] = False,
    pose_cache: Annotated[
        bool,
        typer.Option("--pose-cache/--no-pose-cache", help="Keep landmarks to re-score fast."),
    ] = True,
    stride: Annotated[
        str,
        typer.Option(
            help="Run the pose model on every k-th frame: 'auto' picks k from the exercise's "
            "movement speed (its sample_fps), 1 models every frame."
        ),
    ] = "auto",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Score many clips: one report each, clips and reps tables, resumable after a stop.

    Exit status: 0 all scored, 1 some clips failed (the rest are scored),
    2 bad usage (no input matched, bad manifest or config, --out not a folder),
    130 interrupted (Ctrl-C), 143 stopped by SIGTERM (tables written as for Ctrl-C).
    """
    from formcheck.batch.inputs import expand_inputs
    from formcheck.batch.runner import BatchOptions, run_batch
    from formcheck.sources.stride import parse_stride

    with user_errors():
        try:
            check_results_folder(out)
            every = parse_stride(stride)
            jobs = expand_inputs(inputs, exercise=exercise, patient=patient, config=config)
            opts = BatchOptions(
                out=out,
                workers=workers,
                model_path=model,
                cluster=cluster,
                rescore=rescore,
                pose_cache=pose_cache,
                quiet=quiet,
                stride=every,
            )
            result = run_batch(jobs, opts, console=err)
        except ConfigError as exc:
            raise fail(str(exc), code=EXIT_USAGE) from None
    _print_result(result, out)
    if result.interrupted:
        err.print(
            f"interrupted ({interruption()}): finished clips are kept; "
            "run the same command to resume"
        )
        raise typer.Exit(interrupted_exit_code())
    if result.failed:
        raise typer.Exit(EXIT_FAILED_CLIPS)


def check_results_folder(out: Path) -> None:
    """``--out`` must be a folder or a path that can become one (ConfigError: exit 2)."""
    for path in (out, *out.parents):
        if path.exists():
            if not path.is_dir():
                what = f"--out {out}" if path == out else f"--out {out}: {path}"
                raise ConfigError(f"{what} is a file, not a folder; give a results folder")
            return


def _print_result(result: BatchResult, out: Path) -> None:
    for path, error in result.errors[:20]:
        err.print(f"[red]failed[/red] {path}: {error}", markup=True)
    if len(result.errors) > 20:
        err.print(f"... and {len(result.errors) - 20} more failures (see {out / 'clips.csv'})")
    rate = f", {result.frames / result.seconds:.0f} frames/s" if result.seconds else ""
    console.print(
        f"{plural(result.clips, 'clip')}: {result.scored} scored, {result.skipped} skipped "
        f"(already scored), {result.failed} failed in {result.seconds:.1f}s{rate}"
    )
    console.print(f"tables: {out / 'clips.csv'}, {out / 'reps.csv'} (and .jsonl)")
