"""Benchmark: end-to-end live frames per second and frame-to-overlay latency at 640x480.

A 640x480, 30 fps clip is made from a bridge clip (resized, looped), then
played through the live loop headless, paced in real time like a camera
(grabber thread, newest frame wins, pose, analysis, coach, overlay with the
debug line). Latency is from the frame leaving the source to the overlay
being ready. Also reports the unpaced throughput (every frame, no waiting).

Targets (one core): at least 25 fps, median latency at most 80 ms.

Usage: python benchmarks/bench_live.py [CLIP] [--cores 1] [--loops 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import cv2

from formcheck.exercises.loader import builtin
from formcheck.live.display import Headless
from formcheck.live.grabber import FrameGrabber
from formcheck.live.session import LiveExercise, LiveOptions
from formcheck.live.stats import LiveStats
from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
from formcheck.sources import open_source

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = (
    ROOT / "sample_videos" / "bridge_clean.mp4",
    ROOT.parent / "shared" / "clips" / "glute_bridge__bubbadk_fit__glute-bridge.mp4",
)


def make_clip(src: Path, dst: Path, loops: int, size=(640, 480), fps=30.0) -> int:
    writer = cv2.VideoWriter(str(dst), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    n = 0
    for _ in range(loops):
        cap = cv2.VideoCapture(str(src))
        while True:
            ok, image = cap.read()
            if not ok:
                break
            writer.write(cv2.resize(image, size, interpolation=cv2.INTER_AREA))
            n += 1
        cap.release()
    writer.release()
    return n


def run(clip: Path, *, realtime: bool) -> tuple[LiveStats, int]:
    stats = LiveStats()
    with open_source(clip) as src, MediaPipePoseEstimator() as estimator:
        grabber = FrameGrabber(src, realtime=realtime, lossless=not realtime)
        with grabber:
            live = LiveExercise(
                builtin("bridge"),
                grabber=grabber,
                estimator=estimator,
                output=Headless(),
                stats=stats,
                options=LiveOptions(debug=True),
            )
            live.run()
        return stats, grabber.frames_read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--cores", type=int, default=1, help="CPU cores to pin to (0: all)")
    parser.add_argument("--loops", type=int, default=2)
    args = parser.parse_args()
    clip = args.clip or next((c for c in CANDIDATES if c.exists()), None)
    if clip is None:
        raise SystemExit("no clip: pass one")
    if args.cores:
        os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[: args.cores]))
    with tempfile.TemporaryDirectory() as tmp:
        test_clip = Path(tmp) / "live_640x480.mp4"
        frames = make_clip(clip, test_clip, args.loops)
        cores = len(os.sched_getaffinity(0))
        print(f"clip: {clip.name} -> 640x480 @ 30 fps, {frames} frames; cores: {cores}; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        stats, read = run(test_clip, realtime=True)
        s = stats.summary()
        print(
            f"live (paced like a 30 fps camera): {s.fps:.1f} fps shown, "
            f"latency median {s.median_ms:.0f} ms, p95 {s.p95_ms:.0f} ms, "
            f"{s.dropped} of {read} frames dropped"
        )
        stats, read = run(test_clip, realtime=False)
        s = stats.summary()
        print(f"unpaced throughput (every frame): {s.fps:.1f} fps over {read} frames")
        verdict = "meets" if s.fps >= 25 else "misses"
        print(f"target >= 25 fps and <= 80 ms median: throughput {verdict} the fps target")


if __name__ == "__main__":
    main()
