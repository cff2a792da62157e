"""Shared key poses: lying on the back with knees bent, and the tabletop (hands and knees)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from formcheck.synth.avatar import Avatar
from formcheck.synth.points import SurfacePoints
from formcheck.synth.solver import BodyPose, Points, solve
from formcheck.synth.timeline import Rep, Timeline

SIDES = ("l", "r")
OTHER = {"l": "r", "r": "l"}  # the opposite side


def both(name: str, value: float) -> dict[str, float]:
    return {f"{name}_{s}": value for s in SIDES}


def supine_angles() -> dict[str, float]:
    a: dict[str, float] = {}
    a |= both("hip_abd", 4.0) | both("shoulder_abd", 16.0) | both("forearm_pron", 90.0)
    a |= both("knee_flex", 90.0) | both("hip_flex", 55.0)
    return a


def supine_residuals(pt: Points, extra: Mapping[str, float] | None = None) -> list[float]:
    """Back, head, hands and both soles on the floor; heels at y = -0.55 (feet planted)."""
    r: list[float] = [pt("upper_back")[2], pt("head_back")[2]]
    for s in SIDES:
        r += [pt(f"heel_sole_{s}")[2], pt(f"ball_sole_{s}")[2], pt(f"heel_sole_{s}")[1] + 0.55]
        r += [pt(f"palm_{s}")[2], 0.3 * pt(f"fingerpad_{s}")[2]]
    for name, target in (extra or {}).items():
        r.append(pt(name)[2] - target)
    return r


_SUPINE_LIMBS = ("knee_flex", "ankle_dorsi", "shoulder_flex", "wrist_ext")
SUPINE_FREE = (
    "pitch",
    "ty",
    "tz",
    "neck_flex",
    *(f"{j}_{s}" for j in _SUPINE_LIMBS for s in SIDES),
)


def solve_supine(avatar: Avatar, pts: SurfacePoints, angles: Mapping[str, float], free_hip: bool,
                 extra: Mapping[str, float] | None = None) -> BodyPose:  # fmt: skip
    """Lying on the back; with ``free_hip`` the hip flexion is solved too (buttocks down)."""
    pose = BodyPose(dict(angles), "supine")
    free = {n: float(angles.get(n, 0.0)) for n in SUPINE_FREE}
    free["tz"] = free.get("tz") or 0.12
    if free_hip:
        free |= {f"hip_flex_{s}": float(angles[f"hip_flex_{s}"]) for s in SIDES}
        extra = dict(extra or {}) | {"sacrum": 0.0}
    return solve(avatar, pts, pose, free, lambda pt: supine_residuals(pt, extra))


def tabletop_angles() -> dict[str, float]:
    a: dict[str, float] = {}
    a |= both("hip_flex", 90.0) | both("knee_flex", 90.0) | both("ankle_dorsi", -45.0)
    a |= both("shoulder_flex", 90.0) | both("forearm_pron", 90.0) | both("wrist_ext", 85.0)
    a |= both("shoulder_abd", 8.0) | both("hip_abd", 3.0) | {"neck_flex": -10.0}
    return a


QUAD_FREE = tuple(
    f"{j}_{s}"
    for j in ("hip_flex", "knee_flex", "ankle_dorsi", "shoulder_flex", "wrist_ext")
    for s in SIDES
)


def knee_residuals(pt: Points, s: str, anchor: np.ndarray | None) -> list[float]:
    r = [pt(f"knee_front_{s}")[2], pt(f"shin_low_{s}")[2], pt(f"instep_{s}")[2]]
    r.append(0.5 * pt(f"toe_top_{s}")[2])
    if anchor is not None:
        r += list(pt(f"knee_front_{s}")[:2] - anchor[:2])
    return r


def hand_residuals(pt: Points, s: str, anchor: np.ndarray | None) -> list[float]:
    r = [pt(f"palm_{s}")[2], pt(f"fingerpad_{s}")[2]]
    if anchor is not None:
        r += list(pt(f"palm_{s}")[:2] - anchor[:2])
    return r


def supine_rest(ctx) -> BodyPose:  # ctx: PoseContext (import cycle avoided)
    """Lying on the back, knees bent, feet flat, buttocks down (cached per avatar)."""
    if "supine" not in ctx.cache:
        ctx.cache["supine"] = solve_supine(ctx.avatar, ctx.pts, supine_angles(), free_hip=True)
    return ctx.cache["supine"]


def tabletop(ctx) -> BodyPose:
    """Hands under shoulders, knees under hips, shins and feet flat (cached per avatar)."""
    if "tabletop" not in ctx.cache:
        a = tabletop_angles()
        free = {n: a.get(n, 0.0) for n in QUAD_FREE} | {"pitch": 0.0, "ty": 0.0, "tz": 0.5}

        def res(pt: Points) -> list[float]:
            r: list[float] = []
            for s in SIDES:
                r += knee_residuals(pt, s, None) + hand_residuals(pt, s, None)
                r += [pt(f"palm_{s}")[1] - pt(f"@upperarm_{s}")[1]]
                r += [pt(f"knee_front_{s}")[1] - pt(f"@thigh_{s}")[1] - 0.03]
            # Pin the body along the mat; otherwise y is free and drifts.
            return [*r, pt("knee_front_l")[1] + pt("knee_front_r")[1] - 0.6]

        ctx.cache["tabletop"] = solve(ctx.avatar, ctx.pts, BodyPose(a, "prone"), free, res)
    return ctx.cache["tabletop"]


def tabletop_anchors(ctx) -> dict[str, np.ndarray]:
    """World positions of the knees and palms in the tabletop pose."""
    from formcheck.synth.points import posed_points

    pose = tabletop(ctx)
    p = posed_points(ctx.avatar, ctx.pts, pose.posed(ctx.avatar))
    return {n: p[ctx.pts.index(n)] for s in SIDES for n in (f"knee_front_{s}", f"palm_{s}")}


def quad_solve(ctx, angles: Mapping[str, float], free_names: tuple[str, ...],
               knees: tuple[str, ...] = SIDES, hands: tuple[str, ...] = SIDES,
               extra=None, hand_anchor: bool = True) -> BodyPose:  # fmt: skip
    """Solve a hands-and-knees pose with the given supports held at their tabletop spots."""
    anchors = tabletop_anchors(ctx)
    free = {n: float(angles.get(n, 0.0)) for n in free_names}

    def res(pt: Points) -> list[float]:
        r: list[float] = []
        for s in knees:
            r += knee_residuals(pt, s, anchors[f"knee_front_{s}"])
        for s in hands:
            r += hand_residuals(pt, s, anchors[f"palm_{s}"] if hand_anchor else None)
        if extra is not None:
            r += extra(pt)
        return r

    return solve(ctx.avatar, ctx.pts, BodyPose(dict(angles), "prone"), free, res)


def alternating_sides(opts, kind: str, move_s: float, hold_s: float, between_s: float) -> Timeline:
    """Reps or holds taking turns left and right (opts: ScriptOptions; import cycle avoided):
    the variant is ``"<l|r>|<fault or clean>"``; ``hold_s`` is the default hold at the top."""
    k = 1.0 / opts.tempo
    tl = Timeline(variant="l|clean")
    tl.hold(0.8 * k)
    hold = opts.hold_s if opts.hold_s is not None else hold_s
    for i in range(1, opts.reps + 1):
        side = "l" if i % 2 == 1 else "r"
        fault = opts.fault if opts.faulty(i) else None
        start = tl.time_s
        top = tl.move(1.0, move_s * k, f"{side}|{fault or 'clean'}")
        top_end = tl.hold(hold)
        end = tl.move(0.0, move_s * k)
        name = "left" if side == "l" else "right"
        tl.reps.append(Rep(i, kind, name, start, (top + top_end) / 2, end, top, top_end,
                           (fault,) if fault else ()))  # fmt: skip
        tl.hold(between_s * k)
    return tl
