"""Landmark conditioning: visibility gating, short-gap filling and One Euro smoothing."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS
from formcheck.signals.one_euro import OneEuroFilter
from formcheck.types import PoseFrame


@dataclass(frozen=True)
class SmoothingConfig:
    """Parameters of the landmark conditioning.

    The One Euro defaults were chosen on real floor clips: at rest the
    cut-off of 1.5 Hz removes the landmark flicker that makes a naive counter
    see 18 reps for 6; beta keeps the lag during a brisk bridge under ~60 ms.
    """

    min_cutoff_hz: float = 1.5
    beta: float = 0.02
    d_cutoff_hz: float = 1.0
    min_visibility: float = 0.5
    max_gap_s: float = 0.5  # hold a landmark's last position through gaps this short

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_visibility <= 1.0:
            raise ValueError(f"min_visibility must be in [0, 1], got {self.min_visibility}")
        if self.max_gap_s < 0:
            raise ValueError(f"max_gap_s must be >= 0, got {self.max_gap_s}")


class LandmarkSmoother:
    """Streams :class:`PoseFrame` objects through gating, gap filling and filtering.

    Landmarks below ``min_visibility`` are dropped; a dropped landmark keeps
    its last good position (with its old visibility decaying to 0) for up to
    ``max_gap_s`` seconds, so one missed frame does not break a rep. After
    that it is missing (visibility 0) until seen again.
    """

    def __init__(self, config: SmoothingConfig | None = None) -> None:
        self.config = config or SmoothingConfig()
        self._filter = OneEuroFilter(
            self.config.min_cutoff_hz, self.config.beta, self.config.d_cutoff_hz
        )
        self.reset()

    def reset(self) -> None:
        self._filter.reset()
        self._last_xy = np.full((NUM_LANDMARKS, 2), np.nan)
        self._last_vis = np.zeros(NUM_LANDMARKS)
        self._last_seen = np.full(NUM_LANDMARKS, -np.inf)

    def update(self, pose: PoseFrame) -> PoseFrame:
        """Return the conditioned pose for this frame (xy None when nothing is usable)."""
        t = pose.timestamp_s
        cfg = self.config
        if pose.xy is not None:
            vis = pose.visibility_or_ones()
            good = vis >= cfg.min_visibility
            self._last_xy[good] = pose.xy[good]
            self._last_vis[good] = vis[good]
            self._last_seen[good] = t
        recent = (t - self._last_seen) <= cfg.max_gap_s
        if not recent.any():
            self._filter.reset()
            return replace(pose, xy=None, z=None, visibility=None, world=None)
        raw = np.where(recent[:, None], self._last_xy, np.nan)
        smoothed = self._filter(raw, t)
        vis_out = np.where(recent, self._last_vis, 0.0)
        if pose.xy is not None:
            # Landmarks seen this frame keep their own visibility; gap-filled ones
            # keep the last good value so downstream gates still pass briefly.
            vis_now = pose.visibility_or_ones()
            vis_out = np.where(vis_now >= cfg.min_visibility, vis_now, vis_out)
        return replace(
            pose,
            xy=np.nan_to_num(smoothed, nan=-1.0),
            visibility=np.where(np.isnan(smoothed[:, 0]), 0.0, vis_out),
        )
