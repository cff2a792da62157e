"""Knee-to-chest stretch: lying on the back, knees bent, draw one knee towards the chest
with both hands around the shin, hold, lower, then the other knee. The rep's side is the
drawn knee's; the other foot stays planted. Fault: ``knee_not_to_chest`` (the knee is
drawn only part of the way: hip flexion 85 deg instead of 120)."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions, lerp
from formcheck.synth.exercises.common import OTHER, SIDES, alternating_sides, supine_rest
from formcheck.synth.solver import BodyPose, Points, solve
from formcheck.synth.timeline import Timeline

id = "knee_to_chest"
faults = ("knee_not_to_chest",)
default_reps = 2
levels = (0.0, 1.0)
suite_reps = 2  # one hold per side keeps a synthetic-suite clip under 20 s
suite_fault_reps = (2,)  # the second side drawn short, the first one clean

# The committed sample clips (synth/samples.py): one short hold per side.
samples = {
    "knee_to_chest_clean": {"reps": 2, "seed": 61, "hold_s": 4.0},
    "knee_to_chest_knee_not_to_chest": {
        "reps": 2, "seed": 62, "hold_s": 4.0, "fault": "knee_not_to_chest", "fault_reps": (2,)
    },
}  # fmt: skip

DEFAULT_HOLD_S = 5.0
# Hip and knee flexion of the drawn leg at the hold: the thigh on the chest, or part way.
HIP_TOP = {"clean": 120.0, "knee_not_to_chest": 85.0}
KNEE_TOP = 135.0


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    rest = supine_rest(ctx)
    if level <= 0.0:
        return rest
    leg, fault = variant.split("|")
    stay = OTHER[leg]
    a = dict(rest.angles)
    a[f"hip_flex_{leg}"] = lerp(rest.angles[f"hip_flex_{leg}"], HIP_TOP[fault], level)
    a[f"knee_flex_{leg}"] = lerp(rest.angles[f"knee_flex_{leg}"], KNEE_TOP, level)
    a[f"ankle_dorsi_{leg}"] = lerp(rest.angles.get(f"ankle_dorsi_{leg}", 0.0), -20.0, level)
    free_names = ["pitch", "ty", "tz", "neck_flex", f"knee_flex_{stay}", f"ankle_dorsi_{stay}"]
    free_names += [f"{j}_{s}" for j in ("shoulder_flex", "elbow_flex", "wrist_ext") for s in SIDES]
    free = {n: float(a.get(n, 0.0)) for n in free_names}

    def res(pt: Points) -> list[float]:
        r: list[float] = [pt("upper_back")[2], pt("head_back")[2]]
        # The other foot stays planted where it rested.
        r += [pt(f"heel_sole_{stay}")[2], pt(f"ball_sole_{stay}")[2]]
        r.append(pt(f"heel_sole_{stay}")[1] + 0.55)
        # Both hands move from the mat to the drawn shin, just below the knee.
        grip = 0.75 * pt(f"knee_front_{leg}") + 0.25 * pt(f"shin_low_{leg}")
        for s in SIDES:
            r += list(level * (pt(f"palm_{s}") - grip))
            r.append((1.0 - level) * pt(f"palm_{s}")[2])
        return r

    return solve(ctx.avatar, ctx.pts, BodyPose(a, "supine"), free, res)


def script(opts: ScriptOptions) -> Timeline:
    return alternating_sides(opts, "hold", move_s=1.5, hold_s=DEFAULT_HOLD_S, between_s=0.8)
