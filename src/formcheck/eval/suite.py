"""The synthetic benchmark suite: every exercise x clean and each fault x camera x body.

Generated reproducibly from seeds by ``formcheck eval-suite OUT``; kept out of git.
Each clip is written with its ``.truth.json``; ``formcheck eval OUT`` scores them.

The full grid crosses: the five exercises, clean and each injected fault, camera
azimuth 0, +-15 and +-30 degrees from side-on, two distances, and a seed per clip
that varies body shape, clothing colours, near side, noise, blur and compression.
Faults are injected into every other rep so that the same clip tests "found where
injected" and "quiet on clean reps".

The ``high`` preset is a stress set beyond that grid: the camera high above the mat
(35 and 45 degrees down, as from a shelf or a tripod at full height; the full grid's
elevations are 5-25), 20 degrees off side-on, every exercise clean and with each fault.

The ``varied`` preset varies the movement as well as the camera: every exercise clean and
with each fault, three times, with movement variety on (tempo, amplitude, holds, pauses,
fidgets, sighs, shuffles, too-small attempts, clips cut mid-rep: synth/variety.py) and the
camera 0-20, 20-40 and 40-60 deg off side-on (one clip each, towards the head or the feet
as drawn) at 0-15, 15-30 or 30-45 deg elevation (a Latin square over the three clips, so
each azimuth band meets each elevation band).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

AZIMUTHS = (0.0, -15.0, 15.0, -30.0, 30.0)
# The suite the thresholds were set on starts here; another base gives a held-out suite.
DEFAULT_SEED_BASE = 1000
DISTANCES = ("near", "far")
HIGH_ELEVATIONS = (35.0, 45.0)
HIGH_AZIMUTH = 20.0
PRESETS = ("full", "small", "high", "varied")
VARIED_AZIMUTH_BANDS = ((0.0, 20.0), (20.0, 40.0), (40.0, 60.0))
VARIED_ELEVATION_BANDS = ((0.0, 15.0), (15.0, 30.0), (30.0, 45.0))
# Reps performed in a varied clip (one more per edge cut): enough to count, short enough
# that slow tempos and long holds keep a clip under ~45 s.


@dataclass(frozen=True)
class SuiteItem:
    name: str
    exercise: str
    fault: str | None
    fault_reps: tuple[int, ...] | None
    azimuth_deg: float
    distance: str
    seed: int
    elevation_deg: float | None = None  # None: drawn from the seed (5-25 degrees)
    variety: bool = False  # movement variety drawn from the seed
    reps: int | None = None  # None: the script's suite_reps (or its default)


def _faults(exercise: str) -> tuple[str, ...]:
    from formcheck.synth.exercises import script_for

    return tuple(script_for(exercise).faults)


def suite_items(preset: str = "full", seed_base: int = DEFAULT_SEED_BASE) -> Iterator[SuiteItem]:
    """The suite's clips. ``small`` is a fixed subset that runs in the test suite; ``high``
    the high-camera stress set."""
    from formcheck.synth.exercises import scripted_ids

    if preset == "high":
        yield from _high_items(seed_base)
        return
    if preset == "varied":
        yield from _varied_items(seed_base)
        return
    azimuths = AZIMUTHS if preset == "full" else (0.0, 15.0)
    distances = DISTANCES if preset == "full" else ("near",)
    seed = seed_base
    for exercise in scripted_ids():
        variants: list[str | None] = [None, *_faults(exercise)]
        for fault, az, dist in itertools.product(variants, azimuths, distances):
            seed += 1
            if preset == "small" and (fault is not None) and az != 0.0:
                continue
            tag = fault or "clean"
            name = f"{exercise}-{tag}-az{az:+.0f}-{dist}-s{seed}"
            yield SuiteItem(name, exercise, fault, _fault_reps(exercise, fault), az, dist, seed)


def _fault_reps(exercise: str, fault: str | None) -> tuple[int, ...] | None:
    """The reps that carry the fault: the script's ``suite_fault_reps`` (every other rep,
    so one clip tests "found where injected" and "quiet on clean reps"); default all."""
    from formcheck.synth.exercises import script_for

    if fault is None:
        return None
    return getattr(script_for(exercise), "suite_fault_reps", None)


def _high_items(seed_base: int) -> Iterator[SuiteItem]:
    """Each exercise, clean and with each fault, at each high elevation; the camera
    20 degrees off side-on, towards the head and the feet in turn."""
    from formcheck.synth.exercises import scripted_ids

    seed = seed_base
    for exercise in scripted_ids():
        for fault, el in itertools.product([None, *_faults(exercise)], HIGH_ELEVATIONS):
            seed += 1
            az = HIGH_AZIMUTH if seed % 2 else -HIGH_AZIMUTH
            name = f"{exercise}-{fault or 'clean'}-el{el:.0f}-az{az:+.0f}-s{seed}"
            yield SuiteItem(
                name, exercise, fault, _fault_reps(exercise, fault), az, "near", seed, el
            )


def _varied_items(seed_base: int) -> Iterator[SuiteItem]:
    """Each exercise, clean and with each fault, once per azimuth band, movement varied."""
    import numpy as np

    from formcheck.synth.exercises import script_for, scripted_ids

    seed = seed_base
    for exercise in scripted_ids():
        # A script whose timeline follows the varied motion says how many reps such a clip
        # shows (``varied_reps``); the others render as scripted, so they are left out.
        reps = getattr(script_for(exercise), "varied_reps", None)
        if reps is None:
            continue
        for v, fault in enumerate([None, *_faults(exercise)]):
            for b, (az_lo, az_hi) in enumerate(VARIED_AZIMUTH_BANDS):
                seed += 1
                rng = np.random.default_rng([seed, 11])
                el_lo, el_hi = VARIED_ELEVATION_BANDS[(v + b) % 3]
                az = float(rng.uniform(az_lo, az_hi)) * (1 if rng.random() < 0.5 else -1)
                el = float(rng.uniform(el_lo, el_hi))
                name = f"{exercise}-{fault or 'clean'}-az{az:+.0f}-el{el:.0f}-s{seed}"
                yield SuiteItem(name, exercise, fault, _fault_reps(exercise, fault), round(az, 1),
                                "near", seed, round(el, 1), variety=True, reps=reps)  # fmt: skip


def render_item(item: SuiteItem, out: Path) -> Path:
    """Render one suite clip and its truth; returns the video path (skips existing ones)."""
    from formcheck.synth import render_clip

    path = out / f"{item.name}.mp4"
    if path.exists() and path.with_name(f"{item.name}.truth.json").exists():
        return path
    options: dict[str, object] = {
        "fault": item.fault,
        "seed": item.seed,
        "azimuth_deg": item.azimuth_deg,
        "elevation_deg": item.elevation_deg,
        "distance_m": None if item.distance == "near" else 4.0,
        "vary": True,
    }
    if item.fault_reps is not None:
        options["fault_reps"] = item.fault_reps
    if item.variety:
        options["variety"] = True
    from formcheck.synth.exercises import script_for

    # The script's `suite_reps`: how many reps a suite clip shows (default: its own default).
    reps = item.reps or getattr(script_for(item.exercise), "suite_reps", None)
    if reps is not None:
        options["reps"] = reps
    render_clip(item.exercise, path, **options)
    return path
