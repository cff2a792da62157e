"""The root Typer application. Command modules register themselves on import."""

from __future__ import annotations

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
) -> None:
    """Check exercise form from video: reps, holds and faults for the back-spasm programme."""
    if version:
        from formcheck import __version__

        typer.echo(f"formcheck {__version__}")
        raise typer.Exit()


# Command modules: imported for their side effect of adding commands to `app`.
from formcheck.cli import commands as _commands  # noqa: E402,F401
