"""``formcheck live``: coach a set (or the whole programme) from a webcam, file or stream."""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from formcheck.cli.analyze import print_summary
from formcheck.cli.app import app
from formcheck.cli.common import (
    EXERCISE_HELP,
    check_distinct,
    check_outputs,
    exercise_choice,
    fail,
    user_errors,
)
from formcheck.cli.signals import interrupted_exit_code, interruption
from formcheck.errors import ConfigError, FormcheckError

console = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def source_kind(spec: str) -> str:
    """``"camera"`` (an index), ``"stream"`` (a URL) or ``"file"`` (video or image folder)."""
    if _URL.match(spec):
        return "stream"
    if spec.isdigit() and not Path(spec).exists():
        return "camera"
    return "file"


@app.command()
def live(
    exercise: Annotated[
        str | None,
        typer.Option(
            "--exercise",
            "-e",
            help=f"The exercise to coach: {EXERCISE_HELP}.",
            callback=exercise_choice,
        ),
    ] = None,
    program: Annotated[
        str | None,
        typer.Option(
            "--program",
            help="Run a whole programme in order, e.g. 'back-spasms' (the exercises whose "
            "definitions list it under `programmes`).",
        ),
    ] = None,
    source: Annotated[
        str,
        typer.Option(
            "--source", "-s", help="Camera index, video file (played in real time) or stream URL."
        ),
    ] = "0",
    config: Annotated[
        Path | None, typer.Option(help="Patient config (TOML) with prescriptions and thresholds.")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            help="Pose model: lite, full (default), heavy (once built) or a .task bundle."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No sound.")] = False,
    headless: Annotated[
        bool, typer.Option("--headless", help="No window; use with --record to keep the video.")
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option("--record", help="Write the annotated stream here (.webm, .mp4, .avi)."),
    ] = None,
    realtime: Annotated[
        bool,
        typer.Option(
            "--realtime/--no-realtime",
            help="Play a video file at its own pace (default), or as fast as possible, "
            "every frame (tests).",
        ),
    ] = True,
    debug: Annotated[bool, typer.Option("--debug", help="Show fps and latency.")] = False,
    sessions: Annotated[
        Path, typer.Option("--sessions", help="Folder for the saved session reports.")
    ] = Path("sessions"),
    exit_at_end: Annotated[
        bool,
        typer.Option("--exit-at-end", help="Close when the video ends instead of waiting for q."),
    ] = False,
    linger: Annotated[
        float,
        typer.Option(help="With --exit-at-end: keep the last frame up this many seconds."),
    ] = 0.0,
    intro: Annotated[
        float,
        typer.Option(help="Programme: seconds to show each exercise's name before counting."),
    ] = 3.0,
    fullscreen: Annotated[bool, typer.Option(help="Fill the screen.")] = False,
    blur: Annotated[bool, typer.Option("--blur/--no-blur", help="Blur the face.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --record.")] = False,
) -> None:
    """Coach a set live: counts, hold countdown, one cue at a time, then save the session.

    Keys: q quits, space pauses, r resets the set, n moves on.
    """
    from formcheck.exercises.loader import load_config
    from formcheck.exercises.registry import programmes
    from formcheck.live.display import NO_DISPLAY, has_display

    with user_errors():
        if (exercise is None) == (program is None):
            raise ConfigError("choose one of --exercise or --program")
        if exercise == "auto":
            raise ConfigError("live coaching needs a named exercise, not 'auto'")
        known = programmes()
        if program is not None and program not in known:
            raise ConfigError(f"unknown programme {program!r}; choose: {', '.join(known)}")
        # Before anything slow, and before any HighGUI call: no display would abort.
        if not headless and not has_display():
            raise FormcheckError(NO_DISPLAY)
        if linger < 0 or intro < 0:
            raise ConfigError("--linger and --intro must be 0 or more")
        check_distinct(
            {"--source": Path(source) if source_kind(source) == "file" else None,
             "--config": config, "--model": model},
            {"--record": record},
        )  # fmt: skip
        check_outputs([record], force)
        cfg = load_config(config)
        ids = known[program] if program else (exercise,)
        specs = [cfg.exercise(i) for i in ids]
        code = _run(
            specs,
            source=source,
            programme=program is not None,
            model=model,
            quiet=quiet,
            headless=headless,
            record=record,
            realtime=realtime,
            debug=debug,
            sessions=sessions,
            exit_at_end=exit_at_end,
            linger=linger,
            intro=intro if program else 0.0,
            fullscreen=fullscreen,
            blur=blur,
            force=force,
            patient=cfg.patient,
        )
    if code:
        raise typer.Exit(code)


def _run(specs, *, source: str, programme: bool, model, quiet, headless, record, realtime,
         debug, sessions: Path, exit_at_end, linger, intro, fullscreen, blur, force,
         patient) -> int:  # fmt: skip
    from formcheck.live.audio import make_audio
    from formcheck.live.display import Headless, Recorder, Window
    from formcheck.live.grabber import FrameGrabber
    from formcheck.live.program import Finished, run_exercises
    from formcheck.live.save import SavedSession, save_run
    from formcheck.live.session import LiveExercise, LiveOptions, Outcome
    from formcheck.live.stats import LiveStats
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
    from formcheck.render.video import VideoSink
    from formcheck.sources import open_source

    kind = source_kind(source)
    saved: list[SavedSession] = []
    with ExitStack() as stack:
        src = stack.enter_context(open_source(source))
        estimator = stack.enter_context(MediaPipePoseEstimator(model))
        window = None if headless else Window(f"formcheck - {specs[0].name}", fullscreen=fullscreen)
        if window is not None:
            stack.callback(window.close)
        sink = None
        if record is not None:
            sink = stack.enter_context(VideoSink(record, fps=src.info.fps, force=force))
        output = window or Headless(sink)
        if window is not None and sink is not None:
            output = Recorder(window, sink)
        audio = make_audio(quiet)
        stack.callback(audio.close)
        is_file = kind == "file"
        grabber = FrameGrabber(
            src, realtime=is_file and realtime, lossless=is_file and not realtime
        )
        stack.enter_context(grabber)
        stats = LiveStats()
        options = LiveOptions(
            intro_s=intro, source_kind=kind, debug=debug, blur_faces=blur, pause_source=is_file
        )

        def make(spec, opts, title):
            return LiveExercise(
                spec, grabber=grabber, estimator=estimator, output=output, stats=stats,
                options=opts, audio=audio, log=lambda m: err.print(f"[dim]{m}[/dim]"), title=title,
            )  # fmt: skip

        def on_done(finished: Finished) -> None:
            got = save_run(
                finished.run,
                folder=sessions,
                stamp=finished.stamp,
                model_id=estimator.model_id,
                info=src.info,
                patient=patient,
                warnings=list(src.warnings),
            )
            if got is not None:
                saved.append(got)

        err.print("[dim]keys: q quit, space pause, r reset the set, n next[/dim]")
        done = run_exercises(specs, make, options, programme=programme, on_done=on_done)
        if window is not None and done and done[-1].run.outcome is Outcome.ENDED:
            _end_screen(window, exit_at_end, linger, done[-1])

    for s in saved:
        print_summary(s.report, console)
        saved_to = f"{s.json_path} and {s.html_path.name}"
        console.print(f"[dim]saved: {escape(saved_to)}[/dim]")
    if debug or not saved:
        summary = stats.summary()
        if summary.frames:
            console.print(
                f"[dim]live: {summary.fps:.1f} fps, frame-to-overlay latency median "
                f"{summary.median_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, "
                f"{summary.dropped} frames dropped[/dim]"
            )
    if not saved:
        console.print("[yellow]Nothing was analysed, so no session was saved.[/yellow]")
    last = done[-1].run if done else None
    if last is None:
        return 0
    if last.outcome is Outcome.LOST:
        where = f"; the session so far was saved in {sessions}" if saved else ""
        fail(f"{last.message}{where}")
        return 1
    if last.outcome is Outcome.INTERRUPTED:
        where = f"the session so far was saved in {sessions}" if saved else "nothing was saved"
        err.print(f"interrupted ({interruption()}); {where}")
        return interrupted_exit_code()
    return 0


def _end_screen(window, exit_at_end: bool, linger: float, finished) -> None:
    """Leave the final count up: ``linger`` seconds with --exit-at-end, else until a key."""
    shot = finished.exercise.end_frame(finished.run, "" if exit_at_end else " - press q")
    if shot is None:
        return
    window.show(shot)
    from formcheck.live.session import counter_text

    result = finished.run.result
    count = sum(1 for r in result.reps if r.complete) if result is not None else 0
    spec = finished.run.spec
    window.set_title(f"formcheck - {spec.name} - {counter_text(spec, count)} - finished")
    if exit_at_end:
        deadline = time.monotonic() + linger
        while time.monotonic() < deadline:
            if window.wait_key(50) is not None:
                return
        return
    while window.wait_key(100) is None:
        pass
