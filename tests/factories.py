"""Hand-built landmark sequences for the analysis tests (no MediaPipe).

Each ``*_pose`` builder returns a ``(33, 2)`` pixel array for a side view of a
person (head towards the left of the picture), built from joint angles so the
tests can state the truth in the units the exercise definitions use.
:func:`sequence` turns a function of time into a list of :class:`PoseFrame`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from formcheck.landmarks import NUM_LANDMARKS, Landmark, Side
from formcheck.types import PoseFrame

WIDTH, HEIGHT = 640, 480
FAR_OFFSET = np.array([4.0, -3.0])  # far-side landmarks sit a few pixels away
NEAR_VIS, FAR_VIS = 0.99, 0.6

_FACE_NEAR = ("eye_inner", "eye", "eye_outer")
_HAND = ("pinky", "index", "thumb")


def _dir(deg: float) -> np.ndarray:
    """Unit vector at ``deg`` counter-clockwise from the image x axis, y up (maths order)."""
    r = math.radians(deg)
    return np.array([math.cos(r), math.sin(r)])


def _img(p: np.ndarray, floor_y: float) -> np.ndarray:
    """Maths coordinates (y up, origin on the floor) to image pixels (y down)."""
    return np.array([p[0], floor_y - p[1]])


def _assemble(parts: dict[str, np.ndarray], near: str | Side, mirror: bool) -> np.ndarray:
    """Place the near side at ``parts`` and the far side a few pixels away."""
    near = Side(near)
    xy = np.zeros((NUM_LANDMARKS, 2))
    parts = dict(parts)
    for p in _FACE_NEAR:
        parts.setdefault(p, parts["ear"] + np.array([-8.0, -4.0]))
    for p in _HAND:
        parts.setdefault(p, parts["wrist"])
    xy[Landmark.NOSE] = parts["nose"]
    for side in Side:
        off = np.zeros(2) if side is near else FAR_OFFSET
        for p in ("ear", "shoulder", "elbow", "wrist", "hip", "knee", "ankle", "heel",
                  "foot_index", *_FACE_NEAR, *_HAND):  # fmt: skip
            xy[Landmark.sided(p, side)] = parts[p] + off
    xy[Landmark.MOUTH_LEFT] = xy[Landmark.MOUTH_RIGHT] = parts["nose"] + np.array([0.0, 6.0])
    if mirror:
        xy[:, 0] = WIDTH - xy[:, 0]
    return xy


def supine_pose(
    hip_angle_deg: float,
    *,
    torso_tilt_deg: float | None = None,
    heel_lift: float = 0.0,
    near: str | Side = "left",
    scale: float = 1.0,
    mirror: bool = False,
    standing: float = 0.0,
    hip_height: float = 0.0,
) -> np.ndarray:
    """Lying on the back, knees bent, feet flat; ``hip_angle_deg`` is shoulder-hip-knee.

    Above 180 the hips rise past the shoulder-knee line (the signed convention
    of ``signed_angle``). ``torso_tilt_deg`` is the trunk's rise from the floor
    (default: follows the hip angle as in a bridge, flat below 130 deg).
    ``heel_lift`` raises the heel by that many torso lengths. ``standing`` in
    [0, 1] rotates the trunk up towards vertical (sitting up / lying down) about
    the hip, which is ``hip_height`` pixels above the floor (standing up).
    """
    torso, thigh, shin = 150.0 * scale, 130.0 * scale, 130.0 * scale
    floor_y = 400.0
    phi = max(0.0, hip_angle_deg - 130.0) * 0.5 if torso_tilt_deg is None else torso_tilt_deg
    if standing:
        # Trunk pivoting up about the hip on the floor.
        hip = np.array([270.0, hip_height])
        trunk_dir = 180.0 - 90.0 * standing
        shoulder = hip + torso * _dir(trunk_dir)
    else:
        # Shoulders on the floor, the trunk rising ``phi`` towards the hips.
        shoulder = np.array([120.0, 0.0])
        hip = shoulder + torso * _dir(phi)
        trunk_dir = 180.0 + phi
    # Rotating hip->shoulder clockwise by the hip angle points the thigh up towards the knee.
    knee = hip + thigh * _dir(trunk_dir - hip_angle_deg)
    lift = heel_lift * torso
    dy = knee[1] - (8.0 + lift)
    dx = math.sqrt(max(shin**2 - dy**2, 1.0))
    ankle = np.array([knee[0] + dx, 8.0 + lift])
    heel = ankle + np.array([-6.0, -8.0])
    foot = np.array([ankle[0] + 35.0 * scale, 0.0])
    head_dir = _dir(trunk_dir if standing else 180.0)
    ear = shoulder + 40.0 * scale * head_dir + np.array([0.0, 10.0 * scale])
    nose = ear + 15.0 * scale * head_dir + np.array([0.0, 12.0 * scale])
    elbow = shoulder + 70.0 * scale * _dir(trunk_dir + 180.0) + np.array([0.0, -5.0])
    wrist = elbow + 65.0 * scale * _dir(trunk_dir + 180.0)
    wrist[1] = max(wrist[1], -5.0)
    parts = {
        "shoulder": shoulder, "hip": hip, "knee": knee, "ankle": ankle, "heel": heel,
        "foot_index": foot, "ear": ear, "nose": nose, "elbow": elbow, "wrist": wrist,
    }  # fmt: skip
    return _assemble({k: _img(v, floor_y) for k, v in parts.items()}, near, mirror)


def tabletop_pose(
    leg_left_deg: float = 90.0,
    leg_right_deg: float = 90.0,
    arm_left_deg: float = 80.0,
    arm_right_deg: float = 80.0,
    *,
    head_height: float = 0.05,
    near: str | Side = "left",
    mirror: bool = False,
) -> np.ndarray:
    """On hands and knees, side view, head to the left.

    ``leg_*_deg`` is shoulder-hip-knee (90 kneeling, 180 straight back, above
    180 above the back line); ``arm_*_deg`` is hip-shoulder-elbow (80-90 hand on
    the floor, 180 reaching forward). ``head_height`` is the ear's height above
    the shoulder-hip line in torso lengths (cat-cow's signal).
    """
    near = Side(near)
    torso, thigh, shin, arm = 180.0, 120.0, 120.0, 130.0
    floor_y = 420.0
    shoulder = np.array([200.0, 170.0])
    hip = np.array([380.0, 170.0])
    limbs: dict[Side, dict[str, np.ndarray]] = {}
    for side, leg, arm_deg in ((Side.LEFT, leg_left_deg, arm_left_deg),
                               (Side.RIGHT, leg_right_deg, arm_right_deg)):  # fmt: skip
        thigh_dir = 180.0 + leg
        knee = hip + thigh * _dir(thigh_dir)
        bend = float(np.clip(90.0 + (leg - 90.0) / 90.0 * 85.0, 90.0, 178.0))
        ankle = knee + shin * _dir(thigh_dir + 180.0 - bend)
        heel = ankle + np.array([6.0, 4.0])
        foot = ankle + np.array([10.0, -8.0])
        elbow = shoulder + arm * 0.55 * _dir(360.0 - arm_deg)
        wrist = shoulder + arm * _dir(360.0 - arm_deg)
        limbs[side] = {"knee": knee, "ankle": ankle, "heel": heel, "foot_index": foot,
                       "elbow": elbow, "wrist": wrist}  # fmt: skip
    ear = np.array([shoulder[0] - 45.0, shoulder[1] + head_height * torso])
    nose = ear + np.array([-18.0, -6.0])
    parts = {"shoulder": shoulder, "hip": hip, "ear": ear, "nose": nose, **limbs[near]}
    xy = _assemble({k: _img(v, floor_y) for k, v in parts.items()}, near, mirror=False)
    # The far limbs have their own angles.
    for p, v in limbs[near.other].items():
        xy[Landmark.sided(p, near.other)] = _img(v, floor_y) + FAR_OFFSET
    if mirror:
        xy[:, 0] = WIDTH - xy[:, 0]
    return xy


def kneeling_pose(
    torso_incline_deg: float,
    knee_angle_deg: float = 40.0,
    *,
    arm_reach_deg: float = 170.0,
    elbow_angle_deg: float = 175.0,
    near: str | Side = "left",
    mirror: bool = False,
) -> np.ndarray:
    """Kneeling side view, head to the left (child's pose).

    ``torso_incline_deg``: hip->shoulder above horizontal (90 upright, ~0
    folded). ``knee_angle_deg``: hip-knee-ankle (~40 sitting on the heels, 90
    hips high). ``arm_reach_deg``: hip-shoulder-elbow (~170 arms forward, <90
    arms back by the sides). ``elbow_angle_deg``: shoulder-elbow-wrist.
    """
    thigh, torso, upper, fore = 120.0, 170.0, 80.0, 75.0
    floor_y = 420.0
    knee = np.array([390.0, 10.0])
    ankle = np.array([520.0, 8.0])
    hip = knee + thigh * _dir(knee_angle_deg)
    shoulder = hip + torso * _dir(180.0 - torso_incline_deg)
    elbow_dir = -torso_incline_deg - arm_reach_deg
    elbow = shoulder + upper * _dir(elbow_dir)
    wrist = elbow + fore * _dir(elbow_dir + (180.0 - elbow_angle_deg))
    head_dir = _dir(180.0 - torso_incline_deg)
    ear = shoulder + 35.0 * head_dir
    nose = ear + 15.0 * head_dir + np.array([0.0, -8.0])
    parts = {
        "shoulder": shoulder, "hip": hip, "knee": knee, "ankle": ankle,
        "heel": ankle + np.array([5.0, 6.0]), "foot_index": ankle + np.array([30.0, -6.0]),
        "ear": ear, "nose": nose, "elbow": elbow, "wrist": wrist,
    }  # fmt: skip
    return _assemble({k: _img(v, floor_y) for k, v in parts.items()}, near, mirror)


def visibility(near: str | Side = "left") -> np.ndarray:
    """Near side 0.99, far side 0.6 (the far side is partly hidden)."""
    near = Side(near)
    vis = np.full(NUM_LANDMARKS, NEAR_VIS)
    for lm in Landmark:
        if lm.name.startswith(near.other.value.upper()):
            vis[lm] = FAR_VIS
    return vis


def depth(near: str | Side = "left") -> np.ndarray:
    """Relative depth: the near side is smaller (nearer the camera)."""
    near = Side(near)
    z = np.zeros(NUM_LANDMARKS)
    for lm in Landmark:
        if lm.name.startswith(near.value.upper()):
            z[lm] = -20.0
        elif lm.name.startswith(near.other.value.upper()):
            z[lm] = 20.0
    return z


def side_on_world(xy: np.ndarray, *, face_up: bool) -> np.ndarray:
    """The 3D pose the model gives a side-on camera: the picture's x and y in metres (a
    torso of ~0.5 m), hip-centred, each side 0.1 m nearer or further. Which side is nearer
    follows from the body, as in a real one: its left is its head's direction crossed with
    its front's (up lying on the back, down on all fours or kneeling)."""
    xy = np.asarray(xy, dtype=float)

    def mid(part: str) -> np.ndarray:
        return (xy[Landmark.sided(part, Side.LEFT)] + xy[Landmark.sided(part, Side.RIGHT)]) / 2

    head = np.append(mid("shoulder") - mid("hip"), 0.0)
    front = np.array([0.0, -1.0 if face_up else 1.0, 0.0])  # image y points down
    left_depth = float(np.sign(np.cross(head, front)[2])) * 0.1
    world = np.zeros((NUM_LANDMARKS, 3))
    world[:, :2] = (xy - mid("hip")) / 300.0
    for lm in Landmark:
        if lm.name.startswith("LEFT_"):
            world[lm, 2] = left_depth
        elif lm.name.startswith("RIGHT_"):
            world[lm, 2] = -left_depth
    return world


def pose_frame(
    xy: np.ndarray | None,
    t: float,
    index: int,
    near: str | Side = "left",
    *,
    world: np.ndarray | None = None,
) -> PoseFrame:
    """One frame; ``world``: its 3D pose (see :func:`side_on_world`)."""
    if xy is None:
        return PoseFrame(timestamp_s=t, index=index, image_size=(WIDTH, HEIGHT))
    return PoseFrame(
        timestamp_s=t,
        index=index,
        image_size=(WIDTH, HEIGHT),
        xy=np.asarray(xy, dtype=float),
        z=depth(near),
        visibility=visibility(near),
        world=world,
    )


def sequence(
    fn: Callable[[float], Any],
    *,
    fps: float = 30.0,
    duration: float,
    builder: Callable[..., np.ndarray] = supine_pose,
    jitter_deg: float = 0.0,
    rng: np.random.Generator | None = None,
    near: str | Side = "left",
    missing: Callable[[float], bool] | None = None,
    mirror: bool = False,
) -> list[PoseFrame]:
    """Frames at ``fps`` for ``duration`` seconds.

    ``fn(t)`` gives the builder's first argument (a float angle) or a dict of
    its keyword arguments (the first angle argument under its own name).
    ``jitter_deg`` adds uniform noise in ±jitter_deg to a float ``fn(t)``.
    ``missing(t)`` True gives a frame with no person.
    """
    rng = rng or np.random.default_rng(0)
    n = round(duration * fps) + 1
    frames: list[PoseFrame] = []
    for i in range(n):
        t = i / fps
        if missing is not None and missing(t):
            frames.append(pose_frame(None, t, i, near))
            continue
        args = fn(t)
        if isinstance(args, dict):
            xy = builder(**args, near=near, mirror=mirror)
        else:
            value = float(args) + (rng.uniform(-jitter_deg, jitter_deg) if jitter_deg else 0.0)
            xy = builder(value, near=near, mirror=mirror)
        frames.append(pose_frame(xy, t, i, near))
    return frames


def ramp(t: float, t0: float, t1: float, a: float, b: float) -> float:
    """Smooth (cosine) move from ``a`` at ``t0`` to ``b`` at ``t1``."""
    if t <= t0:
        return a
    if t >= t1:
        return b
    s = (t - t0) / (t1 - t0)
    return a + (b - a) * (1 - math.cos(math.pi * s)) / 2


def profile(segments: Iterable[tuple[float, float]], start: float) -> Callable[[float], float]:
    """A piecewise-smooth signal: from ``start``, each ``(duration, target)`` moves to target."""
    knots: list[tuple[float, float, float, float]] = []
    t, v = 0.0, start
    for dur, target in segments:
        knots.append((t, t + dur, v, target))
        t, v = t + dur, target
    end_value = v

    def f(x: float) -> float:
        for t0, t1, a, b in knots:
            if x < t1:
                return ramp(x, t0, t1, a, b)
        return end_value

    f.duration = t  # type: ignore[attr-defined]
    return f


def bridge_rep(
    rest: float = 125.0,
    top: float = 178.0,
    *,
    rest_s: float = 1.0,
    lift_s: float = 1.0,
    hold_s: float = 1.5,
    lower_s: float = 1.5,
) -> list[tuple[float, float]]:
    """Segments of one bridge rep: rest, lift, hold (peaking mid-hold by 1 deg), lowering."""
    return [
        (rest_s, rest),
        (lift_s, top - 1.0),
        (hold_s / 2, top),
        (hold_s / 2, top - 1.0),
        (lower_s, rest),
    ]


def analyze(exercise: Any, frames: Iterable[PoseFrame]) -> Any:
    """Run an :class:`ExerciseAnalyzer` over ``frames``; ``exercise`` is an id or a spec."""
    from formcheck.analysis.analyzer import ExerciseAnalyzer
    from formcheck.exercises.loader import builtin

    spec = builtin(exercise) if isinstance(exercise, str) else exercise
    analyzer = ExerciseAnalyzer(spec)
    for frame in frames:
        analyzer.step(frame)
    return analyzer.finish()
