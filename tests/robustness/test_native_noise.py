"""An error is exactly one line on stderr: no blank line, no FFmpeg or OpenCV chatter.

Run as real processes: FFmpeg and OpenCV write to file descriptor 2 from C, which
an in-process runner never sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from formcheck.cli import main; main()"]
REPO = Path(__file__).resolve().parents[2]


def run(*args: object) -> subprocess.CompletedProcess[str]:
    # The user's environment, minus any log settings a developer may have exported.
    base = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV_")}
    return subprocess.run(
        [*CLI, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=base,
        check=False,
    )


def assert_one_line(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: "), repr(proc.stderr)
    for word in words:
        assert word in proc.stderr


def test_no_blank_line_before_the_error(tmp_path: Path) -> None:
    # Without -q: the progress bar (off a terminal) used to leave a blank line first.
    assert_one_line(run("analyze", tmp_path / "nope.mp4"), "file not found")


def test_a_truncated_mp4_gives_no_ffmpeg_lines(tmp_path: Path) -> None:
    clip = tmp_path / "cut.mp4"
    clip.write_bytes((REPO / "sample_videos" / "bridge_clean.mp4").read_bytes()[:400_000])
    # Before: "[mov,mp4,...] moov atom not found" and an OpenCV warning came first.
    assert_one_line(run("analyze", clip, "-e", "bridge", "-q"), "truncated")


def test_a_missing_camera_gives_no_opencv_lines() -> None:
    proc = run("live", "-e", "bridge", "--source", "97", "--headless")
    assert_one_line(proc, "cannot open camera 97")


def test_writing_webm_prints_no_vp8_tag_warning(tmp_path: Path) -> None:
    code = (
        "import numpy as np; from formcheck.render.video import VideoSink\n"
        f"with VideoSink({str(tmp_path / 'a.webm')!r}, fps=30) as sink:\n"
        "    [sink.write(np.zeros((48, 64, 3), np.uint8)) for _ in range(3)]\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # before: "OpenCV: FFMPEG: tag 0x30385056/'VP80' is not supported..."
    assert (tmp_path / "a.webm").stat().st_size > 0
