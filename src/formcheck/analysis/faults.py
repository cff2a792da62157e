"""The fault engine: evaluates an exercise's fault rules on a rep's metrics.

It never names an exercise: everything it knows comes from the rules.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from formcheck.exercises.schema import FaultRule, FaultTest

_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
SEVERITY_PENALTY = {"info": 0.1, "warning": 0.25, "error": 0.5}


@dataclass(frozen=True)
class FaultHit:
    rule: FaultRule
    value: float
    test: FaultTest  # the rule's test that fired (its metric and threshold)


def resolve_metric(name: str, side: str | None) -> str:
    """Fill ``{side}``/``{other}`` in a metric name from the rep's side."""
    if "{" not in name:
        return name
    if side is None:
        return ""
    other = "right" if side == "left" else "left"
    return name.replace("{side}", side).replace("{other}", other)


def _lookup(metrics: Mapping[str, float], name: str) -> float:
    v = metrics.get(name, math.nan) if name else math.nan
    return float(v) if v is not None else math.nan


def _condition_holds(test: FaultTest, metrics: Mapping[str, float], side: str | None) -> bool:
    """Whether a test's ``when`` condition lets it be judged on this rep."""
    assert test.when_metric is not None
    ctx = _lookup(metrics, resolve_metric(test.when_metric, side))
    if math.isnan(ctx):
        return test.when_hidden != "skip"  # 'met' and 'only' judge a hidden condition
    if test.when_hidden == "only":
        return False
    assert test.when_op is not None and test.when_value is not None  # the schema's check
    return _OPS[test.when_op](ctx, test.when_value)


def _fires(
    test: FaultTest, metrics: Mapping[str, float], side: str | None, lower_bounds: frozenset[str]
) -> float | None:
    """The test's value if it fires on this rep; None if it passes or cannot be judged."""
    name = resolve_metric(test.metric, side)
    value = _lookup(metrics, name)
    if math.isnan(value):
        return None
    if name in lower_bounds and test.op in ("<", "<="):
        return None
    if test.when_metric is not None and not _condition_holds(test, metrics, side):
        return None
    return value if _OPS[test.op](value, test.value) else None


def evaluate(
    rules: Iterable[FaultRule],
    metrics: Mapping[str, float],
    side: str | None = None,
    lower_bounds: frozenset[str] = frozenset(),
) -> list[FaultHit]:
    """Return the rules that fire (the first test of each that does). Tests whose metric is
    unmeasured are skipped (not judged)."""
    hits: list[FaultHit] = []
    fired: set[str] = set()
    for rule in rules:
        if rule.id in fired:
            continue
        for test in rule.any_of:
            value = _fires(test, metrics, side, lower_bounds)
            if value is not None:
                hits.append(FaultHit(rule, value, test))
                fired.add(rule.id)
                break
    # A fault that yields to another one fired on this rep is its consequence, not news.
    return [h for h in hits if fired.isdisjoint(h.rule.unless)]


def quality(hits: Iterable[FaultHit]) -> float:
    """1.0 for a clean rep, minus a penalty per fault by severity, floored at 0."""
    return max(0.0, 1.0 - sum(SEVERITY_PENALTY[h.rule.severity] for h in hits))
