"""Turn one frame's landmarks into the named signals an exercise watches.

A :class:`SignalSpec` says what to measure (kind, body points, side); this
module knows how. Landmarks below the spec's visibility are treated as
missing, so a hidden joint gives NaN, never a made-up angle.
"""

from __future__ import annotations

import math

import numpy as np

from formcheck.exercises.schema import SignalSpec
from formcheck.landmarks import Landmark, Side
from formcheck.signals.geometry import distance, joint_angle, signed_offset

NAN = float("nan")
# A hip flexes up to ~140 deg and extends up to ~30 past straight: a 3D reading well
# beyond either is the model's depth estimate flipping a segment, not a pose.
MAX_FLEXION_DEG = 150.0
MAX_EXTENSION_DEG = 60.0


def point(part: str, side: Side) -> Landmark:
    """The landmark for a body part on one side (``"nose"`` has no side)."""
    if part == "nose":
        return Landmark.NOSE
    return Landmark.sided(part, side)


def torso_length(xy: np.ndarray, vis: np.ndarray, near: Side, min_vis: float = 0.5) -> float:
    """Shoulder-to-hip length in pixels, the scale for distance signals.

    The near side is preferred; the far side stands in when the near one is hidden.
    """
    for side in (near, near.other):
        s, h = point("shoulder", side), point("hip", side)
        if vis[s] >= min_vis and vis[h] >= min_vis:
            d = float(distance(xy[s], xy[h]))
            if d > 1e-6:
                return d
    return NAN


def _up_offset(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Signed distance of p from line ab, positive towards the top of the picture.

    Independent of the order of a and b, so of which way the person faces.
    """
    if a[0] > b[0]:
        a, b = b, a
    return float(signed_offset(p, a, b))


def _measure_side(
    spec: SignalSpec, xy: np.ndarray, vis: np.ndarray, side: Side, torso: float, height: int
) -> float:
    idx = [point(p, side) for p in spec.points]
    if any(vis[i] < spec.min_visibility for i in idx):
        return NAN
    pts = [xy[i] for i in idx]
    if spec.kind == "angle":
        return float(joint_angle(*pts))
    if spec.kind == "signed_angle":
        angle = float(joint_angle(*pts))
        # Vertex on the "beyond" side of the outer points' line: extension past straight.
        offset = _up_offset(pts[1], pts[0], pts[2])
        past = offset > 0 if spec.beyond == "up" else offset < 0
        return 360.0 - angle if past else angle
    if spec.kind == "height":
        # _up_offset is in units of |ab|; rescale to torso lengths.
        rel = _up_offset(pts[0], pts[1], pts[2])
        return rel * float(distance(pts[1], pts[2])) / torso
    if spec.kind == "along":
        axis = pts[2] - pts[1]
        n = float(np.linalg.norm(axis))
        if not n > 0:
            return NAN
        return float(np.dot(pts[0] - pts[1], axis)) / n / torso
    if spec.kind == "elevation":
        return (height - float(pts[0][1])) / torso
    if spec.kind == "drop":
        return (float(pts[1][1]) - float(pts[0][1])) / torso
    if spec.kind == "inclination":
        d = pts[1] - pts[0]
        return math.degrees(math.atan2(-float(d[1]), abs(float(d[0]))))
    raise AssertionError(spec.kind)


def _left_hike(spec: SignalSpec, world: np.ndarray | None, vis: np.ndarray) -> float:
    """How far the left points are above the right, in degrees out of level (signed).

    With two points (hips and shoulders) the mean of both lines: a raised leg lifts
    its own hip landmark and a raised arm its own shoulder one, so in a bird-dog
    (opposite limbs) those pulls cancel and what is left is the trunk rolling.
    """
    if world is None:
        return NAN
    return sum(_line_hike(p, spec, world, vis) for p in spec.points) / len(spec.points)


def _line_hike(part: str, spec: SignalSpec, world: np.ndarray, vis: np.ndarray) -> float:
    left, right = point(part, Side.LEFT), point(part, Side.RIGHT)
    if vis[left] < spec.min_visibility or vis[right] < spec.min_visibility:
        return NAN
    v = world[right] - world[left]
    n = float(np.linalg.norm(v))
    if not n > 0:
        return NAN
    # World y is vertical and points down (MediaPipe): right lower = left higher.
    return math.degrees(math.asin(max(-1.0, min(1.0, float(v[1]) / n))))


def _twist(spec: SignalSpec, world: np.ndarray | None, vis: np.ndarray) -> float:
    """How far the left-right line of ``points[0]`` is turned against that of ``points[1]``
    about the trunk's long axis (signed: positive when the left point has turned towards the
    body's front)."""
    if world is None:
        return NAN
    if min(float(vis[point(q, s)]) for q in spec.points for s in Side) < spec.min_visibility:
        return NAN
    mid = {q: world[[point(q, s) for s in Side]].mean(axis=0) for q in ("hip", "shoulder")}
    axis = mid["shoulder"] - mid["hip"]
    n = float(np.linalg.norm(axis))
    if not n > 0:
        return NAN
    axis = axis / n
    turned, ref = (
        _in_plane(world[point(q, Side.LEFT)] - world[point(q, Side.RIGHT)], axis)
        for q in spec.points
    )
    # The body's left is its long axis crossed with its front, so a left point turning
    # frontwards turns this way round the axis (in any rotated frame, as the model's).
    sin = float(np.dot(np.cross(turned, ref), axis))
    return math.degrees(math.atan2(sin, float(np.dot(ref, turned))))


def _hip_axis(world: np.ndarray) -> np.ndarray | None:
    """Unit vector from the right hip to the left: the normal of the body's sagittal plane."""
    axis = world[point("hip", Side.LEFT)] - world[point("hip", Side.RIGHT)]
    n = float(np.linalg.norm(axis))
    return axis / n if n > 0 else None


def _in_plane(v: np.ndarray, axis: np.ndarray) -> np.ndarray:
    """``v`` projected onto the plane normal to the unit vector ``axis``."""
    return v - float(np.dot(v, axis)) * axis


def _world_points(
    parts: tuple[str, ...],
    world: np.ndarray,
    vis: np.ndarray,
    min_visibility: float,
    side: Side | None = None,
) -> list[np.ndarray] | None:
    """Each part's 3D position: the midpoint of its left and right landmarks (either seen
    enough), or given ``side`` that side's own; None when a part is not seen."""
    out = []
    for part in parts:
        if side is not None:
            one = point(part, side)
            if vis[one] < min_visibility:
                return None
            out.append(world[one])
            continue
        left, right = point(part, Side.LEFT), point(part, Side.RIGHT)
        if max(vis[left], vis[right]) < min_visibility:
            return None
        out.append((world[left] + world[right]) / 2.0)
    return out


def _sagittal_angle(
    spec: SignalSpec, world: np.ndarray | None, vis: np.ndarray, side: Side | None = None
) -> float:
    """The angle at the middle point in the body's sagittal plane (see SignalSpec), of the
    left and right points' midpoints or, given ``side``, of that side's points."""
    if world is None:
        return NAN
    pts = _world_points(spec.points, world, vis, spec.min_visibility, side)
    axis = _hip_axis(world)
    if pts is None or axis is None:
        return NAN
    outer, vertex, swing = pts
    up = _in_plane(outer - vertex, axis)
    down = _in_plane(swing - vertex, axis)
    nu = float(np.linalg.norm(up))
    if not nu > 0 or not float(np.linalg.norm(down)) > 0:
        return NAN
    up = up / nu
    # The body's front: left x up (MediaPipe's world axes are right-handed).
    front = np.cross(axis, up)
    flexion = math.degrees(math.atan2(float(np.dot(down, front)), -float(np.dot(down, up))))
    if not -MAX_EXTENSION_DEG <= flexion <= MAX_FLEXION_DEG:
        return NAN  # no body bends so far: the model's depth has flipped a segment
    return 180.0 - flexion


def _sagittal_height(spec: SignalSpec, world: np.ndarray | None, vis: np.ndarray) -> float:
    """How far the first point's midpoint lies from the line of the other two, in the body's
    sagittal plane, in trunk lengths, positive towards the body's back (see SignalSpec)."""
    if world is None:
        return NAN
    pts = _world_points((*spec.points, "shoulder", "hip"), world, vis, spec.min_visibility)
    axis = _hip_axis(world)
    if pts is None or axis is None:
        return NAN
    p, a, b, shoulder, hip = pts
    trunk = _in_plane(shoulder - hip, axis)
    line = _in_plane(b - a, axis)
    length, nl = float(np.linalg.norm(trunk)), float(np.linalg.norm(line))
    if not length > 0 or not nl > 0:
        return NAN
    # The body's back: the trunk's front (as in _sagittal_angle) reversed, then made square
    # to the measured line within the plane.
    back = -np.cross(axis, trunk / length)
    line = line / nl
    back = back - float(np.dot(back, line)) * line
    nb = float(np.linalg.norm(back))
    if not nb > 0:
        return NAN
    return float(np.dot(_in_plane(p - a, axis), back / nb)) / length


def _side_gap(spec: SignalSpec, xy: np.ndarray, vis: np.ndarray, torso: float) -> float:
    left, right = point(spec.points[0], Side.LEFT), point(spec.points[0], Side.RIGHT)
    if vis[left] < spec.min_visibility or vis[right] < spec.min_visibility:
        return NAN
    return abs(float(xy[left][1] - xy[right][1])) / torso


def measure(
    specs: dict[str, SignalSpec],
    xy: np.ndarray,
    vis: np.ndarray,
    near: Side,
    image_height: int,
    world: np.ndarray | None = None,
) -> tuple[dict[str, float], dict[str, str]]:
    """Measure every signal on one frame.

    Args:
        specs: signal name -> spec.
        xy: ``(33, 2)`` smoothed landmark pixels.
        vis: ``(33,)`` visibility.
        near: the side nearer the camera.
        image_height: in pixels, for ``elevation`` signals.
        world: ``(33, 3)`` metric landmarks, for ``roll`` and ``sagittal_*`` signals (NaN
            without them).

    Returns:
        ``(values, winners)``: values by signal name (``side='each'`` specs give
        ``name_left`` and ``name_right``), and for ``side='max'``/``'min'`` specs
        the side that won.
    """
    torso = torso_length(xy, vis, near)
    values: dict[str, float] = {}
    winners: dict[str, str] = {}
    for name, spec in specs.items():
        measured, winner = _measure_spec(name, spec, xy, vis, near, torso, image_height, world)
        if spec.scale != 1.0:  # scale > 0, so a side='max'/'min' winner stays the same
            measured = {key: spec.scale * v for key, v in measured.items()}
        values.update(measured)
        if winner is not None:
            winners[name] = winner
    return values, winners


def _measure_spec(
    name: str,
    spec: SignalSpec,
    xy: np.ndarray,
    vis: np.ndarray,
    near: Side,
    torso: float,
    image_height: int,
    world: np.ndarray | None,
) -> tuple[dict[str, float], str | None]:
    """One spec's unscaled values by name, and the side that won a 'max'/'min' spec."""
    if spec.kind == "side_gap":
        return {name: _side_gap(spec, xy, vis, torso)}, None
    if spec.kind == "sagittal_angle":
        if spec.side not in ("each", "max", "min"):
            return {name: _sagittal_angle(spec, world, vis)}, None
        # One limb at a time (a bird-dog's raised leg): each side's own points.
        per_side = {s: _sagittal_angle(spec, world, vis, s) for s in Side}
        return _pick_side(name, spec, per_side)
    if spec.kind == "sagittal_height":
        return {name: _sagittal_height(spec, world, vis)}, None
    if spec.kind == "twist":
        turn = _twist(spec, world, vis)
        if spec.side == "each":
            return {f"{name}_left": turn, f"{name}_right": -turn}, None
        return {name: abs(turn)}, None
    if spec.kind == "roll":
        hike = _left_hike(spec, world, vis)
        if spec.side == "each":
            return {f"{name}_left": hike, f"{name}_right": -hike}, None
        return {name: abs(hike)}, None
    if spec.side in ("near", "far", "left", "right"):
        side = {"near": near, "far": near.other, "left": Side.LEFT, "right": Side.RIGHT}[spec.side]
        return {name: _measure_side(spec, xy, vis, side, torso, image_height)}, None
    per_side = {s: _measure_side(spec, xy, vis, s, torso, image_height) for s in Side}
    return _pick_side(name, spec, per_side)


def _pick_side(
    name: str, spec: SignalSpec, per_side: dict[Side, float]
) -> tuple[dict[str, float], str | None]:
    """Both sides' values (``side = "each"``), or the larger or smaller and its side."""
    if spec.side == "each":
        return {f"{name}_{s.value}": v for s, v in per_side.items()}, None
    valid = {s: v for s, v in per_side.items() if not math.isnan(v)}
    if not valid:
        return {name: NAN}, None
    pick = max if spec.side == "max" else min
    best = pick(valid, key=lambda s: valid[s])
    return {name: valid[best]}, best.value
