"""Child's pose: from hands and knees, sit back on the heels, fold the trunk over the
thighs with the arms reaching forward on the mat and the forehead down; hold. Faults:
``hips_off_heels`` (knees stay less bent, hips high) and ``arms_bent``."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions, lerp
from formcheck.synth.exercises.common import SIDES, quad_solve, tabletop
from formcheck.synth.solver import BodyPose, Points
from formcheck.synth.timeline import Rep, Timeline

id = "childs_pose"
faults = ("hips_off_heels", "arms_bent")
default_reps = 1
varied_reps = 1  # reps in a varied-suite clip (its timeline follows the varied motion)
levels = (0.0, 1.0)

# The committed sample clips (synth/samples.py): name -> ClipSpec settings.
samples = {
    "childs_pose_clean": {"seed": 41, "hold_s": 5.0},
    "childs_pose_hips_off_heels": {"seed": 42, "hold_s": 5.0, "fault": "hips_off_heels"},
}

DEFAULT_HOLD_S = 8.0
KNEE_FULL = {"clean": 162.0, "arms_bent": 162.0, "hips_off_heels": 115.0}
HIP_FULL = {"clean": 140.0, "arms_bent": 140.0, "hips_off_heels": 105.0}


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    base = tabletop(ctx)
    if level <= 0.0:
        return base
    a = dict(base.angles)
    for s in SIDES:
        a[f"knee_flex_{s}"] = lerp(base.angles[f"knee_flex_{s}"], KNEE_FULL[variant], level)
        a[f"hip_flex_{s}"] = lerp(base.angles[f"hip_flex_{s}"], HIP_FULL[variant], level)
        a[f"shoulder_flex_{s}"] = lerp(base.angles[f"shoulder_flex_{s}"], 160.0, level)
        a[f"shoulder_abd_{s}"] = lerp(base.angles[f"shoulder_abd_{s}"], 12.0, level)
        a[f"wrist_ext_{s}"] = lerp(
            base.angles[f"wrist_ext_{s}"], 45.0 if variant == "arms_bent" else 8.0, level
        )
        if variant == "arms_bent":
            a[f"elbow_flex_{s}"] = 75.0 * level
    a["lumbar_flex"] = 18.0 * level
    a["thoracic_flex"] = 14.0 * level
    a["neck_flex"] = lerp(base.angles.get("neck_flex", 0.0), 12.0, level)

    def head_down(pt: Points) -> list[float]:
        # Forehead to the mat and, with straight arms, forearms resting on it.
        r = [level**2 * pt("forehead")[2]]
        if variant != "arms_bent":
            r += [level**2 * (pt(f"@lowerarm_{s}")[2] - 0.045) for s in SIDES]
        return r

    free = ["pitch", "ty", "tz", "neck_flex"] + [
        f"{j}_{s}" for j in ("ankle_dorsi", "shoulder_flex", "wrist_ext", "hip_flex") for s in SIDES
    ]
    return quad_solve(ctx, a, tuple(free), hands=SIDES, extra=head_down, hand_anchor=False)


# Varied motion: the fold reaches at least this share of the full pose (the hip fold is
# judged against an absolute line); holds of 3-10 s.
FULL_FROM = 0.92
HOLD_RANGE_S = (3.0, 10.0)


def script(opts: ScriptOptions) -> Timeline:
    m = opts.mover()
    tl = Timeline()
    tl.hold(m.t(0.8))
    hold = opts.hold_s if opts.hold_s is not None else DEFAULT_HOLD_S
    for i in range(1, opts.reps + 1):
        m.next_rep()
        variant = opts.fault if opts.faulty(i) and opts.fault else "clean"
        start = tl.time_s
        top = tl.move(m.amplitude(FULL_FROM), m.t(2.5), variant)
        top_end = tl.hold(m.top_hold(hold, *HOLD_RANGE_S))
        end = tl.move(0.0, m.t(2.0))
        tl.reps.append(Rep(i, "hold", None, start, (top + top_end) / 2, end, top, top_end,
                           (variant,) if variant != "clean" else ()))  # fmt: skip
        m.rest(tl, m.t(0.6), last=i == opts.reps)
    return tl
