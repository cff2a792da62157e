"""The fault rules as a physiotherapist reads them: ``peak hip_extension < 165 deg``.

A definition writes each test as one sentence, ``rule = "<stat> <signal> <op> <number>
<unit>"`` (or ``"<timing> <op> <number> s"``), and its condition as ``when = "..."`` in
the same form (or just ``"<stat> <signal>"`` with ``when_hidden = "only"``: judged only
while that is hidden). A fault with alternatives lists its tests in ``any_of``. They are
read into the schema's fields (metric, op, value, unit) when the file is loaded, so a
patient config still overrides a test's ``value`` keyed by its metric, and written back
in the same form by ``formcheck exercises show``.
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


_METRIC = re.compile(r"^\s*(?P<stat>[a-z_]+)[ .](?P<signal>[a-z_{}0-9]+)\s*$")


def parse_metric(text: str) -> str:
    """``"hold_max arm_raise_{side}"`` -> "hold_max.arm_raise_{side}" (a ``when`` that names
    only what may be hidden, for ``when_hidden = "only"``)."""
    m = _METRIC.match(text)
    if m is None:
        raise ValueError(
            f"cannot read {text!r}: write '<stat> <signal>', e.g. 'hold_max arm_raise'"
        )
    return f"{m['stat']}.{m['signal']}"


def _read_test(test: dict[str, Any], where: str) -> dict[str, Any]:
    """One test's ``rule``/``when`` sentences read into fields."""
    test = dict(test)
    for key, fields in (
        ("rule", ("metric", "op", "value", "unit")),
        ("when", ("when_metric", "when_op", "when_value", "when_unit")),
    ):
        if key not in test:
            continue
        clash = [f for f in fields if f in test]
        if clash:
            raise ValueError(f"{where}: write either {key} or {clash[0]}, not both")
        text = test.pop(key)
        if not isinstance(text, str):
            raise ValueError(
                f"{where}.{key}: expected a sentence such as 'peak hip_angle < 165 deg'"
            )
        try:
            if key == "when" and test.get("when_hidden") == "only":
                test["when_metric"] = parse_metric(text)
                continue
            parsed = parse(text)
        except ValueError as err:
            raise ValueError(f"{where}.{key}: {err}") from None
        for name, value in zip(fields, parsed, strict=True):
            if value is not None:
                test[name] = value
    return test


def read_faults(raw: dict[str, Any]) -> dict[str, Any]:
    """A definition's raw table with each ``rule``/``when`` sentence read into fields
    (in a rule of one test, and in each test of a rule's ``any_of``)."""
    faults = raw.get("faults")
    if not isinstance(faults, list):
        return raw
    out = []
    for i, rule in enumerate(faults):
        if not isinstance(rule, dict):
            out.append(rule)
            continue
        where = f"faults[{i}] ({rule.get('id', '?')})"
        tests = rule.get("any_of")
        if isinstance(tests, list):
            rule = dict(rule)
            rule["any_of"] = [
                _read_test(t, f"{where}.any_of[{j}]") if isinstance(t, dict) else t
                for j, t in enumerate(tests)
            ]
            out.append(rule)
        else:
            out.append(_read_test(rule, where))
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
