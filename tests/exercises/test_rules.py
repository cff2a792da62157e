"""The readable fault rules: units, plausible ranges and metrics checked on loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.errors import ConfigError
from formcheck.exercises import registry
from formcheck.exercises.loader import builtin, load_config
from formcheck.exercises.rules import parse, sentence


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "patient.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("table", "value", "key", "allowed"),
    [
        # Each of these silently switched its fault off before it was checked.
        ('sagging_hips."peak.hip_angle"', "-160.0", "value", "0 to 360 deg"),
        ("lowering_too_fast", "-1.0", "value", "0 to 600 s"),
        ("lowering_too_fast", "1e9", "value", "0 to 600 s"),
        ('sagging_hips."rise.hip_angle"', "1e9", "value", "-360 to 360 deg"),
        ("feet_lifting", "25.0", "value", "-20 to 20 torso"),
    ],
)
def test_an_impossible_threshold_is_one_line_naming_key_and_range(
    tmp_path, table, value, key, allowed
):
    path = config(tmp_path, f"[exercises.bridge.faults.{table}]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert "\n" not in message
    assert f".{key}:" in message and allowed in message
    assert table.split(".")[0] in message


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        # A misspelt metric in a patient config is not a rule of the fault ...
        ('[exercises.bridge.faults.sagging_hips."peek.hip_angel"]\nvalue = 160.0\n',
         "no such test"),
        # ... and a rule on one that does not exist is an error, not a rule that never fires.
        ('[exercises.bridge.faults.over_arching]\nmetric = "peek.hip_angel"\n', "unknown metric"),
        ('[exercises.bridge.faults.over_arching]\nmetric = "peak.hip_angel"\n', "no signal"),
        ('[exercises.bird_dog.faults.leg_too_high]\nmetric = "peak.leg_extension"\n', "no signal"),
        ('[exercises.bridge.faults.over_arching]\nwhen_metric = "lowr_s"\nwhen_op = "<"\n'
         "when_value = 1.0\n", "when_metric"),
    ],
)  # fmt: skip
def test_a_misspelt_metric_is_one_line(tmp_path, text, expect):
    with pytest.raises(ConfigError, match=expect) as err:
        load_config(config(tmp_path, text))
    assert "\n" not in str(err.value)


def test_thresholds_at_the_edge_of_the_range_are_accepted(tmp_path):
    text = '[exercises.bridge.faults.sagging_hips."peak.hip_angle"]\nvalue = 0.0\n'
    cfg = load_config(config(tmp_path, text))
    assert cfg.exercise("bridge").faults[0].any_of[0].value == 0.0


def test_rules_read_as_sentences_into_the_same_fields():
    assert parse("peak hip_angle < 165 deg") == ("peak.hip_angle", "<", 165.0, "deg")
    assert parse("lower_s < 0.4 s") == ("lower_s", "<", 0.4, "s")
    assert parse("hold_max arm_raise_{side} >= 1.3e2 deg")[:3] == (
        "hold_max.arm_raise_{side}", ">=", 130.0,
    )  # fmt: skip
    assert sentence("rise.heel_lift", ">", 0.25, "torso") == "rise heel_lift > 0.25 torso"
    for bad in ("peak hip_angle about 165", "hold < 2 s", "peak hip_angle <"):
        with pytest.raises(ValueError, match="cannot read rule"):
            parse(bad)
    sagging = [f for f in builtin("bridge").faults if f.id == "sagging_hips"]
    assert [(t.metric, t.op, t.value, t.unit) for f in sagging for t in f.any_of] == [
        ("peak.hip_angle", "<", 165.0, "deg"),
        ("rise.hip_angle", "<", 22.0, "deg"),
    ]


def _clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str) -> None:
    src = Path(registry.__file__).parent / "definitions" / "bridge.toml"
    text = src.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "bridge.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv(registry.ENV_VAR, str(tmp_path))


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ('rule = "peak hip_angle < 165 deg"', 'rule = "peak hip_angle < 165 torso"',
         "written in torso but peak.hip_angle is in deg"),
        ('rule = "peak hip_angle < 165 deg"', 'rule = "peek hip_angle < 165 deg"',
         "unknown metric"),
        ('rule = "peak hip_angle < 165 deg"', 'rule = "peak hip_angle < -160 deg"',
         "outside the plausible range"),
        ('rule = "peak hip_angle < 165 deg"', 'rule = "peak hip_angle < 165 deg"\nop = ">"',
         "write either rule or op"),
        ('rule = "peak hip_angle < 165 deg"', 'rule = "the hips sag"', "cannot read rule"),
        ("[counting]", '[sums]\nmix = ["hip_angle", "heel_lift"]\n[counting]',
         "combines different units"),
        ('unit = "torso"', 'unit = "deg"', "'drop' signal is in torso"),
        ("high hip_angle_3d >= 167 deg", "high hip_angle_3e >= 167 deg",
         "no signal 'hip_angle_3e'"),
        ("high hip_angle_3d >= 167 deg", "high hip_angle_3d >= 167 torso", "written in torso"),
        ("high hip_angle_3d >= 167 deg", "high hip_angle_3d >= 400 deg", "plausible range"),
        ("high hip_angle_3d >= 167 deg", "hips raised a lot", "cannot read cue"),
        ('high hip_angle_3d >= 167 deg"]', 'high hip_angle_3d >= 167 deg"]\n'
         '[[recognition.variants]]\nposition = "tabletop"\ncues = ["high hip_angel >= 150 deg"]',
         r"recognition.variants\[0\].cues\[0\]: no signal 'hip_angel'"),
        ('high hip_angle_3d >= 167 deg"]', 'high hip_angle_3d >= 167 deg"]\n'
         '[[recognition.variants]]\nposition = "upside_down"\ncues = ["high hip_angle >= 150 deg"]',
         "recognition.variants.0.position: Input should be 'supine', 'tabletop' or 'kneeling'"),
    ],
)  # fmt: skip
def test_a_bad_rule_in_a_definition_names_the_file(tmp_path, monkeypatch, old, new, expect):
    _clinic(tmp_path, monkeypatch, old, new)
    with pytest.raises(ConfigError, match=expect) as err:
        builtin("bridge")
    assert "bridge.toml" in str(err.value)
    assert "\n" not in str(err.value)


def test_any_of_alternatives_read_as_sentences():
    from formcheck.exercises.rules import read_faults

    raw = {"faults": [{"id": "same_side", "any_of": [
        {"rule": "hold_max arm_raise_{side} >= 130 deg",
         "when": "hold_max arm_raise_{other} < 115 deg", "when_hidden": "met"},
        {"rule": "hold_max arm_raise_{other} < 100 deg",
         "when": "hold_max arm_raise_{side}", "when_hidden": "only"},
    ]}]}  # fmt: skip
    first, second = read_faults(raw)["faults"][0]["any_of"]
    assert first == {
        "metric": "hold_max.arm_raise_{side}", "op": ">=", "value": 130.0, "unit": "deg",
        "when_metric": "hold_max.arm_raise_{other}", "when_op": "<", "when_value": 115.0,
        "when_unit": "deg", "when_hidden": "met",
    }  # fmt: skip
    assert second["when_metric"] == "hold_max.arm_raise_{side}" and "when_op" not in second
    bad = {"faults": [{"id": "x", "any_of": [{"rule": "peak a < 1 deg"}, {"rule": "peak a <"}]}]}
    with pytest.raises(ValueError, match=r"faults\[0\] \(x\)\.any_of\[1\]\.rule"):
        read_faults(bad)
