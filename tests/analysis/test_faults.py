"""The fault engine: rules as data evaluated on a rep's metrics."""

from __future__ import annotations

import math

import pytest

from formcheck.analysis.faults import SEVERITY_PENALTY, FaultHit, evaluate, quality, resolve_metric
from formcheck.exercises.schema import FaultRule


def rule(metric="peak.x", op="<", value=10.0, *, id="f", severity="warning", **when):
    return FaultRule(id=id, metric=metric, op=op, value=value, severity=severity, cue="c",
                     explanation="e", **when)  # fmt: skip


@pytest.mark.parametrize(
    ("op", "value", "fires"),
    [
        ("<", 9.0, True), ("<", 10.0, False), ("<", 11.0, False),
        ("<=", 10.0, True), ("<=", 10.5, False),
        (">", 11.0, True), (">", 10.0, False), (">", 9.0, False),
        (">=", 10.0, True), (">=", 9.5, False),
    ],
)  # fmt: skip
def test_op_directions(op, value, fires):
    hits = evaluate([rule(op=op, value=10.0)], {"peak.x": value})
    assert bool(hits) is fires
    if fires:
        assert hits[0].value == value


def test_side_templating():
    r = rule(metric="peak.arm_{side}", op=">", value=100.0)
    assert resolve_metric("peak.arm_{side}", "left") == "peak.arm_left"
    assert resolve_metric("peak.arm_{other}", "left") == "peak.arm_right"
    assert resolve_metric("peak.arm_{other}", "right") == "peak.arm_left"
    assert resolve_metric("peak.arm", None) == "peak.arm"
    assert resolve_metric("peak.arm_{side}", None) == ""
    metrics = {"peak.arm_left": 150.0, "peak.arm_right": 50.0}
    assert evaluate([r], metrics, "left")
    assert not evaluate([r], metrics, "right")
    # No side known: a sided rule is not judged.
    assert not evaluate([r], metrics, None)


def test_when_condition():
    r = rule(metric="peak.arm_{side}", op=">=", value=130.0, when_metric="peak.arm_{other}",
             when_op="<", when_value=115.0)  # fmt: skip
    assert evaluate([r], {"peak.arm_right": 140.0, "peak.arm_left": 90.0}, "right")
    assert not evaluate([r], {"peak.arm_right": 140.0, "peak.arm_left": 120.0}, "right")
    # Unmeasured condition: not judged.
    assert not evaluate([r], {"peak.arm_right": 140.0}, "right")
    assert not evaluate([r], {"peak.arm_right": 140.0, "peak.arm_left": math.nan}, "right")


def test_when_fields_go_together():
    with pytest.raises(ValueError, match="go together"):
        rule(when_metric="peak.y")


@pytest.mark.parametrize("metrics", [{}, {"peak.x": math.nan}, {"peak.x": None}])
def test_unmeasured_metric_not_judged(metrics):
    assert evaluate([rule(op="<", value=10.0)], metrics) == []


@pytest.mark.parametrize(("op", "judged"), [("<", False), ("<=", False), (">", True), (">=", True)])
def test_lower_bound_metrics_skip_upper_limits(op, judged):
    # hold_s cut by the clip's end is a lower bound: "shorter than" cannot be concluded.
    r = rule(metric="hold_s", op=op, value=5.0 if op.startswith("<") else 1.0)
    hits = evaluate([r], {"hold_s": 2.0}, lower_bounds=frozenset({"hold_s"}))
    assert bool(hits) is judged


def test_rules_sharing_an_id_fire_once():
    rules = [rule(metric="peak.a", id="dup"), rule(metric="peak.b", id="dup")]
    hits = evaluate(rules, {"peak.a": 1.0, "peak.b": 2.0})
    assert [h.rule.id for h in hits] == ["dup"]
    assert hits[0].value == 1.0
    # The second rule fires when the first does not.
    hits = evaluate(rules, {"peak.a": 20.0, "peak.b": 2.0})
    assert [(h.test.metric, h.value) for h in hits] == [("peak.b", 2.0)]


def _hit(r: FaultRule) -> FaultHit:
    return FaultHit(r, 1.0, r.any_of[0])


def test_quality():
    assert quality([]) == 1.0
    hits = [_hit(rule(id="a", severity="warning"))]
    assert quality(hits) == pytest.approx(1.0 - SEVERITY_PENALTY["warning"])
    hits.append(_hit(rule(id="b", severity="info")))
    assert quality(hits) == pytest.approx(1.0 - 0.25 - 0.1)
    many = [_hit(rule(id=f"e{i}", severity="error")) for i in range(3)]
    assert quality(many) == 0.0
    assert SEVERITY_PENALTY["info"] < SEVERITY_PENALTY["warning"] < SEVERITY_PENALTY["error"]


def test_a_fault_yields_to_the_one_it_names_in_unless():
    # Bird-dog: reaching with the same-side arm makes the body roll; name the cause only.
    roll = rule(metric="hold_mean.roll", op=">", value=8.5, id="trunk_rotation",
                unless=("same_side",))  # fmt: skip
    same = rule(metric="hold_mean.lead", op=">", value=0.0, id="same_side")
    both = {"hold_mean.roll": 20.0, "hold_mean.lead": 5.0}
    assert [h.rule.id for h in evaluate([roll, same], both)] == ["same_side"]
    assert [h.rule.id for h in evaluate([same, roll], both)] == ["same_side"]  # any order
    alone = {"hold_mean.roll": 20.0, "hold_mean.lead": -5.0}
    assert [h.rule.id for h in evaluate([roll, same], alone)] == ["trunk_rotation"]
