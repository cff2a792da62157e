"""Bird-dog: from hands and knees, reach one leg straight back and the opposite arm
straight forward, hold, return, switch sides. The rep's side is the raised leg's.
Faults: ``trunk_rotation`` (pelvis and trunk roll so the raised leg's hip hikes up,
supports stay down), ``same_side`` (arm and leg of one side), ``limb_not_extended``
(arm held low and bent, leg bent)."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions, lerp
from formcheck.synth.exercises.common import OTHER, quad_solve, tabletop
from formcheck.synth.solver import BodyPose
from formcheck.synth.timeline import Rep, Timeline

id = "bird_dog"
faults = ("trunk_rotation", "same_side", "limb_not_extended")
default_reps = 4
varied_reps = 3  # reps in a varied-suite clip (its timeline follows the varied motion)
levels = (0.0, 1.0)
suite_reps = 4  # reps in a synthetic-suite clip
suite_fault_reps = (2, 4, 6)  # the suite injects the fault into every other rep

# The committed sample clips (synth/samples.py): name -> ClipSpec settings.
samples = {
    "bird_dog_clean": {"reps": 2, "seed": 51},
    "bird_dog_trunk_rotation": {
        "reps": 2, "seed": 52, "fault": "trunk_rotation", "fault_reps": (2,)
    },
    "bird_dog_same_side": {"reps": 2, "seed": 53, "fault": "same_side", "fault_reps": (2,)},
}  # fmt: skip

ROLL_DEG = 18.0


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    base = tabletop(ctx)
    if level <= 0.0:
        return base
    leg, fault = variant.split("|")
    arm = leg if fault == "same_side" else OTHER[leg]
    bent = fault == "limb_not_extended"
    a = dict(base.angles)
    a[f"hip_flex_{leg}"] = lerp(base.angles[f"hip_flex_{leg}"], 45.0 if bent else -4.0, level)
    a[f"knee_flex_{leg}"] = lerp(base.angles[f"knee_flex_{leg}"], 75.0 if bent else 2.0, level)
    a[f"ankle_dorsi_{leg}"] = lerp(base.angles[f"ankle_dorsi_{leg}"], -15.0, level)
    a[f"shoulder_flex_{arm}"] = lerp(
        base.angles[f"shoulder_flex_{arm}"], 110.0 if bent else 178.0, level
    )
    a[f"elbow_flex_{arm}"] = (45.0 if bent else 0.0) * level
    a[f"wrist_ext_{arm}"] = lerp(base.angles[f"wrist_ext_{arm}"], 5.0, level)
    a["neck_flex"] = lerp(base.angles.get("neck_flex", 0.0), -18.0, level)
    if fault == "trunk_rotation":
        # Negative roll lifts the body's left (+X) side; the raised leg's hip hikes up.
        a["roll"] = (-1.0 if leg == "l" else 1.0) * ROLL_DEG * level
        a["lumbar_rot"] = (1.0 if leg == "l" else -1.0) * 0.3 * ROLL_DEG * level
    s_leg, s_arm = OTHER[leg], OTHER[arm]
    free = (
        "pitch", "tx", "ty", "tz",
        *(f"{j}_{s_leg}" for j in ("hip_flex", "hip_abd", "knee_flex", "ankle_dorsi")),
        *(f"{j}_{s_arm}" for j in ("shoulder_flex", "shoulder_abd", "wrist_ext")),
    )  # fmt: skip
    return quad_solve(ctx, a, free, knees=(s_leg,), hands=(s_arm,))


# Varied motion: clean reps reach at least this share of the full reach (leg and arm
# within ~12 deg of straight, clear of limb_not_extended); holds of 1.5-5 s (under 1 s is
# hold_too_short); an attempt too small to count lifts 5 % (~9 deg of the limbs' sum, under
# the 24-deg top).
FULL_FROM = 0.88
SMALL_ATTEMPT = 0.05
HOLD_RANGE_S = (1.5, 5.0)


def script(opts: ScriptOptions) -> Timeline:
    m = opts.mover()
    tl = Timeline(variant="l|clean")
    tl.hold(m.t(0.6))
    hold = opts.hold_s if opts.hold_s is not None else 2.0
    for i in range(1, opts.reps + 1):
        m.next_rep()
        leg = "l" if i % 2 == 1 else "r"
        fault = opts.fault if opts.faulty(i) else None
        start = tl.time_s
        top = tl.move(m.amplitude(FULL_FROM), m.t(1.3), f"{leg}|{fault or 'clean'}")
        top_end = tl.hold(m.top_hold(hold, *HOLD_RANGE_S))
        end = tl.move(0.0, m.t(1.3))
        side = "left" if leg == "l" else "right"
        tl.reps.append(Rep(i, "rep", side, start, (top + top_end) / 2, end, top, top_end,
                           (fault,) if fault else ()))  # fmt: skip
        m.rest(tl, m.t(0.4), small=SMALL_ATTEMPT, last=i == opts.reps)
    return tl
