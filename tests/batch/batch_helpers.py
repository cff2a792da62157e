"""Helpers for the batch tests: tiny videos made here, good and deliberately broken.

A video with no person in it is a valid input (it scores 0 reps and is "not
judgeable"), so the good clips need no renderer; they differ in content so
each has its own key. Every batch run starts two worker processes that load
the model (a few seconds), so the tests share runs where they can.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
SHARED_CLIPS = REPO.parent / "shared" / "clips"
GLUTE_BRIDGE = SHARED_CLIPS / "glute_bridge__bubbadk_fit__glute-bridge.mp4"
CLI = [sys.executable, "-c", "from formcheck.cli import main; main()"]


def write_clip(path: Path, seed: int, seconds: float = 2.0, fps: int = 30) -> Path:
    """A 320x240 clip of a moving disc on a plain background (nobody in it)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (320, 240))
    for k in range(int(seconds * fps)):
        image = np.full((240, 320, 3), 30 + 20 * seed, np.uint8)
        cv2.circle(image, (40 + 4 * k % 280, 60 + 10 * seed), 18, (0, 0, 255), -1)
        writer.write(image)
    writer.release()
    return path


def write_broken(folder: Path, good: Path) -> list[Path]:
    """Zero bytes, text renamed to .mp4, and a truncated mp4."""
    zero = folder / "broken_zero.mp4"
    zero.write_bytes(b"")
    text = folder / "broken_text.mp4"
    text.write_text("this is not a video\n")
    data = good.read_bytes()
    cut = folder / "broken_cut.mp4"
    cut.write_bytes(data[: len(data) // 3])
    return [zero, text, cut]


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "2"},
        check=False,
    )


def last_run(out: Path) -> dict:
    return json.loads((out / "last_run.json").read_text())


def cache_nobody(clips: list[Path], cache: Path, fps: int = 30) -> Path:
    """A pose cache (``cache/.poses``) for clips with nobody in them, so no run loads the model.

    Each clip's recording is what the model finds there (no pose in any frame).
    """
    from formcheck.batch.cache import CACHE_DIR, cache_path
    from formcheck.pipeline import file_sha256
    from formcheck.pose.mediapipe_backend import DEFAULT_MODEL_ID
    from formcheck.pose.recording import PoseRecording
    from formcheck.types import PoseFrame

    (cache / CACHE_DIR).mkdir(parents=True, exist_ok=True)
    for clip in clips:
        capture = cv2.VideoCapture(str(clip))
        n = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        capture.release()
        frames = [PoseFrame(timestamp_s=k / fps, index=k, image_size=(320, 240)) for k in range(n)]
        recording = PoseRecording.from_frames(frames, fps=fps, model_id=DEFAULT_MODEL_ID)
        recording.save(cache_path(cache, file_sha256(clip), DEFAULT_MODEL_ID))
    return cache / CACHE_DIR
