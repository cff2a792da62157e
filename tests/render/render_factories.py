"""Hand-built poses, frames and analyses for the annotator tests."""

from __future__ import annotations

import numpy as np

from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase
from formcheck.landmarks import NUM_LANDMARKS, Landmark
from formcheck.types import PoseFrame

# A person standing side-on, facing right, left side nearest the camera, in
# units of a 480-pixel-tall frame (x, y). Far-side points sit slightly behind.
_STANDING: dict[Landmark, tuple[float, float]] = {
    Landmark.NOSE: (338, 78),
    Landmark.LEFT_EYE_INNER: (333, 70),
    Landmark.LEFT_EYE: (330, 70),
    Landmark.LEFT_EYE_OUTER: (326, 70),
    Landmark.RIGHT_EYE_INNER: (336, 70),
    Landmark.RIGHT_EYE: (334, 70),
    Landmark.RIGHT_EYE_OUTER: (332, 70),
    Landmark.LEFT_EAR: (316, 74),
    Landmark.RIGHT_EAR: (322, 73),
    Landmark.MOUTH_LEFT: (333, 90),
    Landmark.MOUTH_RIGHT: (337, 90),
    Landmark.LEFT_SHOULDER: (315, 125),
    Landmark.RIGHT_SHOULDER: (325, 122),
    Landmark.LEFT_ELBOW: (318, 185),
    Landmark.RIGHT_ELBOW: (328, 182),
    Landmark.LEFT_WRIST: (330, 240),
    Landmark.RIGHT_WRIST: (338, 236),
    Landmark.LEFT_PINKY: (333, 252),
    Landmark.RIGHT_PINKY: (340, 248),
    Landmark.LEFT_INDEX: (336, 254),
    Landmark.RIGHT_INDEX: (343, 250),
    Landmark.LEFT_THUMB: (334, 248),
    Landmark.RIGHT_THUMB: (341, 244),
    Landmark.LEFT_HIP: (310, 250),
    Landmark.RIGHT_HIP: (318, 248),
    Landmark.LEFT_KNEE: (330, 340),
    Landmark.RIGHT_KNEE: (336, 338),
    Landmark.LEFT_ANKLE: (312, 430),
    Landmark.RIGHT_ANKLE: (320, 428),
    Landmark.LEFT_HEEL: (302, 440),
    Landmark.RIGHT_HEEL: (310, 438),
    Landmark.LEFT_FOOT_INDEX: (340, 444),
    Landmark.RIGHT_FOOT_INDEX: (348, 442),
}


def standing_xy(width: int = 640, height: int = 480) -> np.ndarray:
    """``(33, 2)`` pixel positions of the standing person, scaled to the frame."""
    xy = np.zeros((NUM_LANDMARKS, 2), dtype=np.float64)
    s = height / 480.0
    for lm, (x, y) in _STANDING.items():
        xy[lm] = (x * s + (width - 640 * s) / 2, y * s)
    return xy


def make_pose(
    t: float = 0.0,
    width: int = 640,
    height: int = 480,
    *,
    detected: bool = True,
    visibility: float | np.ndarray = 0.95,
    xy: np.ndarray | None = None,
) -> PoseFrame:
    if not detected:
        return PoseFrame(timestamp_s=t, index=round(t * 30), image_size=(width, height))
    vis = np.broadcast_to(np.asarray(visibility, dtype=np.float32), (NUM_LANDMARKS,)).copy()
    return PoseFrame(
        timestamp_s=t,
        index=round(t * 30),
        image_size=(width, height),
        xy=standing_xy(width, height) if xy is None else xy,
        visibility=vis,
    )


def make_analysis(
    t: float = 0.0,
    width: int = 640,
    height: int = 480,
    *,
    pose: PoseFrame | None = None,
    signal: str = "left_knee_angle",
    value: float = 172.0,
    phase: Phase = Phase.RISING,
    rep_count: int = 3,
    hold_s: float | None = None,
    hold_target_s: float | None = None,
    cue: str | None = None,
    faults: tuple[str, ...] = (),
    status: FrameStatus = FrameStatus.OK,
    status_message: str = "",
    near_side: str | None = "left",
    thresholds: dict[str, float] | None = None,
) -> FrameAnalysis:
    return FrameAnalysis(
        pose=pose if pose is not None else make_pose(t, width, height),
        signals={signal: value},
        primary_signal=signal,
        phase=phase,
        rep_count=rep_count,
        hold_s=hold_s,
        hold_target_s=hold_target_s,
        cue=cue,
        active_faults=faults,
        status=status,
        status_message=status_message,
        near_side=near_side,
        thresholds=thresholds if thresholds is not None else {},
    )


def textured_frame(width: int = 640, height: int = 480, seed: int = 0) -> np.ndarray:
    """A busy, high-frequency picture (so blur and drawing are easy to measure)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)


def plain_frame(width: int = 640, height: int = 480, value: int = 90) -> np.ndarray:
    return np.full((height, width, 3), value, dtype=np.uint8)
