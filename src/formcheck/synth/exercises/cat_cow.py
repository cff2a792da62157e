"""Cat-cow on hands and knees: arch down (cow: lumbar extension, head up) then round up
(cat: spine flexed, head tucked). One cow plus one cat is one cycle. Fault:
``small_range`` (about a third of the normal spinal motion)."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions
from formcheck.synth.exercises.common import QUAD_FREE, quad_solve, tabletop
from formcheck.synth.solver import BodyPose
from formcheck.synth.timeline import Rep, Timeline

id = "cat_cow"
faults = ("small_range",)
default_reps = 2
levels = (-1.0, 1.0)  # -1 cow, +1 cat
suite_fault_reps = (2, 4, 6)  # the suite injects the fault into every other cycle

# The committed sample clips (synth/samples.py): name -> ClipSpec settings.
samples = {
    "cat_cow_clean": {"reps": 2, "seed": 31},
    "cat_cow_small_range": {"reps": 2, "seed": 32, "fault": "small_range", "fault_reps": (2,)},
}

SMALL = 0.3
# Full-range angles at the cat (+1); the cow (-1) mirrors them with these scales.
CAT = {"lumbar_flex": 22.0, "thoracic_flex": 24.0, "neck_flex": 30.0, "pelvis_tilt": 12.0}
COW_SCALE = {"lumbar_flex": 1.1, "thoracic_flex": 0.5, "neck_flex": 1.1, "pelvis_tilt": 1.0}


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    base = tabletop(ctx)
    if level == 0.0:
        return base
    c = level * (SMALL if variant == "small_range" else 1.0)
    angles = dict(base.angles)
    for name, value in CAT.items():
        scale = 1.0 if c > 0 else COW_SCALE[name]
        angles[name] = angles.get(name, 0.0) + value * c * scale
    free = (*QUAD_FREE, "pitch", "ty", "tz")
    return quad_solve(ctx, angles, free)


def script(opts: ScriptOptions) -> Timeline:
    k = 1.0 / opts.tempo
    tl = Timeline()
    tl.hold(0.6 * k)
    hold = opts.hold_s if opts.hold_s is not None else 0.6
    for i in range(1, opts.reps + 1):
        variant = "small_range" if opts.faulty(i) else "clean"
        start = tl.time_s
        tl.move(-1.0, 1.4 * k, variant)  # cow
        tl.hold(hold)
        cat = tl.move(1.0, 2.2 * k)
        cat_end = tl.hold(hold)
        end = tl.move(0.0, 1.2 * k)
        tl.reps.append(Rep(i, "cycle", None, start, (cat + cat_end) / 2, end, None, None,
                           (variant,) if variant != "clean" else ()))  # fmt: skip
    tl.hold(0.4 * k)
    return tl
