"""The ``formcheck`` command line: one module per command group, joined here."""

from __future__ import annotations

from formcheck.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
