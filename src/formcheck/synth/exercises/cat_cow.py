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
varied_reps = 2  # reps in a varied-suite clip (its timeline follows the varied motion)
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


# Varied motion: clean cycles swing at least this share of the full range (clear of
# small_range); each end is held 0.2-1.5 s; a clean cycle lasts at least 3.5 s (under 2.5 s
# is too_fast); an attempt too small to count is a 6 % cow.
FULL_FROM = 0.85
SMALL_ATTEMPT = -0.06
HOLD_RANGE_S = (0.2, 1.5)
MIN_CYCLE_S = 3.5


def script(opts: ScriptOptions) -> Timeline:
    m = opts.mover()
    tl = Timeline()
    tl.hold(m.t(0.6))
    hold = opts.hold_s if opts.hold_s is not None else 0.6
    for i in range(1, opts.reps + 1):
        m.next_rep()
        variant = "small_range" if opts.faulty(i) else "clean"
        holds = (m.top_hold(hold, *HOLD_RANGE_S), m.top_hold(hold, *HOLD_RANGE_S))
        moves = (m.t(1.4), m.t(2.2), m.t(1.2))
        # A cycle rushed under MIN_CYCLE_S is slowed to it (when varied).
        stretch = m.at_least(sum(moves) + sum(holds), MIN_CYCLE_S) / (sum(moves) + sum(holds))
        moves = tuple(d * stretch for d in moves)
        start = tl.time_s
        tl.move(-m.amplitude(FULL_FROM), moves[0], variant)  # cow
        tl.hold(holds[0])
        cat = tl.move(m.amplitude(FULL_FROM), moves[1])
        cat_end = tl.hold(holds[1])
        end = tl.move(0.0, moves[2])
        tl.reps.append(Rep(i, "cycle", None, start, (cat + cat_end) / 2, end, None, None,
                           (variant,) if variant != "clean" else ()))  # fmt: skip
        if m.varied:
            m.rest(tl, 0.0, small=SMALL_ATTEMPT, fidget_sign=0.0, last=i == opts.reps)
    tl.hold(m.t(0.4))
    return tl
