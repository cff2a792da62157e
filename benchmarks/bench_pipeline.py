"""Benchmark: the analyze pipeline against the model alone, and memory against clip length.

Prints, from one run on the same clip:
- frames per second of decode + pose model alone,
- frames per second of the whole ``analyze`` path (model + smoothing + analysis),
- their ratio (target: the pipeline costs at most 10% more than the model alone),
- peak Python memory of the analysis over a 1-minute and a 10-minute stream
  (the clip's poses replayed; target: about the same).

Usage: python benchmarks/bench_pipeline.py [CLIP] [--exercise bridge]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pose import default_clip, model_only_fps

from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.exercises.loader import PatientConfig, builtin
from formcheck.pipeline import analyze_clip
from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
from formcheck.pose.recording import PoseRecording


def pipeline_fps(clip: Path, exercise: str, pose_file: Path) -> tuple[float, int]:
    """Steady-state frames per second of the analyze path.

    Timed like ``model_only_fps``: from the end of the first frame to the last,
    so model start-up (the same in both) is left out of the comparison.
    """
    marks: list[float] = []

    def tick(done: int, total: int | None) -> None:
        marks.append(time.perf_counter())

    outcome = analyze_clip(
        clip,
        exercise=exercise,
        config=PatientConfig(),
        estimator_factory=MediaPipePoseEstimator,
        pose_out=pose_file,
        progress=tick,
    )
    frames = outcome.report.summary.frames
    return (len(marks) - 1) / (marks[-1] - marks[0]), frames


def analysis_peak_memory(recording: PoseRecording, exercise: str, minutes: float) -> float:
    """Peak traced memory (MiB) of analysing ``minutes`` of the clip's poses, looped."""
    frames = list(recording.frames())
    period = frames[-1].timestamp_s + 1.0 / max(recording.fps, 1.0)
    total = int(minutes * 60 * recording.fps)
    analyzer = ExerciseAnalyzer(builtin(exercise))
    tracemalloc.start()
    for i in range(total):
        f = frames[i % len(frames)]
        analyzer.step(replace(f, timestamp_s=f.timestamp_s + (i // len(frames)) * period, index=i))
    analyzer.finish()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=None)
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs; best kept")
    args = parser.parse_args(argv)
    clip = args.clip or default_clip()
    if clip is None:
        print("no clip given and no sample clip found", file=sys.stderr)
        return 2
    print(f"clip: {clip}")
    # Alternate the two measurements and keep the best of each, so load from other
    # processes on a shared machine does not masquerade as pipeline overhead.
    pose_file = Path("/tmp/formcheck-bench-poses.npz")
    model = pipe = 0.0
    frames = 0
    for _ in range(args.rounds):
        model = max(model, model_only_fps(clip))
        pose_file.unlink(missing_ok=True)
        fps, frames = pipeline_fps(clip, args.exercise, pose_file)
        pipe = max(pipe, fps)
    print(f"model alone:   {model:6.1f} fps")
    print(f"analyze path:  {pipe:6.1f} fps  ({frames} frames)")
    overhead = model / pipe - 1.0
    print(f"pipeline overhead vs model alone: {overhead:+.1%} (target <= +10%)")
    rec = PoseRecording.load(pose_file)
    m1 = analysis_peak_memory(rec, args.exercise, 1)
    m10 = analysis_peak_memory(rec, args.exercise, 10)
    print(f"analysis peak memory: 1 min {m1:.1f} MiB, 10 min {m10:.1f} MiB (ratio {m10 / m1:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
