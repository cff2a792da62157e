"""Which body side is nearer the camera, decided with memory so it does not flicker."""

from __future__ import annotations

import numpy as np

from formcheck.landmarks import Landmark, Side
from formcheck.types import PoseFrame

_LEFT = [Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE]
_RIGHT = [Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE]


def near_side_evidence(pose: PoseFrame) -> float:
    """Positive when the left side looks nearer, negative for the right; 0 if unknown.

    Combines visibility (the far side is occluded) and MediaPipe's relative
    depth (smaller z is nearer). Visibility alone fails in oblique views where
    both sides are visible; depth alone is noisy.
    """
    if pose.xy is None:
        return 0.0
    vis = pose.visibility_or_ones()
    evidence = float(np.mean(vis[_LEFT]) - np.mean(vis[_RIGHT]))
    if pose.z is not None:
        dz = float(np.mean(pose.z[_RIGHT]) - np.mean(pose.z[_LEFT]))
        width = max(pose.image_size[0], 1)
        evidence += float(np.clip(dz / (0.1 * width), -1.0, 1.0))
    return evidence


class NearSideTracker:
    """Decides the near side from an exponential average of the evidence.

    ``switch_margin`` is the hysteresis: the decision changes only when the
    averaged evidence clearly favours the other side, so a few frames of a
    raised far leg (which becomes visible) do not flip it.
    """

    def __init__(self, time_constant_s: float = 2.0, switch_margin: float = 0.3) -> None:
        self.time_constant_s = time_constant_s
        self.switch_margin = switch_margin
        self.reset()

    def reset(self) -> None:
        self._avg = 0.0
        self._t: float | None = None
        self.side = Side.LEFT
        self.decided = False

    def update(self, pose: PoseFrame) -> Side:
        if pose.xy is None:
            return self.side
        e = near_side_evidence(pose)
        t = pose.timestamp_s
        if self._t is None:
            self._avg = e
        else:
            dt = max(t - self._t, 1e-3)
            a = 1.0 - np.exp(-dt / self.time_constant_s)
            self._avg += float(a) * (e - self._avg)
        self._t = t
        if not self.decided:
            self.side = Side.LEFT if self._avg >= 0 else Side.RIGHT
            self.decided = True
        elif self.side is Side.LEFT and self._avg < -self.switch_margin:
            self.side = Side.RIGHT
        elif self.side is Side.RIGHT and self._avg > self.switch_margin:
            self.side = Side.LEFT
        return self.side
