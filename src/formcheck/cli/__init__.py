"""The ``formcheck`` command line: one module per command group, joined here."""

from __future__ import annotations

import os

# Before OpenCV loads: FFmpeg's and OpenCV's own log lines ("moov atom not found",
# "can't open camera by index", "header damaged") would surround the one-line error
# the user gets. Set either variable to see them again (OPENCV_FFMPEG_LOGLEVEL=32).
os.environ.setdefault("OPENCV_LOG_LEVEL", "SILENT")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

from formcheck.cli.app import app


def main() -> None:
    from formcheck.cli.signals import sigterm_as_interrupt

    sigterm_as_interrupt()
    app()


__all__ = ["app", "main"]
