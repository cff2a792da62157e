"""``formcheck synth``: render a ground-truth exercise clip with faults on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import app
from formcheck.cli.common import check_outputs, user_errors
from formcheck.errors import ConfigError


def _parse_reps(text: str | None) -> tuple[int, ...] | None:
    if not text:
        return None
    try:
        return tuple(sorted({int(t) for t in text.split(",") if t.strip()}))
    except ValueError:
        raise typer.BadParameter("use comma-separated rep numbers, e.g. 2,3") from None


@app.command()
def synth(
    exercise: Annotated[
        str,
        typer.Argument(
            help="an exercise with a synth script (built in, or ID.py beside its definition)"
        ),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="clip.mp4 (mp4v) or clip.webm (VP8)")
    ],
    reps: Annotated[int | None, typer.Option(help="reps / holds / cycles")] = None,
    fault: Annotated[str | None, typer.Option(help="fault id, e.g. sagging_hips")] = None,
    fault_reps: Annotated[
        str | None, typer.Option(help="1-based reps that carry the fault, e.g. 2,3 (default all)")
    ] = None,
    seed: Annotated[int, typer.Option(help="seed: body, clothes, room, side")] = 0,
    hold_s: Annotated[float | None, typer.Option(help="hold length, seconds")] = None,
    tempo: Annotated[float, typer.Option(help="movement speed factor (>1 faster)")] = 1.0,
    side: Annotated[str | None, typer.Option(help="side nearer the camera: left/right")] = None,
    azimuth: Annotated[float | None, typer.Option(help="degrees from side-on (+-30)")] = None,
    elevation: Annotated[float | None, typer.Option(help="camera elevation, degrees")] = None,
    distance: Annotated[float | None, typer.Option(help="camera distance, metres")] = None,
    vary: Annotated[
        bool, typer.Option(help="draw camera, noise, blur and compression from the seed")
    ] = False,
    variety: Annotated[
        bool,
        typer.Option(
            help="vary the movement from the seed: tempo, range, holds, pauses, fidgets, "
            "sighs, shuffles, clips cut mid-rep (see docs/synth.md)"
        ),
    ] = False,
    noise: Annotated[float | None, typer.Option(help="pixel noise sigma, grey levels")] = None,
    blur: Annotated[float | None, typer.Option(help="Gaussian blur sigma, pixels")] = None,
    jpeg: Annotated[int | None, typer.Option(help="per-frame JPEG quality")] = None,
    width: Annotated[int, typer.Option()] = 640,
    height: Annotated[int, typer.Option()] = 480,
    fps: Annotated[float, typer.Option()] = 30.0,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing clip.")] = False,
) -> None:
    """Render EXERCISE performed by a skinned avatar, plus <stem>.truth.json beside it."""
    from formcheck.synth.groundtruth import truth_path
    from formcheck.synth.render import render_clip

    if side not in (None, "left", "right"):
        raise typer.BadParameter("--side must be left or right")
    with user_errors():  # before rendering: an existing clip or truth is kept without --force
        check_outputs([output, truth_path(output)], force)
    try:
        truth = render_clip(
            exercise, out_path=output, fault=fault, fault_reps=_parse_reps(fault_reps),
            reps=reps, seed=seed, hold_s=hold_s, tempo=tempo, side=side, azimuth_deg=azimuth,
            elevation_deg=elevation, distance_m=distance, vary=vary, variety=variety, noise=noise,
            blur=blur, jpeg_quality=jpeg, width=width, height=height, fps=fps,
        )  # fmt: skip
    except (ValueError, ConfigError) as exc:
        raise typer.BadParameter(str(exc)) from None
    whole = [r for r in truth.reps if r.partial is None]
    partial = len(truth.reps) - len(whole)
    typer.echo(
        f"wrote {output} ({truth.frame_count} frames, {truth.frame_count / truth.fps:.1f} s, "
        f"{len(whole)} {truth.reps[0].kind if truth.reps else 'rep'}s"
        f"{f' and {partial} partial' if partial else ''}) and {truth_path(output)}"
    )
