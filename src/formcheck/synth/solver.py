"""Floor contact: find the free angles and the body placement that put the chosen
surface points where the exercise needs them (feet planted, hands and knees down).

Each exercise supplies the fixed angles, the names of the free ones with their starting
values, and a residual function of the posed surface points; scipy's least_squares does
the rest. Solutions are cached per key frame, so a clip costs a few dozen solves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from formcheck.synth.anatomy import bone_rotations, posture
from formcheck.synth.avatar import Avatar
from formcheck.synth.kinematics import Posed
from formcheck.synth.points import SurfacePoints, posed_points

ROOT_KEYS = ("pitch", "roll", "tx", "ty", "tz")


@dataclass(frozen=True)
class BodyPose:
    """Everything that fixes one frame's pose: angles (degrees), placement, base posture."""

    angles: Mapping[str, float]
    base: str  # "supine" or "prone"

    def root(self) -> tuple[np.ndarray, np.ndarray]:
        a = self.angles
        r = posture(a.get("pitch", 0.0), a.get("roll", 0.0), self.base)
        return r, np.array([a.get("tx", 0.0), a.get("ty", 0.0), a.get("tz", 0.0)])

    def posed(self, avatar: Avatar) -> Posed:
        r, t = self.root()
        return avatar.pose(bone_rotations(self.angles), r, t)


Points = Callable[[str], np.ndarray]


def solve(
    avatar: Avatar,
    pts: SurfacePoints,
    pose: BodyPose,
    free: Mapping[str, float],
    residuals: Callable[[Points], list[float]],
    prior_weight: float = 0.002,
) -> BodyPose:
    """Adjust the ``free`` angles (name -> start value) to minimise ``residuals``.

    A weak prior pulls free joint angles towards their start values so the solution
    stays anatomical when contacts leave a degree of freedom open.
    """
    names = sorted(free)
    x0 = np.array([free[n] for n in names], dtype=float)
    prior = np.array([0.0 if n in ROOT_KEYS else prior_weight for n in names])

    def pose_of(x: np.ndarray) -> BodyPose:
        angles = dict(pose.angles)
        angles.update(zip(names, (float(v) for v in x), strict=True))
        return BodyPose(angles, pose.base)

    def fun(x: np.ndarray) -> np.ndarray:
        posed = pose_of(x).posed(avatar)
        p = posed_points(avatar, pts, posed)

        def point(name: str) -> np.ndarray:
            # "@bone" is a bone's posed head (a joint centre), anything else a surface point.
            if name.startswith("@"):
                return posed.heads[avatar.rig.index(name[1:])]
            return p[pts.index(name)]

        return np.concatenate([np.asarray(residuals(point), dtype=float), prior * (x - x0)])

    result = least_squares(fun, x0, method="trf", x_scale="jac", diff_step=1e-5)
    x = result.x.copy()
    for i, n in enumerate(names):
        if n in ("pitch", "roll"):
            # Keep whole-body angles in (-180, 180] so key poses interpolate the short way.
            x[i] = (x[i] + 180.0) % 360.0 - 180.0
    return pose_of(x)
