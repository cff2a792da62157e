"""Pelvic tilt: lying on the back, knees bent, flatten the lower back into the mat
(posterior pelvic tilt), hold, release. The tilt is a small pelvis rotation with the
lumbar spine flexing to follow and the buttocks staying down. Faults:
``buttocks_lifting`` (the tilt turns into a small bridge), ``hold_too_short``."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions
from formcheck.synth.exercises.common import SIDES, solve_supine, supine_rest
from formcheck.synth.solver import BodyPose
from formcheck.synth.timeline import Rep, Timeline

id = "pelvic_tilt"
faults = ("buttocks_lifting", "hold_too_short")
default_reps = 3
levels = (0.0, 1.0)
suite_reps = 2  # 10 s holds: two keep a synthetic-suite clip under 30 s

# The committed sample clips (synth/samples.py): one hold of the prescribed 10 s each, as
# shorter holds are themselves a fault.
samples = {
    "pelvic_tilt_clean": {"reps": 1, "seed": 21, "hold_s": 10.0},
    "pelvic_tilt_buttocks_lifting": {
        "reps": 1, "seed": 22, "hold_s": 10.0, "fault": "buttocks_lifting"
    },
}  # fmt: skip

TILT_DEG = 12.0
DEFAULT_HOLD_S = 10.0
SHORT_HOLD_S = 2.0
LIFT_DEG = 26.0  # extra hip extension when the buttocks come up


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    rest = supine_rest(ctx)
    if level <= 0.0:
        return rest
    angles = dict(rest.angles)
    tilt = TILT_DEG * level
    lift = LIFT_DEG * level if variant == "buttocks_lifting" else 0.0
    angles["pelvis_tilt"] = tilt
    angles["lumbar_flex"] = tilt
    for s in SIDES:
        # Tilting the pelvis back is hip extension relative to the pelvis.
        angles[f"hip_flex_{s}"] = rest.angles[f"hip_flex_{s}"] - tilt - lift
    return solve_supine(ctx.avatar, ctx.pts, angles, free_hip=False)


def script(opts: ScriptOptions) -> Timeline:
    k = 1.0 / opts.tempo
    tl = Timeline()
    tl.hold(0.8 * k)
    hold = opts.hold_s if opts.hold_s is not None else DEFAULT_HOLD_S
    for i in range(1, opts.reps + 1):
        fault = opts.fault if opts.faulty(i) else None
        variant = "buttocks_lifting" if fault == "buttocks_lifting" else "clean"
        this_hold = min(SHORT_HOLD_S, hold / 3) if fault == "hold_too_short" else hold
        start = tl.time_s
        top = tl.move(1.0, 1.0 * k, variant)
        top_end = tl.hold(this_hold)
        end = tl.move(0.0, 1.0 * k)
        tl.reps.append(Rep(i, "hold", None, start, (top + top_end) / 2, end, top, top_end,
                           (fault,) if fault else ()))  # fmt: skip
        tl.hold(1.0 * k)
    return tl
