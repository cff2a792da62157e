"""Imports every command module so each can register itself on the root app."""

# Each module below defines its commands with ``@app.command()`` on formcheck.cli.app.app.
from formcheck.cli import (  # noqa: F401
    analyze,
    batch,
    evaluate,
    exercises,
    history,
    live,
    serve,
    synth,
)
