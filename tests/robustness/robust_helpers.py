"""Shared helpers for the robustness tests: bad inputs made here, the CLI run end to end.

Every input is built by the tests themselves (OpenCV writers, byte edits, the
shared real clip transformed frame by frame); nothing binary is checked in.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner, Result

TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

REPO = TESTS.parent
FORMCHECK = REPO / ".venv" / "bin" / "formcheck"
GLUTE_BRIDGE = REPO.parent / "shared" / "clips" / "glute_bridge__bubbadk_fit__glute-bridge.mp4"

_runner = CliRunner()


def invoke(*args: object) -> Result:
    """Run ``formcheck ARGS`` in process; stdout and stderr are kept apart."""
    from formcheck.cli import app

    return _runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


def assert_one_line_error(result: Result, *words: str) -> str:
    """Exit code 1, exactly one line ``error: ...`` on stderr, no traceback; returns it."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: "), line
    assert "Traceback" not in result.output
    for word in words:
        assert word in line, line
    return line


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Traceback" not in result.output


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def write_video(
    path: Path,
    images: Iterable[np.ndarray],
    fps: float = 25.0,
    fourcc: str = "mp4v",
) -> Path:
    """Write BGR images to ``path`` (size from the first one)."""
    writer: cv2.VideoWriter | None = None
    for image in images:
        if writer is None:
            h, w = image.shape[:2]
            writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (w, h))
            assert writer.isOpened(), f"cannot write {fourcc} to {path}"
        writer.write(image)
    assert writer is not None, "no frames"
    writer.release()
    return path


def plain_frames(n: int, size: tuple[int, int] = (160, 120)) -> list[np.ndarray]:
    """``n`` frames of a grey room with a small square moving: no person."""
    w, h = size
    out = []
    for i in range(n):
        image = np.full((h, w, 3), 120, np.uint8)
        x = (5 + 4 * i) % max(1, w - 20)
        image[10:26, x : x + 16] = 230
        out.append(image)
    return out


def real_frames() -> list[np.ndarray]:
    """Every frame of the shared glute-bridge clip (skips when ../shared is absent)."""
    if not GLUTE_BRIDGE.is_file():
        pytest.skip(f"needs {GLUTE_BRIDGE} (../shared is absent)")
    from formcheck.sources import open_source

    with open_source(GLUTE_BRIDGE) as source:
        return [frame.image for frame in source]


def derive_clip(
    path: Path, transform: Callable[[int, np.ndarray], np.ndarray], frames: int | None = None
) -> Path:
    """The shared clip (its first ``frames``) with ``transform(index, image)`` applied."""
    frames_in = real_frames()[:frames]
    return write_video(path, (transform(i, f) for i, f in enumerate(frames_in)), fps=25.0)
