"""Benchmark ``formcheck batch``: scaling over worker processes, and re-scoring from the pose cache.

Usage::

    .venv/bin/python benchmarks/bench_batch.py [CLIP] [--copies N] [--max-workers W]

From one run it prints:

* model alone: decode + MediaPipe in one process (``bench_pose.model_only_fps``);
* batch throughput with 1 and 2 (up to W) workers on N jobs of the clip, end to
  end (wall clock of the whole batch, worker start-up and model loading
  included), with scaling efficiency ``fps_k / (k * fps_1)`` and the ratio
  to the model-alone rate;
* re-scoring the same N jobs with new thresholds from a warm pose cache.

The N jobs are the same clip under N patient ids (a manifest), so each has
its own key but identical work; the throughput runs use ``--no-pose-cache``
so no job reads another's landmarks.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench_pose import default_clip, model_only_fps

from formcheck.batch.inputs import expand_inputs
from formcheck.batch.runner import BatchOptions, BatchResult, run_batch


def _manifest(folder: Path, clip: Path, copies: int) -> Path:
    manifest = folder / "manifest.csv"
    rows = "".join(f"{clip.resolve()},P{i:03d}\n" for i in range(copies))
    manifest.write_text("path,patient\n" + rows)
    return manifest


def _run(manifest: Path, out: Path, *, workers: int, cache: bool, config: Path | None = None):
    jobs = expand_inputs([str(manifest)], exercise="bridge", config=config)
    result = run_batch(jobs, BatchOptions(out=out, workers=workers, pose_cache=cache, quiet=True))
    assert result.failed == 0, result.errors
    return result


def _fps(result: BatchResult) -> float:
    return result.frames / result.seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=8, help="jobs per run")
    parser.add_argument("--max-workers", type=int, default=2)
    args = parser.parse_args(argv)
    clip = args.clip or default_clip()
    if clip is None:
        print("no clip given and none found in sample_videos/ or ../shared/clips/")
        return 2
    alone = model_only_fps(clip)
    print(f"clip: {clip.name}; {args.copies} jobs per run")
    print(f"model alone (1 process):       {alone:7.1f} frames/s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = _manifest(folder, clip, args.copies)
        fps: dict[int, float] = {}
        for workers in range(1, args.max_workers + 1):
            result = _run(manifest, folder / f"w{workers}", workers=workers, cache=False)
            fps[workers] = _fps(result)
            efficiency = fps[workers] / (workers * fps[1])
            print(
                f"batch, {workers} worker(s):           {fps[workers]:7.1f} frames/s "
                f"({result.frames} frames in {result.seconds:.1f}s); "
                f"efficiency {efficiency:.0%}; {fps[workers] / alone:.2f}x model alone"
            )
        warm = folder / "warm"
        _run(manifest, warm, workers=1, cache=True)  # fills the cache (one clip's landmarks)
        config = folder / "new-thresholds.toml"
        config.write_text("[exercises.bridge.counting]\ntop = 150.0\n")
        rescored = _run(manifest, warm, workers=args.max_workers, cache=True, config=config)
        assert rescored.scored == args.copies
        print(
            f"re-score, warm pose cache:     {_fps(rescored):7.1f} frames/s "
            f"({rescored.seconds:.1f}s); {_fps(rescored) / fps[args.max_workers]:.1f}x "
            f"the {args.max_workers}-worker scoring rate"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
