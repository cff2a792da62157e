"""Benchmark the pose stage: frames per second of decode + MediaPipe on one clip.

Usage::

    .venv/bin/python benchmarks/bench_pose.py [CLIP] [--model PATH.task] [--frames N]

Without CLIP it uses the first ``sample_videos/*.mp4`` of the repository, else
the first clip in ``../shared/clips``. Runs at the clip's own resolution.
Stages added later (the whole analyze pipeline) get their own function beside
:func:`model_only_fps` and a line in :func:`main`.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
from formcheck.sources import open_source

REPO = Path(__file__).resolve().parents[1]


def default_clip() -> Path | None:
    """First ``sample_videos/*.mp4``, else the first ``../shared/clips/*.mp4``, else None."""
    for folder in (REPO / "sample_videos", REPO.parent / "shared" / "clips"):
        clips = sorted(folder.glob("*.mp4"))
        if clips:
            return clips[0]
    return None


def model_only_fps(
    path: Path, *, model_path: Path | None = None, max_frames: int | None = None
) -> float:
    """Frames per second of decoding ``path`` and estimating each frame's pose.

    Model start-up (bundle build, graph creation) is not timed; the first
    frame (warm-up) is not either.
    """
    with MediaPipePoseEstimator(model_path) as estimator, open_source(path) as source:
        frames = iter(source)
        first = next(frames, None)
        if first is None:
            return 0.0
        estimator.estimate(first)
        count = 0
        start = time.perf_counter()
        for frame in frames:
            estimator.estimate(frame)
            count += 1
            if max_frames is not None and count >= max_frames:
                break
        elapsed = time.perf_counter() - start
    return count / elapsed if elapsed > 0 else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, help="video to run on")
    parser.add_argument("--model", type=Path, default=None, help="a PoseLandmarker .task file")
    parser.add_argument("--frames", type=int, default=None, help="stop after N frames")
    args = parser.parse_args(argv)
    clip = args.clip or default_clip()
    if clip is None:
        print("no clip given and none found in sample_videos/ or ../shared/clips/")
        return 2
    with open_source(clip) as source:
        info = source.info
    fps = model_only_fps(clip, model_path=args.model, max_frames=args.frames)
    print(f"clip: {clip.name} ({info.width}x{info.height}, {info.frame_count} frames)")
    print(f"model only (decode + estimate): {fps:.1f} fps, {1000 / fps:.1f} ms/frame")
    return 0


if __name__ == "__main__":
    sys.exit(main())
