"""Helpers for the live tests: analyses, fake sources and a pose estimator that replays poses."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase
from formcheck.sources.base import FrameSource
from formcheck.types import Frame, PoseFrame, VideoInfo

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)


def analysis(
    *,
    phase: Phase = Phase.REST,
    rep_count: int = 0,
    cue: str | None = None,
    faults: tuple[str, ...] = (),
    status: FrameStatus = FrameStatus.OK,
    status_message: str = "",
    t: float = 0.0,
) -> FrameAnalysis:
    return FrameAnalysis(
        pose=PoseFrame(timestamp_s=t, index=0, image_size=(640, 480)),
        signals={"hip_angle": 130.0},
        primary_signal="hip_angle",
        phase=phase,
        rep_count=rep_count,
        cue=cue,
        active_faults=faults,
        status=status,
        status_message=status_message,
    )


class ListSource(FrameSource):
    """Grey frames at ``fps``; optionally raises after the last one (a camera unplugged)."""

    def __init__(
        self, n: int, fps: float = 30.0, *, fail: BaseException | None = None, live: bool = False
    ) -> None:
        super().__init__(
            VideoInfo(640, 480, fps, None if live else n, source="camera 0" if live else "fake")
        )
        self.n, self.fps, self.fail = n, fps, fail
        self.closed = False

    def __iter__(self) -> Iterator[Frame]:
        for i in range(self.n):
            yield Frame(np.full((480, 640, 3), 90, np.uint8), i / self.fps, i)
        if self.fail is not None:
            raise self.fail

    def close(self) -> None:
        self.closed = True


class ReplayEstimator:
    """Returns pre-built poses by frame index (no MediaPipe), timed like the frame."""

    model_id = "replay"

    def __init__(self, poses: Sequence[PoseFrame]) -> None:
        self.poses = list(poses)

    def estimate(self, frame: Frame) -> PoseFrame:
        p = self.poses[min(frame.index, len(self.poses) - 1)]
        return PoseFrame(frame.timestamp_s, frame.index, p.image_size, p.xy, p.z, p.visibility)

    def close(self) -> None:
        pass

    def __enter__(self) -> ReplayEstimator:
        return self

    def __exit__(self, *exc: object) -> None:
        pass
