"""The root Typer application. Command modules register themselves on import."""

from __future__ import annotations

from pathlib import Path

import typer

from formcheck.cli.plain_help import use_plain_help

use_plain_help()

app = typer.Typer(
    name="formcheck",
    help="Check exercise form from video: reps, holds and faults for the back-spasm programme.",
    no_args_is_help=True,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="Show the version and exit."),
    exercises_dir: list[Path] = typer.Option(  # noqa: B008 (typer's way)
        [],
        "--exercises-dir",
        help="A folder of exercise definitions (ID.toml, optionally its synth script ID.py) "
        "that adds to or overrides the built-in ones; also FORMCHECK_EXERCISES_DIR.",
    ),
) -> None:
    """Check exercise form from video: reps, holds and faults for the back-spasm programme."""
    import os

    from formcheck.exercises import registry

    if exercises_dir or os.environ.get(registry.ENV_VAR):
        from formcheck.cli.common import user_errors

        with user_errors():
            for folder in exercises_dir:
                registry.add_folder(folder)
            # A missing folder or a broken file: one line now, before any work starts
            # (and before batch workers each fail on it).
            registry.definitions()
    if version:
        from formcheck import __version__

        typer.echo(f"formcheck {__version__}")
        raise typer.Exit()


# Command modules: imported for their side effect of adding commands to `app`.
from formcheck.cli import commands as _commands  # noqa: E402,F401
