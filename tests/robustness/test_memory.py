"""Long clips: memory stays flat (only the small per-frame report series grows, by design).

Measured with tracemalloc (Python allocations, which include NumPy arrays), so
no psutil is needed. A decoded 160x120 frame is 57,600 bytes and a 640x480 one
921,600; the bounds below are far under one frame per frame analysed.
"""

from __future__ import annotations

import dataclasses
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from robust_helpers import plain_frames, write_video

from factories import bridge_rep, profile, sequence
from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.exercises.loader import PatientConfig
from formcheck.types import Frame, PoseFrame

pytestmark = pytest.mark.slow

FPS = 30.0


def _cycle() -> list[PoseFrame]:
    """About 11 s of hand-built bridge reps, looped to make long sessions."""
    f = profile([*bridge_rep() * 2, (1.0, 125.0)], 125.0)
    return sequence(f, duration=f.duration)


def _peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("keep_series", [True, False])
def test_analyzer_memory_over_a_long_session(keep_series: bool) -> None:
    cycle = _cycle()
    spec = PatientConfig().exercise("bridge")

    def session(frames: int) -> Callable[[], object]:
        def run() -> object:
            analyzer = ExerciseAnalyzer(spec, keep_series=keep_series)
            for k in range(frames):
                pose = cycle[k % len(cycle)]
                analyzer.step(dataclasses.replace(pose, timestamp_s=k / FPS, index=k))
            return analyzer.finish()

        return run

    short, long = int(20 * FPS), int(180 * FPS)  # 20 s and 3 min
    growth = (_peak(session(long)) - _peak(session(short))) / (long - short)
    if keep_series:
        # Per frame: a time and one float per signal, in arrays and then in the result.
        assert growth < 1_000, f"{growth:.0f} bytes per frame"
    else:
        # ~40 bytes a frame, all of it the reps found (a rep every few seconds here,
        # each kept with its metrics): memory grows with reps, not with frames.
        assert growth < 200, f"{growth:.0f} bytes per frame"


class LoopedPoses:
    """A stand-in pose estimator: the hand-built cycle, timed like the frames."""

    model_id = "looped-test-poses"

    def __init__(self) -> None:
        self._cycle = _cycle()

    def estimate(self, frame: Frame) -> PoseFrame:
        pose = self._cycle[frame.index % len(self._cycle)]
        return dataclasses.replace(pose, timestamp_s=frame.timestamp_s, index=frame.index)

    def __enter__(self) -> LoopedPoses:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def test_decoding_and_analysing_a_long_video_keeps_memory_flat(tmp_path: Path) -> None:
    from formcheck.pipeline import analyze_clip

    def clip(name: str, frames: int) -> Path:
        images = plain_frames(1)[0]
        return write_video(tmp_path / name, (images for _ in range(frames)), FPS, "MJPG")

    def run(path: Path) -> Callable[[], object]:
        return lambda: analyze_clip(
            path, exercise="bridge", config=PatientConfig(), estimator_factory=LoopedPoses
        )

    short, long = 150, 1500
    growth = (_peak(run(clip("short.avi", short))) - _peak(run(clip("long.avi", long)))) * -1
    per_frame = growth / (long - short)
    assert per_frame < 1_500, f"{per_frame:.0f} bytes per frame (a frame is 57,600)"
