"""The truth's anatomical angles (body's own planes, from the rig's 3D joint centres) and
the eval's angle error by camera view."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from formcheck.eval.labels import load_truth
from formcheck.eval.metrics import ClipScore, by_view
from formcheck.landmarks import Landmark, Side
from formcheck.synth import ClipSpec, plan_clip
from formcheck.synth.groundtruth import anatomical_angles, truth_path


def _body(thigh_deg: float, knee_deg: float = 90.0, hike_m: float = 0.0) -> np.ndarray:
    """Standing-frame joint centres (Z up, left +X, front -Y): trunk straight up from the
    hips, thighs swung forward by ``thigh_deg`` (negative: behind), shins bent so the knee
    reads ``knee_deg``; the left hip and shoulder ``hike_m`` higher than the right."""
    lm = np.zeros((1, 33, 3))
    th = np.radians(thigh_deg)
    thigh = np.array([0.0, -np.sin(th), -np.cos(th)]) * 0.45
    # The shin turns back from the thigh's line by 180 - knee_deg, in the sagittal plane.
    bend = np.radians(180.0 - knee_deg)
    rot = np.array([[1, 0, 0], [0, np.cos(bend), -np.sin(bend)], [0, np.sin(bend), np.cos(bend)]])
    shin = rot @ (thigh / 0.45) * 0.42
    for side, x in ((Side.LEFT, 0.1), (Side.RIGHT, -0.1)):
        dz = hike_m if side is Side.LEFT else 0.0
        hip = np.array([x, 0.0, 1.0 + dz])
        lm[0, Landmark.sided("hip", side)] = hip
        lm[0, Landmark.sided("shoulder", side)] = hip + np.array([0.05 * np.sign(x), 0.0, 0.5])
        lm[0, Landmark.sided("knee", side)] = hip + thigh
        lm[0, Landmark.sided("ankle", side)] = hip + thigh + shin
    return lm


def _turned(lm: np.ndarray, yaw: float, pitch: float) -> np.ndarray:
    a, b = np.radians(yaw), np.radians(pitch)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    return lm @ (rx @ rz).T + [0.3, -1.0, 0.2]


@pytest.mark.parametrize(("thigh", "hip"), [(0.0, 180.0), (90.0, 90.0), (-20.0, 200.0)])
def test_hip_angle_is_the_sagittal_angle_whatever_the_body_orientation(thigh, hip):
    for yaw, pitch in ((0, 0), (37, 0), (120, -90), (-60, 25)):
        a = anatomical_angles(_turned(_body(thigh), yaw, pitch))
        assert a["hip_angle_3d"][0] == pytest.approx(hip, abs=1e-6)


def test_knee_angle_and_trunk_roll():
    a = anatomical_angles(_body(45.0, knee_deg=110.0, hike_m=0.05))
    assert a["left_knee_angle_3d"][0] == pytest.approx(110.0, abs=1e-6)
    # Hips 0.2 m apart, left 5 cm up: asin(0.05 / |(0.2, 0, 0.05)|) = 14.0 deg; the
    # shoulders (0.3 m apart) the same 5 cm: 9.5 deg; the trunk's roll is the mean.
    assert a["trunk_roll"][0] == pytest.approx((14.04 + 9.46) / 2, abs=0.05)


def test_truth_json_carries_anatomical_angles_and_old_truth_gets_them_from_3d(tmp_path: Path):
    clip = plan_clip(ClipSpec("bridge", reps=1, seed=2, fps=5))
    video = tmp_path / "c.mp4"
    video.write_bytes(b"")
    clip.truth.write(truth_path(video))
    data = json.loads(truth_path(video).read_text())
    hip = np.asarray(data["anatomical_angles"]["hip_angle_3d"], float)
    assert 125 < hip.min() < 145 and 170 < hip.max() < 185  # lying, then a straight line
    new = load_truth(truth_path(video)).anatomical["hip_angle_3d"]
    del data["anatomical_angles"]
    truth_path(video).write_text(json.dumps(data))
    old = load_truth(truth_path(video)).anatomical["hip_angle_3d"]
    assert old == pytest.approx(new, abs=0.3)  # the file keeps 1 mm and 0.1 deg


def _score(az: float, el: float, e3: float, ei: float) -> ClipScore:
    s = ClipScore("c", "bridge", "synthetic", 1, 1, True, 1.0)
    s.azimuth_deg, s.elevation_deg = az, el
    s.anatomical_errors, s.image_anatomical_errors = {"hip_angle_3d": e3}, {"hip_angle": ei}
    return s


def test_errors_by_view_band_use_the_azimuth_either_way_and_close_the_last_band():
    scores = [_score(-10, 5, 2.0, 9.0), _score(12, 20, 4.0, 11.0), _score(-60, 45, 7.0, 30.0)]
    az = {band: (n, d3, im) for band, n, d3, im in by_view(scores, "azimuth")}
    assert az == {(0.0, 15.0): (2, 3.0, 10.0), (45.0, 60.0): (1, 7.0, 30.0)}
    el = {band: n for band, n, _, _ in by_view(scores, "elevation")}
    assert el == {(0.0, 15.0): 1, (15.0, 30.0): 1, (30.0, 45.0): 1}
