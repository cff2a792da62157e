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
varied_reps = 2  # reps in a varied-suite clip (its timeline follows the varied motion)
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


# Varied motion: tilts of at least this share of the full tilt; clean holds of 10-13 s
# (under 8.5 s is hold_too_short); short holds of 1.5-3 s.
FULL_FROM = 0.85
HOLD_RANGE_S = (10.0, 13.0)
SHORT_RANGE_S = (1.5, 3.0)


def script(opts: ScriptOptions) -> Timeline:
    m = opts.mover()
    tl = Timeline()
    tl.hold(m.t(0.8))
    hold = opts.hold_s if opts.hold_s is not None else DEFAULT_HOLD_S
    for i in range(1, opts.reps + 1):
        m.next_rep()
        fault = opts.fault if opts.faulty(i) else None
        variant = "buttocks_lifting" if fault == "buttocks_lifting" else "clean"
        if fault == "hold_too_short":
            this_hold = m.top_hold(min(SHORT_HOLD_S, hold / 3), *SHORT_RANGE_S)
        else:
            this_hold = m.top_hold(hold, *HOLD_RANGE_S)
        start = tl.time_s
        top = tl.move(m.amplitude(FULL_FROM), m.t(1.0), variant)
        top_end = tl.hold(this_hold)
        end = tl.move(0.0, m.t(1.0))
        tl.reps.append(Rep(i, "hold", None, start, (top + top_end) / 2, end, top, top_end,
                           (fault,) if fault else ()))  # fmt: skip
        m.rest(tl, m.t(1.0), last=i == opts.reps)
    return tl
