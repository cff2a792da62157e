"""Glute bridge: lying on the back, knees bent, lift the hips until shoulder, hip and knee
line up, squeeze, lower slowly. Faults: ``sagging_hips`` (partial lift, hip angle well
short of straight) and ``over_arching`` (hips pushed past the line, lumbar extension)."""

from __future__ import annotations

from formcheck.synth.exercises.base import PoseContext, ScriptOptions, lerp
from formcheck.synth.exercises.common import SIDES, solve_supine, supine_rest
from formcheck.synth.solver import BodyPose
from formcheck.synth.timeline import Rep, Timeline

id = "bridge"
faults = ("sagging_hips", "over_arching")
default_reps = 3
varied_reps = 3  # reps in a varied-suite clip (its timeline follows the varied motion)
levels = (0.0, 1.0)
suite_reps = 4  # reps in a synthetic-suite clip
suite_fault_reps = (2, 4, 6)  # the suite injects the fault into every other rep

# The committed sample clips (synth/samples.py): name -> ClipSpec settings.
samples = {
    "bridge_clean": {"reps": 3, "seed": 11},
    "bridge_sagging_hips": {"reps": 3, "seed": 12, "fault": "sagging_hips", "fault_reps": (2, 3)},
}

# Hip flexion at the top of the lift, and lumbar flexion (negative: extension).
# A sagging lift stops about half-way: the hips leave the floor but stay well short
# of the shoulder-knee line (about 155 deg against 180).
TOP = {"clean": (0.0, 0.0), "sagging_hips": (26.0, 0.0), "over_arching": (-10.0, -12.0)}


def key_pose(ctx: PoseContext, variant: str, level: float) -> BodyPose:
    rest = supine_rest(ctx)
    if level <= 0.0:
        return rest
    hip_top, lumbar_top = TOP[variant]
    angles = dict(rest.angles)
    for s in SIDES:
        angles[f"hip_flex_{s}"] = lerp(rest.angles[f"hip_flex_{s}"], hip_top, level)
    angles["lumbar_flex"] = lerp(0.0, lumbar_top, level)
    return solve_supine(ctx.avatar, ctx.pts, angles, free_hip=False)


# Varied motion: clean reps lift at least this share of the full range (the top stays
# within ~8 deg of straight, clear of sagging_hips); an attempt too small to count lifts
# 6 % (~3 deg, under the definition's 7-deg top); lowering takes at least 1 s (faster reads
# as lowering_too_fast).
FULL_FROM = 0.88
SMALL_ATTEMPT = 0.06
MIN_LOWER_S = 1.0


def script(opts: ScriptOptions) -> Timeline:
    m = opts.mover()
    tl = Timeline()
    tl.hold(m.t(0.6))
    hold = opts.hold_s if opts.hold_s is not None else 1.0
    for i in range(1, opts.reps + 1):
        m.next_rep()
        variant = opts.fault if opts.faulty(i) else "clean"
        start = tl.time_s
        top = tl.move(m.amplitude(FULL_FROM), m.t(1.3), variant)
        top_end = tl.hold(m.top_hold(hold, 0.0, 5.0))
        end = tl.move(0.0, m.at_least(m.t(1.6), MIN_LOWER_S))
        tl.reps.append(Rep(i, "rep", None, start, (top + top_end) / 2, end, top, top_end,
                           (variant,) if variant != "clean" else ()))  # fmt: skip
        m.rest(tl, m.t(0.4), small=SMALL_ATTEMPT, last=i == opts.reps)
    return tl
