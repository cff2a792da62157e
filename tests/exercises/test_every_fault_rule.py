"""Every fault rule of every built-in exercise, in both directions.

For each rule, a rep's metrics just past its threshold make it fire and metrics
just inside keep it quiet (with its ``when`` condition met). End-to-end checks on
hand-built landmark sequences and rendered clips live in tests/analysis and tests/eval.
"""

from __future__ import annotations

import pytest

from formcheck.analysis.faults import evaluate, resolve_metric
from formcheck.exercises.loader import all_builtin
from formcheck.exercises.schema import FaultRule

RULES = [(ex.id, rule) for ex in all_builtin() for rule in ex.faults]
SIDE = "left"  # one-sided rules (bird-dog) are judged for a left-side rep


def _past(op: str, value: float, inside: bool) -> float:
    step = 0.01 * max(1.0, abs(value))
    beyond = {"<": -step, "<=": -step, ">": step, ">=": step}[op]
    return value - beyond if inside else value + beyond


def _metrics(rule: FaultRule, inside: bool) -> dict[str, float]:
    metrics = {resolve_metric(rule.metric, SIDE): _past(rule.op, rule.value, inside)}
    if rule.when_missing == "only":
        return metrics  # judged only while its when_metric is unmeasured
    if rule.when_metric is not None:
        assert rule.when_op is not None and rule.when_value is not None
        metrics[resolve_metric(rule.when_metric, SIDE)] = _past(
            rule.when_op, rule.when_value, inside=False
        )
    return metrics


@pytest.mark.parametrize(
    ("exercise", "rule"), RULES, ids=[f"{e}:{r.id}:{r.metric}" for e, r in RULES]
)
def test_rule_fires_past_its_threshold(exercise: str, rule: FaultRule):
    hits = evaluate([rule], _metrics(rule, inside=False), SIDE)
    assert [h.rule.id for h in hits] == [rule.id]


@pytest.mark.parametrize(
    ("exercise", "rule"), RULES, ids=[f"{e}:{r.id}:{r.metric}" for e, r in RULES]
)
def test_rule_stays_quiet_inside_its_threshold(exercise: str, rule: FaultRule):
    assert evaluate([rule], _metrics(rule, inside=True), SIDE) == []


@pytest.mark.parametrize(
    ("exercise", "rule"),
    [(e, r) for e, r in RULES if r.when_metric and r.when_missing != "only"],
    ids=[f"{e}:{r.id}" for e, r in RULES if r.when_metric and r.when_missing != "only"],
)
def test_rule_not_judged_when_its_condition_fails(exercise: str, rule: FaultRule):
    metrics = _metrics(rule, inside=False)
    assert rule.when_metric is not None and rule.when_op is not None
    assert rule.when_value is not None
    metrics[resolve_metric(rule.when_metric, SIDE)] = _past(
        rule.when_op, rule.when_value, inside=True
    )
    assert evaluate([rule], metrics, SIDE) == []


def test_every_exercise_has_fault_rules():
    assert {e for e, _ in RULES} == {ex.id for ex in all_builtin()}


def test_unmeasured_condition_skips_or_fires_as_the_rule_says():
    # bird-dog same_side: the opposite arm hidden behind the body counts as not raised.
    same_side = next(r for e, r in RULES if e == "bird_dog" and r.id == "same_side" and r.when_op)
    assert same_side.when_missing == "fire"
    metrics = {resolve_metric(same_side.metric, SIDE): same_side.value + 10}
    assert [h.rule.id for h in evaluate([same_side], metrics, SIDE)] == ["same_side"]
    # The default: a rule whose condition cannot be measured is not judged.
    arms_bent = next(r for e, r in RULES if e == "childs_pose" and r.id == "arms_bent")
    assert arms_bent.when_missing == "skip"
    metrics = {resolve_metric(arms_bent.metric, SIDE): arms_bent.value - 10}
    assert evaluate([arms_bent], metrics, SIDE) == []


def test_rule_judged_only_while_its_condition_is_unmeasured():
    # bird-dog same_side, second rule: the same-side arm hidden, the opposite arm down.
    rule = next(
        r for e, r in RULES if e == "bird_dog" and r.id == "same_side" and r.when_missing == "only"
    )
    assert rule.when_metric is not None
    down = {resolve_metric(rule.metric, SIDE): rule.value - 20}
    assert [h.rule.id for h in evaluate([rule], down, SIDE)] == ["same_side"]
    seen = {**down, resolve_metric(rule.when_metric, SIDE): 80.0}
    assert evaluate([rule], seen, SIDE) == []


@pytest.mark.parametrize(
    "when",
    [
        {"when_metric": "peak.a"},  # op and value missing
        {"when_op": "<", "when_value": 1.0},  # metric missing
        {"when_missing": "only"},  # 'only' needs a when_metric
    ],
)
def test_incomplete_conditions_are_rejected(when: dict):
    with pytest.raises(ValueError):
        FaultRule(id="x", metric="peak.b", op="<", value=1.0, cue="c", explanation="e", **when)
