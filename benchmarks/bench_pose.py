"""Benchmark the pose stage: frames per second of decode + MediaPipe on one clip.

Usage::

    .venv/bin/python benchmarks/bench_pose.py [CLIP] [--model lite|full|heavy|FILE] [--frames N]

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

    Model start-up (bundle load, graph creation) is not timed; the first
    frame (warm-up) is not either.
    """
    return model_only_rates(path, model_path=model_path, max_frames=max_frames)[0]


def model_only_rates(
    path: Path, *, model_path: Path | None = None, max_frames: int | None = None
) -> tuple[float, float]:
    """``(frames per second, CPU ms per frame)`` of decode + estimate, timed as above.

    CPU time (all threads of this process) is what a frame costs on a shared
    machine, where the wall clock also counts other people's work.
    """
    with MediaPipePoseEstimator(model_path) as estimator, open_source(path) as source:
        frames = iter(source)
        first = next(frames, None)
        if first is None:
            return 0.0, 0.0
        estimator.estimate(first)
        count = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        for frame in frames:
            estimator.estimate(frame)
            count += 1
            if max_frames is not None and count >= max_frames:
                break
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if elapsed <= 0 or count == 0:
        return 0.0, 0.0
    return count / elapsed, 1000.0 * cpu / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, help="video to run on")
    parser.add_argument("--model", type=Path, default=None, help="lite, full, heavy or a .task")
    parser.add_argument("--frames", type=int, default=None, help="stop after N frames")
    args = parser.parse_args(argv)
    clip = args.clip or default_clip()
    if clip is None:
        print("no clip given and none found in sample_videos/ or ../shared/clips/")
        return 2
    with open_source(clip) as source:
        info = source.info
    fps, cpu_ms = model_only_rates(clip, model_path=args.model, max_frames=args.frames)
    print(f"clip: {clip.name} ({info.width}x{info.height}, {info.frame_count} frames)")
    print(
        f"model only (decode + estimate): {fps:.1f} fps, {1000 / fps:.1f} ms/frame wall, "
        f"{cpu_ms:.1f} ms/frame CPU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
