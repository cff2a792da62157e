"""Units and plausible ranges of every quantity a definition names.

Each signal has a unit (degrees for angles, torso lengths for distances in the
picture, scaled by ``scale``) and a range it can physically take. A fault rule
is checked against them when a definition or a patient config is loaded: its
metric must name a statistic the analysis measures of a defined signal (a
misspelt one would silently never fire), and its threshold must lie inside the
metric's plausible range (-160 deg for a peak angle, or 1e9 s for a lowering
time, would silently switch the fault off). Combining signals of different
units is an error unless the definition declares the result's unit on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from formcheck.exercises.schema import ExerciseSpec, SignalSpec

ANGLE_KINDS = frozenset({"angle", "signed_angle", "sagittal_angle", "roll", "twist", "inclination"})
# The range each kind of signal can take before `scale`: an angle at a joint 0-180,
# a signed one (in the picture or the body's own plane) continues past straight to 360;
# rolls, twists and inclinations turn either way.
# Distances are in torso lengths: a body in the picture spans a few of them, so 10 is
# far beyond anything real while still catching a threshold typed in the wrong unit.
KIND_RANGE: dict[str, tuple[float, float]] = {
    "angle": (0.0, 180.0),
    "signed_angle": (0.0, 360.0),
    "sagittal_angle": (0.0, 360.0),
    "roll": (-90.0, 90.0),
    "twist": (-180.0, 180.0),
    "inclination": (-90.0, 90.0),
    "height": (-10.0, 10.0),
    "along": (-10.0, 10.0),
    "side_gap": (0.0, 10.0),
    "elevation": (-10.0, 10.0),
    "drop": (-10.0, 10.0),
    "sagittal_height": (-10.0, 10.0),
}
# Statistics of a signal over a rep (analysis/metrics.py): levels take the signal's own
# range; changes (a rise, a range) up to its full span.
LEVEL_STATS = ("peak", "max", "min", "mean", "hold_mean", "hold_max")
CHANGE_STATS = ("range", "rise", "drop", "hold_rise")
# Timings of a rep, in seconds. No rep is longer than the counter's longest (120 s by
# default, max_rep_s); 600 s leaves room while rejecting a typing slip such as 1e9.
TIMINGS = ("lift_s", "hold_s", "lower_s", "duration_s")
MAX_TIME_S = 600.0


@dataclass(frozen=True)
class Quantity:
    unit: str
    lo: float
    hi: float

    def describe(self) -> str:
        return f"{self.lo:g} to {self.hi:g} {self.unit}"


def _signal_quantity(spec: SignalSpec) -> Quantity:
    lo, hi = KIND_RANGE[spec.kind]
    return Quantity(spec.unit, lo * spec.scale, hi * spec.scale)


def signal_quantities(ex: ExerciseSpec) -> dict[str, Quantity]:
    """Every signal name's unit and range (combined signals from their parts).

    Raises ValueError when a combination mixes units the definition did not declare.
    """
    out: dict[str, Quantity] = {}
    for name, spec in ex.signals.items():
        q = _signal_quantity(spec)
        names = [f"{name}_left", f"{name}_right"] if spec.side == "each" else [name]
        out.update(dict.fromkeys(names, q))
    for name, source in ex.side_max.items():
        out[name] = out[f"{source}_left"]
    for table, sign in (("derived", -1.0), ("sums", 1.0)):
        for name, (a, b) in getattr(ex, table).items():
            qa, qb = out[a], out[b]
            if sign < 0:
                lo, hi = qa.lo - qb.hi, qa.hi - qb.lo
            else:
                lo, hi = qa.lo + qb.lo, qa.hi + qb.hi
            unit = qa.unit
            if qa.unit != qb.unit:
                declared = ex.mixed_units.get(name)
                if declared is None:
                    op = "-" if sign < 0 else "+"
                    raise ValueError(
                        f"{table}.{name}: {a} ({qa.unit}) {op} {b} ({qb.unit}) combines "
                        "different units; declare the result's unit in [mixed_units] if meant"
                    )
                unit = declared
            out[name] = Quantity(unit, lo, hi)
    for name, spec in ex.consensus.items():
        # Either sign may be learned for each part: the sum spans both.
        reach = sum(max(abs(out[part].lo), abs(out[part].hi)) for part in spec.parts)
        out[name] = Quantity(spec.unit, -reach, reach)
    return out


def metric_quantity(metric: str, signals: dict[str, Quantity]) -> Quantity:
    """The unit and plausible range of a rule's metric; ValueError naming what is wrong."""
    if metric in TIMINGS:
        return Quantity("s", 0.0, MAX_TIME_S)
    stat, dot, signal = metric.partition(".")
    stats = (*LEVEL_STATS, *CHANGE_STATS)
    if not dot or stat not in stats:
        raise ValueError(
            f"unknown metric {metric!r}: use <stat>.<signal> with stat one of "
            f"{', '.join(stats)}, or a timing: {', '.join(TIMINGS)}"
        )
    names = _expand_sides(signal)
    missing = [n for n in names if n not in signals]
    if missing:
        raise ValueError(
            f"unknown metric {metric!r}: no signal {missing[0]!r}; the signals are "
            f"{', '.join(signals)}"
        )
    q = signals[names[0]]
    if stat in LEVEL_STATS:
        return q
    span = q.hi - q.lo
    return Quantity(q.unit, 0.0 if stat == "range" else -span, span)


def _expand_sides(signal: str) -> list[str]:
    # `{side}` and `{other}` become left and right on each rep: both must exist.
    if "{side}" not in signal and "{other}" not in signal:
        return [signal]
    out = []
    for side, other in (("left", "right"), ("right", "left")):
        out.append(signal.replace("{side}", side).replace("{other}", other))
    return out


def check_rules(ex: ExerciseSpec) -> None:
    """Every fault test names a measured metric and a threshold in its plausible range."""
    signals = signal_quantities(ex)
    for rule in ex.faults:
        for test in rule.any_of:
            key = f'faults.{rule.id}."{test.metric}"'
            for metric, value, field in (
                (test.metric, test.value, "value"),
                (test.when_metric, test.when_value, "when_value"),
            ):
                if metric is None:
                    continue
                try:
                    q = metric_quantity(metric, signals)
                except ValueError as err:
                    where = "metric" if field == "value" else "when_metric"
                    raise ValueError(f"{key}.{where}: {err}") from None
                if value is not None and not q.lo <= value <= q.hi:
                    raise ValueError(
                        f"{key}.{field}: {value:g} is outside the plausible range of {metric} "
                        f"({q.describe()})"
                    )
                unit = test.unit if field == "value" else test.when_unit
                if unit is not None and unit != q.unit:
                    raise ValueError(
                        f"{key}.{field}: written in {unit} but {metric} is in {q.unit}"
                    )


def check_cues(ex: ExerciseSpec) -> None:
    """Recognition cues name this exercise's signals, in their units and ranges."""
    from formcheck.exercises.rules import parse_cue

    signals = signal_quantities(ex)
    keyed = [(f"recognition.cues[{i}]", text) for i, text in enumerate(ex.recognition.cues)]
    for k, variant in enumerate(ex.recognition.variants):
        keyed += [(f"recognition.variants[{k}].cues[{i}]", t) for i, t in enumerate(variant.cues)]
    for key, text in keyed:
        try:
            alternatives = parse_cue(text)
        except ValueError as err:
            raise ValueError(f"{key}: {err}") from None
        for stat, signal, _op, value, unit in alternatives:
            if signal is None:
                continue
            if signal not in signals:
                raise ValueError(
                    f"{key}: no signal {signal!r}; the signals are {', '.join(signals)}"
                )
            q = signals[signal]
            lo, hi = (0.0, q.hi - q.lo) if stat == "range" else (q.lo, q.hi)
            if not lo <= value <= hi:
                raise ValueError(
                    f"{key}: {value:g} is outside the plausible range of {stat} {signal} "
                    f"({lo:g} to {hi:g} {q.unit})"
                )
            if unit is not None and unit != q.unit:
                raise ValueError(f"{key}: written in {unit} but {signal} is in {q.unit}")
