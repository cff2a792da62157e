"""How close can a camera get to the body's own hip angle? Rendered clips, by view.

Usage::

    .venv/bin/python scripts/angle_floor.py OUT_DIR [--exercise bridge] [--seed 1]
        [--azimuths 0 25 45 60] [--elevations 5 30]

Renders one clip of the avatar per view (``formcheck synth``), runs the pose model on it
(``formcheck analyze --save-poses``), then compares four readings of the shoulder-hip-knee
angle (of the left/right midpoints) with the rig's anatomical truth, frame by frame
(median |error|, degrees):

* ``picture``: the angle of the same midpoints in the picture;
* ``3D``: the definitions' ``sagittal_angle`` (the model's world landmarks projected onto
  the plane across the hip axis), measured by the code that counts;
* ``unprojected``: the picture's vectors lifted back into the body's plane, the plane's
  orientation taken from the model's hip axis (a vector (dx, dy) in the picture of a
  vector in a plane with normal n is (dx, dy, -(n_x dx + n_y dy) / n_z));
* ``best plane``: the same with the plane that fits the truth best (searched), on the
  model's picture landmarks and on the rig's own joint centres: the floor of any method
  that reads the angle from the picture's landmarks.

Re-running skips clips already rendered and analysed. docs/accuracy.md, round 14, has the
figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from formcheck.exercises.schema import SignalSpec
from formcheck.landmarks import Landmark, Side
from formcheck.pose.recording import PoseRecording
from formcheck.signals.measure import measure

SAGITTAL = {"hip": SignalSpec(kind="sagittal_angle", points=("shoulder", "hip", "knee"))}

PAIRS = {
    "shoulder": (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    "hip": (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    "knee": (Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE),
}


def _angle(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    cos = np.sum(u * v, -1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def _mid(points: np.ndarray, part: str) -> np.ndarray:
    left, right = PAIRS[part]
    return (points[:, left] + points[:, right]) / 2.0


def _lift(v: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Picture vectors (T, 2) of vectors in the plane with unit normal ``n`` (T, 3), in 3D."""
    return np.stack([v[:, 0], v[:, 1], -(n[:, 0] * v[:, 0] + n[:, 1] * v[:, 1]) / n[:, 2]], 1)


def _error(got: np.ndarray, truth: np.ndarray) -> float:
    ok = ~np.isnan(got) & ~np.isnan(truth)
    return float(np.median(np.abs(got[ok] - truth[ok]))) if ok.any() else float("nan")


def _best_plane(up: np.ndarray, down: np.ndarray, truth: np.ndarray) -> float:
    best = float("inf")
    for tilt in np.radians(np.arange(0.0, 80.0, 2.0)):
        for turn in np.radians(np.arange(0.0, 360.0, 5.0)):
            n = np.array([np.sin(tilt) * np.cos(turn), np.sin(tilt) * np.sin(turn), np.cos(tilt)])
            normal = np.tile(n, (len(up), 1))
            best = min(best, _error(_angle(_lift(up, normal), _lift(down, normal)), truth))
    return best


def readings(stem: Path) -> dict[str, float]:
    rec = PoseRecording.load(stem.with_suffix(".npz"))
    truth_file = json.loads(stem.with_suffix(".truth.json").read_text())
    truth = np.asarray(truth_file["anatomical_angles"]["hip_angle_3d"], float)[rec.indices]
    rig = np.asarray(truth_file["landmarks_2d"], float)[rec.indices]
    xy, world = rec.xy.astype(float), rec.world.astype(float)
    s, h, k = (_mid(xy, p) for p in ("shoulder", "hip", "knee"))
    axis = world[:, Landmark.LEFT_HIP] - world[:, Landmark.RIGHT_HIP]
    axis /= np.linalg.norm(axis, axis=1, keepdims=True)
    height = int(rec.image_sizes[0][1])
    sagittal = np.array(
        [
            measure(SAGITTAL, xy[i], rec.visibility[i], Side.LEFT, height, world[i])[0]["hip"]
            for i in range(len(xy))
        ]
    )
    rs, rh, rk = (_mid(rig, p) for p in ("shoulder", "hip", "knee"))
    return {
        "facing": float(np.nanmedian(np.abs(axis[:, 2]))),
        "picture": _error(_angle(s - h, k - h), truth),
        "3D": _error(sagittal, truth),
        "unprojected": _error(_angle(_lift(s - h, axis), _lift(k - h, axis)), truth),
        "best plane": _best_plane(s - h, k - h, truth),
        "best plane, rig": _best_plane(rs - rh, rk - rh, truth),
    }


def _formcheck(*args: str) -> None:
    """Run the formcheck CLI; on failure, exit with its own one-line error."""
    cli = str(Path(sys.executable).with_name("formcheck"))
    done = subprocess.run([cli, *args], capture_output=True, text=True)
    if done.returncode != 0:
        # The CLI's own message: a usage error's boxed lines joined, or its last line.
        text = (done.stderr or done.stdout).splitlines()
        boxed = [ln.strip("│ ") for ln in text if ln.startswith("│")]
        said = " ".join(boxed) or next((ln for ln in reversed(text) if ln.strip()), "failed")
        sys.exit(f"formcheck {args[0]}: {' '.join(said.split())}")


def _make(out: Path, exercise: str, azimuth: float, elevation: float, seed: int) -> Path:
    stem = out / f"{exercise}-az{azimuth:g}-el{elevation:g}-s{seed}"
    if not stem.with_suffix(".truth.json").exists():
        view = ["--azimuth", str(azimuth), "--elevation", str(elevation), "--seed", str(seed)]
        _formcheck("synth", exercise, "-o", str(stem.with_suffix(".mp4")), *view)
    if not stem.with_suffix(".npz").exists():
        poses = ["--stride", "1", "--save-poses", str(stem.with_suffix(".npz"))]
        _formcheck("analyze", str(stem.with_suffix(".mp4")), "--exercise", exercise, "-q", *poses)
    return stem


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--exercise", default="bridge")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--azimuths", type=float, nargs="+", default=[0, 25, 45, 60])
    parser.add_argument("--elevations", type=float, nargs="+", default=[5, 30])
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    columns = ["facing", "picture", "3D", "unprojected", "best plane", "best plane, rig"]
    print("| view (off side-on / up) | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for azimuth in args.azimuths:
        for elevation in args.elevations:
            stem = _make(args.out, args.exercise, azimuth, elevation, args.seed)
            got = readings(stem)
            cells = " | ".join(f"{got[c]:.{2 if c == 'facing' else 1}f}" for c in columns)
            print(f"| {azimuth:g} / {elevation:g} | {cells} |")


if __name__ == "__main__":
    main()
