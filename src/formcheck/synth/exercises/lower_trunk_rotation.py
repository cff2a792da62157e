"""Lower trunk rotation: lying on the back, knees bent and together, feet flat: let both
knees drop slowly to one side while the shoulders stay on the mat, return to the middle,
then drop them to the other side. One drop is one rep; its side is the side the knees
drop towards. The pelvis rolls with the legs and the lumbar spine turns against it, so
the upper back stays flat. Fault: ``small_range`` (the knees drop only 15 deg, not 65)."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions
from formcheck.synth.exercises.common import SIDES, alternating_sides, supine_rest
from formcheck.synth.solver import BodyPose, Points, solve
from formcheck.synth.timeline import Timeline

id = "lower_trunk_rotation"
faults = ("small_range",)
default_reps = 4
levels = (0.0, 1.0)
suite_reps = 4  # two drops to each side
suite_fault_reps = (2, 4)  # the suite injects the fault into every other rep

# The committed sample clips (synth/samples.py): one drop to each side.
samples = {
    "lower_trunk_rotation_clean": {"reps": 2, "seed": 71},
    "lower_trunk_rotation_small_range": {
        "reps": 2, "seed": 72, "fault": "small_range", "fault_reps": (2,)
    },
}  # fmt: skip

# How far the knees drop from upright, degrees (the pelvis rolls with them).
DROP_DEG = {"clean": 65.0, "small_range": 15.0}


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    rest = supine_rest(ctx)
    if level <= 0.0:
        return rest
    side, fault = variant.split("|")
    # Knees to the body's left (+X) is a roll that lifts the right side; see anatomy.posture.
    sign = 1.0 if side == "l" else -1.0
    drop = DROP_DEG[fault] * level
    a = dict(rest.angles)
    a["roll"] = sign * drop
    a["lumbar_rot"] = -sign * drop  # the upper body turns back to lie flat (solved below)
    free_names = ["pitch", "tz", "neck_flex", "lumbar_rot", "thoracic_rot"]
    free_names += [f"{j}_{s}" for j in ("shoulder_flex", "wrist_ext") for s in SIDES]
    free = {n: float(a.get(n, 0.0)) for n in free_names}

    def res(pt: Points) -> list[float]:
        # Shoulders, upper back and head on the mat; both hands stay on it.
        r: list[float] = [pt("upper_back")[2], pt("head_back")[2]]
        r += [2.0 * (pt("@upperarm_l")[2] - pt("@upperarm_r")[2])]
        for s in SIDES:
            r += [pt(f"palm_{s}")[2], 0.3 * pt(f"fingerpad_{s}")[2]]
        return r

    return solve(ctx.avatar, ctx.pts, BodyPose(a, "supine"), free, res)


def script(opts: ScriptOptions) -> Timeline:
    return alternating_sides(opts, "rep", move_s=1.8, hold_s=1.0, between_s=0.6)
