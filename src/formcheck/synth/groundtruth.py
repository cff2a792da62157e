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
    return out


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
            "landmarks_2d": rows(self.landmarks_2d, 2),
            "landmarks_3d": rows(self.landmarks_3d, 4),
            "angles": {k: np.round(v, 2).tolist() for k, v in self.angles.items()},
            "reps": [_rep_json(r) for r in self.reps],
            "faults": [asdict(f) for f in self.faults],
            **self.extra,
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n")


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
