"""The fault rules as a physiotherapist reads them: ``peak hip_extension < 165 deg``.

A definition writes each rule as one sentence, ``rule = "<stat> <signal> <op> <number>
<unit>"`` (or ``"<timing> <op> <number> s"``), and its condition as ``when = "..."`` in
the same form. They are read into the schema's fields (metric, op, value, unit) when
the file is loaded, so a patient config still overrides a rule's ``value`` keyed by
its metric, and written back in the same form by ``formcheck exercises show``.
"""

from __future__ import annotations

import re
from typing import Any

from formcheck.exercises.quantities import TIMINGS

_SENTENCE = re.compile(
    r"^\s*(?P<metric>(?P<stat>[a-z_]+)[ .](?P<signal>[a-z_{}0-9]+)|(?P<timing>[a-z_]+))\s*"
    r"(?P<op><=|>=|<|>)\s*(?P<value>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*(?P<unit>.*?)\s*$"
)


def parse(text: str) -> tuple[str, str, float, str | None]:
    """``"peak hip_angle < 165 deg"`` -> ("peak.hip_angle", "<", 165.0, "deg")."""
    m = _SENTENCE.match(text)
    if m is None:
        raise ValueError(
            f"cannot read rule {text!r}: write '<stat> <signal> <op> <number> <unit>', "
            "e.g. 'peak hip_angle < 165 deg', or '<timing> <op> <number> s'"
        )
    if m["timing"] is not None:
        metric = m["timing"]
        if metric not in TIMINGS:
            raise ValueError(
                f"cannot read rule {text!r}: {metric!r} is not a timing ({', '.join(TIMINGS)})"
            )
    else:
        metric = f"{m['stat']}.{m['signal']}"
    return metric, m["op"], float(m["value"]), m["unit"] or None


def sentence(metric: str, op: str, value: float, unit: str | None) -> str:
    """The rule as written in a definition: ``peak hip_angle < 165 deg``."""
    stat, dot, signal = metric.partition(".")
    subject = f"{stat} {signal}" if dot else metric
    return f"{subject} {op} {value:g}" + (f" {unit}" if unit else "")


def read_faults(raw: dict[str, Any]) -> dict[str, Any]:
    """A definition's raw table with each ``rule``/``when`` sentence read into fields."""
    faults = raw.get("faults")
    if not isinstance(faults, list):
        return raw
    out = []
    for i, rule in enumerate(faults):
        if not isinstance(rule, dict):
            out.append(rule)
            continue
        rule = dict(rule)
        where = f"faults[{i}] ({rule.get('id', '?')})"
        for key, fields in (
            ("rule", ("metric", "op", "value", "unit")),
            ("when", ("when_metric", "when_op", "when_value", "when_unit")),
        ):
            if key not in rule:
                continue
            clash = [f for f in fields if f is not None and f in rule]
            if clash:
                raise ValueError(f"{where}: write either {key} or {clash[0]}, not both")
            text = rule.pop(key)
            if not isinstance(text, str):
                raise ValueError(
                    f"{where}.{key}: expected a sentence such as 'peak hip_angle < 165 deg'"
                )
            try:
                parsed = parse(text)
            except ValueError as err:
                raise ValueError(f"{where}.{key}: {err}") from None
            for name, value in zip(fields, parsed, strict=True):
                if name is not None and value is not None:
                    rule[name] = value
        out.append(rule)
    return {**raw, "faults": out}


# Recognition cues are sentences about the whole clip (or photo): a statistic of one
# of the exercise's signals over it (`high`: its 97th percentile, `low`: its 3rd,
# `range`: the span between them, robust to a few bad frames) or how many reps its own
# counter counted (`count >= 1`). Alternatives are joined with " or ".
CUE_STATS = ("high", "low", "range", "count")
_CUE = re.compile(
    r"^\s*(?P<stat>[a-z_]+)(\s+(?P<signal>[a-z_0-9]+))?\s*(?P<op><=|>=|<|>)\s*"
    r"(?P<value>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*(?P<unit>.*?)\s*$"
)


def parse_cue(text: str) -> list[tuple[str, str | None, str, float, str | None]]:
    """``"range hip_angle >= 20 deg or count >= 1"`` -> its alternatives."""
    out: list[tuple[str, str | None, str, float, str | None]] = []
    for part in text.split(" or "):
        m = _CUE.match(part)
        if (
            m is None
            or m["stat"] not in CUE_STATS
            or (m["signal"] is None) != (m["stat"] == "count")
        ):
            raise ValueError(
                f"cannot read cue {part.strip()!r}: write '<high|low|range> <signal> <op> <number> "
                "<unit>' or 'count <op> <number>', alternatives joined with ' or '"
            )
        assert m is not None
        out.append((m["stat"], m["signal"], m["op"], float(m["value"]), m["unit"] or None))
    return out
