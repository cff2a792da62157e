"""The ground truth written beside each clip (``<stem>.truth.json``, schema formcheck.truth/1).

Angles are computed from the projected true landmarks with the analysis's own
``joint_angle``, so truth and measurement share one definition (image plane). Beside
them, ``anatomical_angles`` are the rig's true angles in the body's own planes, from the
true 3D joint centres, the same from any camera (:func:`anatomical_angles`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from formcheck.landmarks import Landmark, Side
from formcheck.signals.geometry import joint_angle
from formcheck.synth.timeline import Rep

SCHEMA = "formcheck.truth/1"

# name -> (a, b, c) landmark parts; the angle is at b.
ANGLES: dict[str, tuple[str, str, str]] = {
    "hip_angle": ("shoulder", "hip", "knee"),
    "knee_angle": ("hip", "knee", "ankle"),
    "shoulder_angle": ("hip", "shoulder", "wrist"),
    "elbow_angle": ("shoulder", "elbow", "wrist"),
}


def image_angles(xy: np.ndarray, near: Side) -> dict[str, np.ndarray]:
    """Per-frame angles from (n, 33, 2) pixel landmarks: left_*, right_* and near_*."""
    out: dict[str, np.ndarray] = {}
    for name, parts in ANGLES.items():
        for side in Side:
            a, b, c = (xy[:, Landmark.sided(p, side)] for p in parts)
            out[f"{side.value}_{name}"] = joint_angle(a, b, c)
        out[f"near_{name}"] = out[f"{near.value}_{name}"]
    for side in Side:
        sh, hip, kn = (xy[:, Landmark.sided(p, side)] for p in ("shoulder", "hip", "knee"))
        out[f"{side.value}_hip_angle_signed"] = _signed_hip(
            sh, hip, kn, out[f"{side.value}_hip_angle"]
        )
    out["near_hip_angle_signed"] = out[f"{near.value}_hip_angle_signed"]
    return out


def _mid(lm3: np.ndarray, part: str) -> np.ndarray:
    return (lm3[:, Landmark.sided(part, Side.LEFT)] + lm3[:, Landmark.sided(part, Side.RIGHT)]) / 2


def _unit(v: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return v / np.linalg.norm(v, axis=-1, keepdims=True)


def anatomical_angles(lm3: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame angles in the body's own planes from (n, 33, 3) world joint centres
    (Z up; the body's left is +X in its rest pose, its front -Y):

    - ``hip_angle_3d``: shoulder-hip-knee at the mid-hip in the sagittal plane (the plane
      across the hip axis): 180 straight, less as the thighs flex to the front, past 180
      as they extend behind the trunk line (as the analysis's ``sagittal_angle`` signals);
    - ``{left,right}_hip_angle_3d``: the same from one side's own shoulder, hip and knee
      (one leg raised alone, as in a bird-dog);
    - ``{left,right}_knee_angle_3d``: hip-knee-ankle, 180 straight (the knee is a hinge,
      so its 3D angle is its flexion's complement);
    - ``trunk_roll``: how far the hip line and the shoulder line tilt out of level, mean
      of both, degrees, positive with the body's left side up.
    """
    hip_l, hip_r = (lm3[:, Landmark.sided("hip", s)] for s in (Side.LEFT, Side.RIGHT))
    axis = _unit(hip_l - hip_r)  # to the body's left

    def in_plane(v: np.ndarray) -> np.ndarray:
        return v - np.sum(v * axis, axis=-1, keepdims=True) * axis

    def hip_angle(shoulder: np.ndarray, hip: np.ndarray, knee: np.ndarray) -> np.ndarray:
        up = _unit(in_plane(shoulder - hip))
        down = in_plane(knee - hip)
        front = np.cross(axis, up)  # left x up: the body's front
        flexion = np.degrees(np.arctan2(np.sum(down * front, axis=-1), -np.sum(down * up, axis=-1)))
        return 180.0 - flexion

    out = {"hip_angle_3d": hip_angle(_mid(lm3, "shoulder"), _mid(lm3, "hip"), _mid(lm3, "knee"))}
    for side in Side:
        sh, hp, kn = (lm3[:, Landmark.sided(p, side)] for p in ("shoulder", "hip", "knee"))
        out[f"{side.value}_hip_angle_3d"] = hip_angle(sh, hp, kn)
    for side in Side:
        a, b, c = (lm3[:, Landmark.sided(p, side)] for p in ("hip", "knee", "ankle"))
        u, w = _unit(a - b), _unit(c - b)
        cos = np.clip(np.sum(u * w, axis=-1), -1.0, 1.0)
        out[f"{side.value}_knee_angle_3d"] = np.degrees(np.arccos(cos))
    rolls = []
    for part in ("hip", "shoulder"):
        left, right = (lm3[:, Landmark.sided(part, s)] for s in (Side.LEFT, Side.RIGHT))
        v = _unit(left - right)
        rolls.append(np.degrees(np.arcsin(np.clip(v[:, 2], -1.0, 1.0))))
    out["trunk_roll"] = (rolls[0] + rolls[1]) / 2
    return out


def _signed_hip(sh: np.ndarray, hip: np.ndarray, knee: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Hip angle in [0, 360): past 180 when the hip is above (image up) the shoulder-knee
    line, as in an over-arched bridge. Meant for the lying exercises."""
    dx = knee[:, 0] - sh[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (hip[:, 0] - sh[:, 0]) / dx
    y_line = sh[:, 1] + t * (knee[:, 1] - sh[:, 1])
    above = hip[:, 1] < y_line
    return np.where(np.abs(dx) > 1e-6, np.where(above, 360.0 - angle, angle), np.nan)


@dataclass(frozen=True)
class FaultSpan:
    id: str
    start_s: float
    end_s: float
    start_frame: int
    end_frame: int


@dataclass(frozen=True)
class Truth:
    exercise: str
    fault: str | None
    seed: int
    fps: float
    width: int
    height: int
    camera: dict[str, float]
    near_side: str
    landmarks_2d: np.ndarray  # (n, 33, 2) pixels, pixel centres at integer coordinates
    landmarks_3d: np.ndarray  # (n, 33, 3) metres, world (Z up, floor at z = 0)
    reps: tuple[Rep, ...]
    faults: tuple[FaultSpan, ...]
    extra: dict[str, object]

    @property
    def frame_count(self) -> int:
        return int(self.landmarks_2d.shape[0])

    @property
    def angles(self) -> dict[str, np.ndarray]:
        return image_angles(self.landmarks_2d, Side(self.near_side))

    @property
    def anatomical(self) -> dict[str, np.ndarray]:
        return anatomical_angles(self.landmarks_3d)

    def to_json(self) -> dict[str, object]:
        def rows(a: np.ndarray, nd: int) -> list:
            r = np.round(a, nd)
            return [[None if np.isnan(p).any() else p.tolist() for p in f] for f in r]

        return {
            "schema": SCHEMA,
            "exercise": self.exercise,
            "fault": self.fault,
            "seed": self.seed,
            "fps": self.fps,
            "width": self.width,
            "height": self.height,
            "frame_count": self.frame_count,
            "camera": self.camera,
            "near_side": self.near_side,
            # 0.1 px, 1 mm and 0.1 degree keep the sample files small and are far below
            # any detector's error.
            "landmarks_2d": rows(self.landmarks_2d, 1),
            "landmarks_3d": rows(self.landmarks_3d, 3),
            "angles": {k: _nan_list(np.round(v, 1)) for k, v in self.angles.items()},
            "anatomical_angles": {k: _nan_list(np.round(v, 1)) for k, v in self.anatomical.items()},
            "reps": [_rep_json(r) for r in self.reps],
            "faults": [asdict(f) for f in self.faults],
            **self.extra,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n")


def _nan_list(a: np.ndarray) -> list[float | None]:
    return [None if np.isnan(x) else float(x) for x in a]


def _rep_json(rep: Rep) -> dict[str, object]:
    d = asdict(rep)
    d["faults"] = list(rep.faults)
    for k, v in d.items():
        if isinstance(v, float):
            d[k] = round(v, 4)
    return d


def truth_path(video: Path) -> Path:
    """``clip.mp4`` -> ``clip.truth.json``."""
    return video.with_name(video.stem + ".truth.json")
