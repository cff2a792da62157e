"""The ground truth written beside each clip (``<stem>.truth.json``, schema formcheck.truth/1).

Angles are computed from the projected true landmarks with the analysis's own
``joint_angle``, so truth and measurement share one definition (image plane).
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
