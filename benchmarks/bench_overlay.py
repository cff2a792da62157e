"""Prints what the full live overlay costs a frame at 640x480 (the timed test it replaces
failed on a loaded machine: timings belong in benchmarks, not in tests).

    .venv/bin/python benchmarks/bench_overlay.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "render"))
from render_factories import make_analysis, plain_frame

from formcheck.render import default_annotators


def main(frames: int = 300) -> None:
    chain = default_annotators(target=10)
    scenes = [plain_frame() for _ in range(frames)]
    analyses = [
        make_analysis(
            i / 30, value=150 + 20 * np.sin(i / 9), cue="Lower", faults=("sag",) * (i % 2)
        )
        for i in range(frames)
    ]
    chain.annotate(scenes[0].copy(), analyses[0])  # warm-up
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for scene, analysis in zip(scenes, analyses, strict=True):
        chain.annotate(scene, analysis)
    cpu = (time.process_time() - cpu0) / frames * 1000
    wall = (time.perf_counter() - wall0) / frames * 1000
    print(f"full overlay at 640x480: {wall:.2f} ms a frame wall clock, {cpu:.2f} ms CPU")


if __name__ == "__main__":
    main()
