"""Fast checks of the synthetic-clip building blocks (no video, no MediaPipe)."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from formcheck.landmarks import Landmark
from formcheck.synth import ClipSpec, plan_clip
from formcheck.synth.camera import Camera
from formcheck.synth.groundtruth import SCHEMA
from formcheck.synth.mesh import load_base_mesh
from formcheck.synth.raster import rasterize
from formcheck.synth.rig import build_rig
from formcheck.synth.timeline import Timeline


def test_assets_carry_their_cc0_licence() -> None:
    text = resources.files("formcheck.synth.assets").joinpath("LICENSE.md").read_text()
    assert "CC0" in text


def test_rig_joints_come_from_the_mesh_and_sit_inside_it() -> None:
    mesh = load_base_mesh()
    rig = build_rig(mesh, mesh.vertices)
    body = mesh.vertices[: mesh.body_count]
    lo, hi = body.min(axis=0), body.max(axis=0)
    for name in ("thigh_l", "calf_l", "foot_l", "upperarm_l", "lowerarm_l", "hand_l"):
        head = rig.heads[rig.index(name)]
        assert np.all(head > lo) and np.all(head < hi), name
        assert head[0] > 0.0, f"{name}: the body's left is +X"
    # Knee below hip, ankle below knee (standing rest pose, Z up).
    z = {n: rig.heads[rig.index(n)][2] for n in ("thigh_l", "calf_l", "foot_l")}
    assert z["thigh_l"] > z["calf_l"] > z["foot_l"]
    assert np.allclose(rig.weights[: mesh.body_count].sum(axis=1), 1.0, atol=1e-4)


def test_rasteriser_covers_a_triangle_with_consistent_barycentrics() -> None:
    xy = np.array([[10.0, 10.0], [50.0, 10.0], [10.0, 50.0]])
    depth = np.array([1.0, 2.0, 3.0])
    frags = rasterize(xy, depth, np.array([[0, 1, 2]]), 64, 64)
    # Pixel centres are integer points; edges count as inside: x, y >= 10, x + y <= 60.
    assert len(frags.pixel) == 41 * 42 // 2
    assert np.allclose(frags.bary.sum(axis=1), 1.0)
    px, py = frags.pixel % 64, frags.pixel // 64
    rebuilt = frags.bary @ xy
    assert np.allclose(rebuilt, np.stack([px, py], axis=1))


def test_nearer_triangle_wins_the_depth_test() -> None:
    xy = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0]] * 2)
    depth = np.array([5.0, 5.0, 5.0, 2.0, 2.0, 2.0])
    frags = rasterize(xy, depth, np.array([[0, 1, 2], [3, 4, 5]]), 32, 32)
    assert set(frags.triangle.tolist()) == {1}


def test_camera_projects_its_target_to_the_image_centre() -> None:
    target = np.array([0.2, -0.3, 0.25])
    cam = Camera.look_at(target, 20.0, 15.0, 2.5, "right", 640, 480)
    xy, z = cam.project(target[None])
    assert np.allclose(xy[0], [319.5, 239.5]) and abs(z[0] - 2.5) < 1e-9
    assert cam.position[0] < target[0]  # the right side of the body is -X


def test_timeline_changes_variant_only_at_rest() -> None:
    tl = Timeline()
    tl.move(1.0, 1.0, "a")
    with pytest.raises(ValueError):
        tl.move(0.0, 1.0, "b")
    tl.move(0.0, 1.0)
    tl.move(1.0, 1.0, "b")
    variants, levels = tl.sample(10)
    assert len(levels) == 30 and variants[0] == "a" and variants[-1] == "b"
    assert levels.min() >= 0.0 and levels.max() <= 1.0


def test_truth_has_the_documented_shape() -> None:
    clip = plan_clip(ClipSpec("bridge", reps=2, fps=5, seed=7, fault="sagging_hips",
                              fault_reps=(2,)))  # fmt: skip
    doc = clip.truth.to_json()
    assert doc["schema"] == SCHEMA
    n = doc["frame_count"]
    assert n == len(clip.poses) and len(doc["landmarks_2d"]) == n
    assert len(doc["landmarks_2d"][0]) == len(Landmark) and len(doc["landmarks_3d"][0][0]) == 3
    for key in ("hip_angle", "knee_angle", "shoulder_angle", "elbow_angle"):
        for prefix in ("left", "right", "near"):
            assert len(doc["angles"][f"{prefix}_{key}"]) == n
    assert [r["index"] for r in doc["reps"]] == [1, 2]
    assert doc["reps"][0]["faults"] == [] and doc["reps"][1]["faults"] == ["sagging_hips"]
    (fault,) = doc["faults"]
    assert fault["id"] == "sagging_hips"
    assert fault["start_s"] == pytest.approx(doc["reps"][1]["start_s"], abs=1e-3)
    assert 0 <= fault["start_frame"] < fault["end_frame"] < n
    assert doc["near_side"] in ("left", "right")
    assert set(doc["camera"]) >= {"azimuth_deg", "elevation_deg", "distance_m"}


def test_unknown_fault_is_refused() -> None:
    with pytest.raises(ValueError, match="no fault"):
        plan_clip(ClipSpec("bridge", fault="same_side"))
