"""Imports every command module so each can register itself on the root app."""

# Each module below defines its commands with ``@app.command()`` on formcheck.cli.app.app.
from formcheck.cli import (
    analyze,  # noqa: F401
    exercises,  # noqa: F401
    history,  # noqa: F401
    synth,  # noqa: F401
)
from formcheck.cli import batch  # noqa: F401
from formcheck.cli import live  # noqa: F401,E402
from formcheck.cli import evaluate  # noqa: F401
