"""Every test of every fault rule of every built-in exercise, in both directions.

For each test (a rule of one test, or one alternative of an ``any_of`` rule), a rep's
metrics just past its threshold make it fire and metrics just inside keep it quiet (with
its ``when`` condition met). End-to-end checks on hand-built landmark sequences and
rendered clips live in tests/analysis and tests/eval.
"""

from __future__ import annotations

import pytest

from formcheck.analysis.faults import evaluate, resolve_metric
from formcheck.exercises.loader import all_builtin
from formcheck.exercises.schema import FaultRule, FaultTest

TESTS = [(ex.id, rule, test) for ex in all_builtin() for rule in ex.faults for test in rule.any_of]
IDS = [f"{e}:{r.id}:{t.metric}" for e, r, t in TESTS]
SIDE = "left"  # one-sided rules (bird-dog) are judged for a left-side rep


def alone(rule: FaultRule, test: FaultTest) -> FaultRule:
    """The rule judged by this one test (its other alternatives left out)."""
    return rule.model_copy(update={"any_of": (test,)})


def _past(op: str, value: float, inside: bool) -> float:
    step = 0.01 * max(1.0, abs(value))
    beyond = {"<": -step, "<=": -step, ">": step, ">=": step}[op]
    return value - beyond if inside else value + beyond


def _metrics(test: FaultTest, inside: bool) -> dict[str, float]:
    metrics = {resolve_metric(test.metric, SIDE): _past(test.op, test.value, inside)}
    if test.when_hidden == "only":
        return metrics  # judged only while its when_metric is unmeasured
    if test.when_metric is not None:
        assert test.when_op is not None and test.when_value is not None
        metrics[resolve_metric(test.when_metric, SIDE)] = _past(
            test.when_op, test.when_value, inside=False
        )
    return metrics


@pytest.mark.parametrize(("exercise", "rule", "test"), TESTS, ids=IDS)
def test_rule_fires_past_its_threshold(exercise: str, rule: FaultRule, test: FaultTest):
    hits = evaluate([alone(rule, test)], _metrics(test, inside=False), SIDE)
    assert [h.rule.id for h in hits] == [rule.id]
    assert hits[0].test == test


@pytest.mark.parametrize(("exercise", "rule", "test"), TESTS, ids=IDS)
def test_rule_stays_quiet_inside_its_threshold(exercise: str, rule: FaultRule, test: FaultTest):
    assert evaluate([alone(rule, test)], _metrics(test, inside=True), SIDE) == []


CONDITIONAL = [(e, r, t) for e, r, t in TESTS if t.when_metric and t.when_hidden != "only"]


@pytest.mark.parametrize(
    ("exercise", "rule", "test"), CONDITIONAL, ids=[f"{e}:{r.id}" for e, r, _ in CONDITIONAL]
)
def test_rule_not_judged_when_its_condition_fails(exercise: str, rule: FaultRule, test: FaultTest):
    metrics = _metrics(test, inside=False)
    assert test.when_metric is not None and test.when_op is not None
    assert test.when_value is not None
    metrics[resolve_metric(test.when_metric, SIDE)] = _past(
        test.when_op, test.when_value, inside=True
    )
    assert evaluate([alone(rule, test)], metrics, SIDE) == []


def test_every_exercise_has_fault_rules():
    assert {e for e, _, _ in TESTS} == {ex.id for ex in all_builtin()}


def _same_side() -> FaultRule:
    return next(r for e, r, _ in TESTS if e == "bird_dog" and r.id == "same_side")


def test_same_side_is_one_rule_of_alternatives():
    # One named rule a physiotherapist reads, not three rules that share an id.
    bird_dog = next(ex for ex in all_builtin() if ex.id == "bird_dog")
    assert [r for r in bird_dog.faults if r.id == "same_side"] == [_same_side()]
    assert [t.when_hidden for t in _same_side().any_of] == ["met", "only", "skip"]


def test_unmeasured_condition_skips_or_fires_as_the_rule_says():
    # bird-dog same_side: the opposite arm hidden behind the body counts as not raised.
    test = _same_side().any_of[0]
    metrics = {resolve_metric(test.metric, SIDE): test.value + 10}
    assert [h.rule.id for h in evaluate([_same_side()], metrics, SIDE)] == ["same_side"]
    # The default: a test whose condition cannot be measured is not judged.
    arms_bent = next(r for e, r, _ in TESTS if e == "childs_pose" and r.id == "arms_bent")
    assert arms_bent.any_of[0].when_hidden == "skip"
    metrics = {resolve_metric(arms_bent.any_of[0].metric, SIDE): arms_bent.any_of[0].value - 10}
    assert evaluate([arms_bent], metrics, SIDE) == []


def test_rule_judged_only_while_its_condition_is_unmeasured():
    # bird-dog same_side, second alternative: the same-side arm hidden, the opposite arm down.
    test = _same_side().any_of[1]
    assert test.when_metric is not None
    down = {resolve_metric(test.metric, SIDE): test.value - 20}
    assert [h.test for h in evaluate([_same_side()], down, SIDE)] == [test]
    # The same-side arm seen, low (80 deg): no alternative fires.
    seen = {**down, resolve_metric(test.when_metric, SIDE): 80.0}
    assert evaluate([_same_side()], seen, SIDE) == []


def test_any_of_reports_the_first_alternative_that_fires():
    rule = FaultRule(
        id="x",
        cue="c",
        explanation="e",
        any_of=[
            {"metric": "peak.a", "op": "<", "value": 10.0},
            {"metric": "peak.b", "op": ">", "value": 5.0},
        ],
    )
    both = evaluate([rule], {"peak.a": 1.0, "peak.b": 9.0})
    assert [(h.test.metric, h.value) for h in both] == [("peak.a", 1.0)]
    second = evaluate([rule], {"peak.a": 20.0, "peak.b": 9.0})
    assert [(h.test.metric, h.value) for h in second] == [("peak.b", 9.0)]
    assert evaluate([rule], {"peak.a": 20.0, "peak.b": 1.0}) == []


@pytest.mark.parametrize(
    "when",
    [
        {"when_metric": "peak.a"},  # op and value missing
        {"when_op": "<", "when_value": 1.0},  # metric missing
        {"when_hidden": "only"},  # 'only' needs a when_metric
        {"when_hidden": "met"},  # 'met' needs a condition
        {"when_metric": "peak.a", "when_op": "<", "when_value": 1.0, "when_hidden": "only"},
    ],
)
def test_incomplete_conditions_are_rejected(when: dict):
    with pytest.raises(ValueError):
        FaultRule(id="x", metric="peak.b", op="<", value=1.0, cue="c", explanation="e", **when)
