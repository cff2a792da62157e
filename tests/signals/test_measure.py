"""The factories' poses measure back to the angles they were built from."""

from __future__ import annotations

import math

import numpy as np
import pytest

from factories import kneeling_pose, supine_pose, tabletop_pose, visibility
from formcheck.exercises.loader import builtin
from formcheck.landmarks import NUM_LANDMARKS, Landmark, Side
from formcheck.signals.measure import measure
from formcheck.signals.view import check_frame, plane_facing


def values(exercise, xy, near="left"):
    spec = builtin(exercise)
    return measure(spec.signals, xy, visibility(near), Side(near), 480)


@pytest.mark.parametrize("near", ["left", "right"])
@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize("angle", [120.0, 142.0, 165.0, 180.0, 195.0])
def test_supine_hip_angle(angle, near, mirror):
    v, _ = values("bridge", supine_pose(angle, near=near, mirror=mirror), near)
    assert v["hip_angle"] == pytest.approx(angle, abs=1e-6)


def test_supine_heel_lift_and_torso_tilt():
    v0, _ = values("bridge", supine_pose(130.0))
    v1, _ = values("bridge", supine_pose(130.0, heel_lift=0.3))
    # The factory lifts the heel, the toes stay on the floor: the heel rises above its toes.
    assert v1["heel_lift"] - v0["heel_lift"] == pytest.approx(0.3, abs=1e-6)
    p0, _ = values("pelvic_tilt", supine_pose(135.0, torso_tilt_deg=0.0))
    p1, _ = values("pelvic_tilt", supine_pose(135.0, torso_tilt_deg=30.0))
    assert p1["hip_elevation"] - p0["hip_elevation"] == pytest.approx(0.5, abs=1e-6)


def test_tabletop_signals():
    v, winners = values("bird_dog", tabletop_pose(95.0, 185.0, 170.0, 80.0))
    assert v["leg_extension_left"] == pytest.approx(95.0)
    assert v["leg_extension_right"] == pytest.approx(185.0)
    assert v["arm_raise_left"] == pytest.approx(170.0)
    assert v["arm_raise_right"] == pytest.approx(80.0)
    assert v["arm_max"] == pytest.approx(170.0)
    assert winners["arm_max"] == "left"
    assert "leg_max" not in v  # a side_max signal: the analyzer adds it (rest levels)
    c, _ = values("cat_cow", tabletop_pose(head_height=-0.12))
    assert c["head_height"] == pytest.approx(-0.12)


def test_kneeling_signals():
    v, _ = values("childs_pose", kneeling_pose(12.0, 60.0, arm_reach_deg=160.0,
                                              elbow_angle_deg=120.0))  # fmt: skip
    assert v["torso_incline"] == pytest.approx(12.0)
    assert v["knee_angle"] == pytest.approx(60.0, abs=2.0)
    assert v["arm_reach"] == pytest.approx(160.0)
    assert v["elbow_angle"] == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("exercise", "xy"),
    [("bridge", supine_pose(130.0)), ("bird_dog", tabletop_pose()),
     ("childs_pose", kneeling_pose(10.0))],
)  # fmt: skip
def test_factory_poses_are_judgeable_side_views(exercise, xy):
    spec = builtin(exercise)
    check = check_frame(xy, visibility(), Side.LEFT, (640, 480), spec.view, spec.position)
    assert check.status.value == "ok"
    assert check.in_position
    assert check.side_ratio < spec.view.max_side_ratio


def test_hidden_landmark_gives_nan():
    vis = visibility()
    from formcheck.landmarks import Landmark

    vis[Landmark.LEFT_KNEE] = 0.1
    spec = builtin("bridge")
    v, _ = measure(spec.signals, supine_pose(150.0), vis, Side.LEFT, 480)
    assert v["hip_angle"] != v["hip_angle"]  # NaN


def _spec(**kw):
    from formcheck.exercises.schema import SignalSpec

    return SignalSpec(**kw)


def test_along_measures_the_slide_along_an_axis_in_torso_lengths():
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark

    xy = np.zeros((NUM_LANDMARKS, 2))
    xy[Landmark.LEFT_SHOULDER] = (0.0, 0.0)
    xy[Landmark.LEFT_HIP] = (100.0, 0.0)  # torso 100 px
    xy[Landmark.LEFT_ANKLE] = (300.0, 0.0)
    xy[Landmark.LEFT_KNEE] = (250.0, -40.0)  # 50 px from the ankle towards the shoulder
    vis = np.ones(NUM_LANDMARKS)
    specs = {
        "reach": _spec(kind="along", points=("knee", "ankle", "shoulder")),
        "reach_pct": _spec(kind="along", points=("knee", "ankle", "shoulder"), scale=100.0),
    }
    v, _ = measure(specs, xy, vis, Side.LEFT, 480)
    assert v["reach"] == pytest.approx(0.5)
    assert v["reach_pct"] == pytest.approx(50.0)


@pytest.mark.parametrize("left_up", [True, False])
def test_roll_signed_per_side_and_unsigned(left_up):
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark

    world = np.zeros((NUM_LANDMARKS, 3))
    # Hips 0.3 m apart, one 0.1 m higher; world y points down.
    dy = 0.1 if left_up else -0.1
    world[Landmark.LEFT_HIP] = (0.15, -dy / 2, 0.0)
    world[Landmark.RIGHT_HIP] = (-0.15, dy / 2, 0.0)
    vis = np.ones(NUM_LANDMARKS)
    xy = np.zeros((NUM_LANDMARKS, 2))
    specs = {
        "roll": _spec(kind="roll", points=("hip",)),
        "hike": _spec(kind="roll", points=("hip",), side="each"),
        "hike2": _spec(kind="roll", points=("hip",), side="each", scale=2.0),
    }
    v, _ = measure(specs, xy, vis, Side.LEFT, 480, world=world)
    expected = float(np.degrees(np.arcsin(0.1 / np.hypot(0.3, 0.1))))
    assert v["roll"] == pytest.approx(expected)
    assert v["hike_left"] == pytest.approx(expected if left_up else -expected)
    assert v["hike_right"] == pytest.approx(-v["hike_left"])
    # scale applies to every kind and to both sides of a per-side signal
    assert (v["hike2_left"], v["hike2_right"]) == pytest.approx(
        (2 * v["hike_left"], 2 * v["hike_right"])
    )


def test_roll_of_hips_and_shoulders_is_their_mean_so_opposite_limb_pulls_cancel():
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark

    def line(world, part, left_up_m):
        left, right = getattr(Landmark, f"LEFT_{part}"), getattr(Landmark, f"RIGHT_{part}")
        world[left] = (0.15, -left_up_m / 2, 0.0)
        world[right] = (-0.15, left_up_m / 2, 0.0)

    deg = lambda up: float(np.degrees(np.arcsin(up / np.hypot(0.3, up))))  # noqa: E731
    specs = {"trunk": _spec(kind="roll", points=("hip", "shoulder"), side="each")}
    vis = np.ones(NUM_LANDMARKS)
    xy = np.zeros((NUM_LANDMARKS, 2))
    world = np.zeros((NUM_LANDMARKS, 3))
    # The left leg lifts its hip landmark, the right arm its shoulder: the trunk is level.
    line(world, "HIP", 0.05)
    line(world, "SHOULDER", -0.05)
    v, _ = measure(specs, xy, vis, Side.LEFT, 480, world=world)
    assert v["trunk_left"] == pytest.approx(0.0, abs=1e-9)
    # The whole trunk rolls left side up: both lines tilt, the mean keeps it.
    line(world, "HIP", 0.1)
    line(world, "SHOULDER", 0.06)
    v, _ = measure(specs, xy, vis, Side.LEFT, 480, world=world)
    assert v["trunk_left"] == pytest.approx((deg(0.1) + deg(0.06)) / 2)
    assert v["trunk_right"] == pytest.approx(-v["trunk_left"])
    # One line hidden: no half measurement.
    vis[Landmark.RIGHT_SHOULDER] = 0.0
    v, _ = measure(specs, xy, vis, Side.LEFT, 480, world=world)
    assert np.isnan(v["trunk_left"])


def test_roll_takes_one_or_two_points():
    with pytest.raises(ValueError, match="takes 1 or 2 points"):
        _spec(kind="roll", points=("hip", "shoulder", "knee"))


@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (40, 0), (-55, 30), (0, 35), (120, -80)])
@pytest.mark.parametrize("turn", [0.0, 12.0, -40.0, 65.0])
def test_twist_of_the_knees_against_the_shoulders_is_the_same_from_any_camera(yaw, pitch, turn):
    # Lying on the back (shoulders and hips on the mat), knees up: the knee line turned
    # ``turn`` deg about the body's long axis, left knee up for a positive turn (the knees
    # dropped to the right). The model's frame is the camera's, so a camera above the mat
    # tilts every left-right line against its level: the roll reads the camera's pitch, the
    # twist reads the turn.
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark

    rig = np.zeros((NUM_LANDMARKS, 3))  # Z up, head towards -Y, the body's left -X
    knees = np.array([0.0, 0.45, 0.4])
    th = np.radians(turn)
    for side, x in ((Side.LEFT, -0.15), (Side.RIGHT, 0.15)):
        rig[Landmark.sided("hip", side)] = (x, 0.0, 0.0)
        rig[Landmark.sided("shoulder", side)] = (x * 1.2, -0.5, 0.0)
        half = -0.1 if side is Side.LEFT else 0.1
        offset = np.array([half * np.cos(th), 0.0, -half * np.sin(th)])
        rig[Landmark.sided("knee", side)] = knees + offset
    a, b = np.radians(yaw), np.radians(pitch)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    flip = np.diag([1.0, -1.0, -1.0])  # Z up -> the model's y down (a rotation)
    world = rig @ (flip @ rx @ rz).T
    specs = {
        "tilt": _spec(kind="twist", points=("knee", "shoulder")),
        "turned": _spec(kind="twist", points=("knee", "shoulder"), side="each"),
        "roll": _spec(kind="roll", points=("knee",)),
    }
    vis = np.ones(NUM_LANDMARKS)
    v, _ = measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480, world=world)
    assert v["tilt"] == pytest.approx(abs(turn), abs=1e-6)
    assert (v["turned_left"], v["turned_right"]) == pytest.approx((turn, -turn), abs=1e-6)
    # Side-on from 35 deg above the mat (the view turned about the body's long axis): the
    # knees' roll is off by the camera's 35 deg, their twist is not.
    side_on = np.array([[0, 1, 0], [0, 0, -1], [-1, 0, 0]])  # long axis across the picture
    c, s = np.cos(np.radians(35)), np.sin(np.radians(35))
    above = rig @ (np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) @ side_on).T
    v_above, _ = measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480, world=above)
    assert v_above["tilt"] == pytest.approx(abs(turn), abs=1e-6)
    if turn == 0.0:
        assert v_above["roll"] == pytest.approx(35.0, abs=1e-6)
    vis[Landmark.LEFT_KNEE] = 0.0
    v, _ = measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480, world=world)
    assert np.isnan(v["tilt"])


def test_twist_takes_two_points():
    with pytest.raises(ValueError, match="takes 2 points"):
        _spec(kind="twist", points=("knee",))


@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (40, 0), (-55, 30), (120, -80)])
def test_sagittal_angle_of_one_raised_leg_per_side_and_of_the_midpoints(yaw, pitch):
    # On all fours, one leg straight back (hip 180 deg, extended) and the other under the
    # hip (90 deg): the per-side angle reads the raised leg whatever the camera, where the
    # midpoints' knee swings only half way and reads ~135.
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark
    from formcheck.synth.groundtruth import anatomical_angles

    rig = np.zeros((1, NUM_LANDMARKS, 3))  # Z up, the body's left +X, its front -Y
    for side, x, thigh in ((Side.LEFT, 0.12, (0, 0.45, 0)), (Side.RIGHT, -0.12, (0, 0, -0.45))):
        hip = np.array([x, 0.0, 0.6])
        rig[0, Landmark.sided("hip", side)] = hip
        rig[0, Landmark.sided("shoulder", side)] = hip + np.array([0.05 * np.sign(x), -0.5, 0.0])
        rig[0, Landmark.sided("knee", side)] = hip + thigh
    a, b = np.radians(yaw), np.radians(pitch)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    world = rig[0] @ (rx @ rz).T  # a rotation: handedness kept, as the model's frame
    specs = {
        name: _spec(kind="sagittal_angle", points=("shoulder", "hip", "knee"), side=side)
        for name, side in (("mid", "near"), ("leg", "max"), ("each", "each"))
    }
    v, winners = measure(specs, np.zeros((NUM_LANDMARKS, 2)), np.ones(NUM_LANDMARKS),
                         Side.LEFT, 480, world=world)  # fmt: skip
    assert v["leg"] == pytest.approx(180.0, abs=1e-6) and winners["leg"] == "left"
    assert (v["each_left"], v["each_right"]) == pytest.approx((180.0, 90.0), abs=1e-6)
    assert 120.0 < v["mid"] < 150.0
    truth = anatomical_angles(rig)  # the eval's truth: the same angles from the rig
    assert truth["left_hip_angle_3d"][0] == pytest.approx(v["each_left"], abs=1e-6)
    assert truth["right_hip_angle_3d"][0] == pytest.approx(v["each_right"], abs=1e-6)
    assert truth["hip_angle_3d"][0] == pytest.approx(v["mid"], abs=1e-6)


@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (50, 0), (-55, 35), (120, -80), (30, 180)])
@pytest.mark.parametrize("head_up", [0.1, -0.06])
def test_sagittal_height_of_the_head_is_the_same_from_any_camera(yaw, pitch, head_up):
    # On all fours, trunk 0.5 m: the ears 0.1 m above the back line (cow) read +0.2 trunk
    # lengths, 0.06 m below it (cat) -0.12, however the model's frame is turned (pitch 180:
    # the same body seen upside down, as a supine body's back faces the floor).
    import numpy as np

    from formcheck.landmarks import NUM_LANDMARKS, Landmark

    rig = np.zeros((NUM_LANDMARKS, 3))  # Z up, the body's left +X, its front -Y
    for side, x in ((Side.LEFT, 0.12), (Side.RIGHT, -0.12)):
        hip = np.array([x, 0.0, 0.6])
        rig[Landmark.sided("hip", side)] = hip
        rig[Landmark.sided("shoulder", side)] = hip + np.array([0.0, -0.5, 0.0])
        # Each ear off to its own side (the midpoint between them is what counts).
        rig[Landmark.sided("ear", side)] = hip + np.array([0.03 * np.sign(x), -0.7, head_up])
    a, b = np.radians(yaw), np.radians(pitch)
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    world = rig @ (rx @ rz).T
    specs = {"head": _spec(kind="sagittal_height", points=("ear", "shoulder", "hip"))}
    vis = np.ones(NUM_LANDMARKS)
    v, _ = measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480, world=world)
    assert v["head"] == pytest.approx(head_up / 0.5, abs=1e-6)
    # Without the 3D pose, or with both ears hidden, there is no reading.
    assert np.isnan(measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480)[0]["head"])
    vis[[Landmark.LEFT_EAR, Landmark.RIGHT_EAR]] = 0.0
    v, _ = measure(specs, np.zeros((NUM_LANDMARKS, 2)), vis, Side.LEFT, 480, world=world)
    assert np.isnan(v["head"])


@pytest.mark.parametrize("turn_deg", [0.0, 30.0, 60.0, 75.0, 90.0])
def test_plane_facing_reads_how_far_the_camera_has_turned_from_side_on(turn_deg: float) -> None:
    # Hips 0.2 m apart along the line of sight (side-on), turned about the vertical by the
    # camera's angle: the body's own plane faces the camera by its cosine (edge-on at 90).
    a = math.radians(turn_deg)
    world = np.zeros((NUM_LANDMARKS, 3))
    world[Landmark.LEFT_HIP] = [0.1 * math.sin(a), 0.0, 0.1 * math.cos(a)]
    world[Landmark.RIGHT_HIP] = -world[Landmark.LEFT_HIP]
    assert plane_facing(world) == pytest.approx(abs(math.cos(a)), abs=1e-9)
    assert math.isnan(plane_facing(None))
