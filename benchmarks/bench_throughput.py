"""Benchmark throughput: ``formcheck batch`` at stride 1 and the default, 720p and 1080p clips.

Usage::

    .venv/bin/python benchmarks/bench_throughput.py [--clip CLIP] [--copies N] [--exercise bridge]

From one run on one machine it prints, for 30 fps 1280x720 and 1920x1080 copies of
a rendered sample clip (upscaled into a temporary folder; H.264 when PyAV is
installed, as phones record, else OpenCV's MPEG-4):

* decode alone: frames/s reading every frame, and passing over the frames the
  default stride skips with ``grab()`` (decoded, never converted to BGR);
* model alone: MediaPipe frames/s on decoded frames, at full size and shrunk to
  960 px (what shrinking would save; by default only frames beyond 1920 px are shrunk,
  ``pose/downscale.py``);
* ``batch`` real-time factor (seconds of video scored per second of wall clock,
  worker start-up and model loading included) with 1 and 2 workers at
  ``--stride 1`` and the default (``auto``); goal >= 4x on 2 cores;
* ``formcheck --help`` wall time (goal 0.3 s) and time from launching
  ``formcheck analyze`` to its first analysed frame (goal 2 s).

The machine's load average is printed first and last: on shared cores the
figures are only as good as the quiet they were taken in.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from formcheck.batch.inputs import expand_inputs
from formcheck.batch.runner import BatchOptions, run_batch
from formcheck.exercises.loader import builtin
from formcheck.pipeline import resolve_stride
from formcheck.pose.downscale import model_input
from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
from formcheck.types import Frame

REPO = Path(__file__).resolve().parents[1]
SIZES = ((1280, 720), (1920, 1080))
SHRUNK = 960  # the model-alone comparison: frames shrunk to this before the model

# Run in a fresh interpreter: time from its launch to the first frame the analysis steps.
_FIRST_FRAME = """
import os, sys, time
from formcheck.analysis import analyzer
def first(self, pose):
    print(time.monotonic(), flush=True)
    os._exit(0)
analyzer.ExerciseAnalyzer.step = first
from formcheck.cli import main
sys.argv = ["formcheck", "analyze", sys.argv[1], "--exercise", sys.argv[2], "--quiet"]
main()
"""


def upscaled(src: Path, dst: Path, size: tuple[int, int]) -> str:
    """``src`` scaled (and pillarboxed) to ``size`` at 30 fps; returns the codec used."""
    frames = []
    capture = cv2.VideoCapture(str(src))
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(_fit(image, size))
    capture.release()
    try:
        import av
    except ImportError:
        writer = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, size)
        for image in frames:
            writer.write(image)
        writer.release()
        return "MPEG-4 part 2 (mp4v; install PyAV for H.264)"
    with av.open(str(dst), "w") as out:
        stream = out.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23"}
        for image in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")))
        out.mux(stream.encode())
    return "H.264 (libx264 via PyAV)"


def _fit(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    h, w = image.shape[:2]
    scale = min(size[0] / w, size[1] / h)
    scaled = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_CUBIC)
    out = np.zeros((size[1], size[0], 3), np.uint8)
    y, x = (size[1] - scaled.shape[0]) // 2, (size[0] - scaled.shape[1]) // 2
    out[y : y + scaled.shape[0], x : x + scaled.shape[1]] = scaled
    return out


def decode_fps(clip: Path, stride: int) -> float:
    """Frames of the clip gone past per second: kept frames read, the others grabbed."""
    capture = cv2.VideoCapture(str(clip), cv2.CAP_FFMPEG)
    count = 0
    start = time.perf_counter()
    while capture.read()[0] if count % stride == 0 else capture.grab():
        count += 1
    elapsed = time.perf_counter() - start
    capture.release()
    return count / elapsed


def model_fps(clip: Path, max_side: int | None, frames: int = 90) -> float:
    """MediaPipe alone on decoded frames (shrinking included when ``max_side`` is set)."""
    capture = cv2.VideoCapture(str(clip))
    images = [capture.read()[1] for _ in range(frames + 1)]
    capture.release()
    with MediaPipePoseEstimator() as estimator:
        estimator.estimate(Frame(images[0], 0.0, 0))  # warm-up, not timed
        start = time.perf_counter()
        for i, image in enumerate(images[1:], start=1):
            small, _ = model_input(Frame(image, i / 30.0, i), max_side)
            estimator.estimate(small)
        return frames / (time.perf_counter() - start)


def batch_rtf(
    clip: Path, folder: Path, *, exercise: str, copies: int, workers: int, stride: int | None
) -> tuple[float, float]:
    """Real-time factor and frames/s of ``batch`` over ``copies`` jobs of ``clip``."""
    manifest = folder / "manifest.csv"
    rows = "".join(f"{clip},P{i:03d}\n" for i in range(copies))
    manifest.write_text("path,patient\n" + rows)
    out = folder / f"out-w{workers}-s{stride or 'auto'}"
    jobs = expand_inputs([str(manifest)], exercise=exercise)
    opts = BatchOptions(out=out, workers=workers, pose_cache=False, quiet=True, stride=stride)
    result = run_batch(jobs, opts)
    assert result.failed == 0, result.errors
    duration = result.frames / 30.0
    return duration / result.seconds, result.frames / result.seconds


def help_seconds(runs: int = 5) -> float:
    exe = Path(sys.executable).with_name("formcheck")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_frame_seconds(clip: Path, exercise: str, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", _FIRST_FRAME, str(clip), exercise],
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(done.stdout.split()[-1]) - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clip", type=Path, default=REPO / "sample_videos" / "bridge_clean.mp4")
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--copies", type=int, default=2, help="batch jobs per run")
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    k = resolve_stride(None, 30.0, [builtin(args.exercise)])
    print(f"clip: {args.clip.name} ({args.exercise}); default stride at 30 fps: {k}")
    print(f"formcheck --help:            {help_seconds():6.2f} s (median of 5)")
    first = first_frame_seconds(args.clip, args.exercise)
    print(f"launch to first frame:       {first:6.2f} s (median of 3; formcheck analyze)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in SIZES:
            clip = folder / f"{args.clip.stem}_{size[1]}p.mp4"
            codec = upscaled(args.clip, clip, size)
            print(f"\n{size[0]}x{size[1]}, 30 fps, {codec}")
            full, sampled = decode_fps(clip, 1), decode_fps(clip, k)
            print(f"  decode alone, every frame read:        {full:7.1f} frames/s")
            print(f"  decode alone, stride {k} (others grabbed): {sampled:7.1f} frames/s")
            big, small = model_fps(clip, None), model_fps(clip, SHRUNK)
            print(f"  model alone, full size:                {big:7.1f} frames/s")
            print(f"  model alone, shrunk to {SHRUNK} px:         {small:7.1f} frames/s")
            for stride in (1, None):
                for workers in (1, 2):
                    rtf, fps = batch_rtf(
                        clip,
                        folder,
                        exercise=args.exercise,
                        copies=args.copies,
                        workers=workers,
                        stride=stride,
                    )
                    label = "1" if stride == 1 else f"auto ({k})"
                    print(
                        f"  batch, stride {label:8s} {workers} worker(s): {rtf:5.2f}x real time "
                        f"({fps:6.1f} frames/s)"
                    )
    print(f"\nload average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
