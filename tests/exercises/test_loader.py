"""Exercise definitions and patient configs: load strictly, fail with one clear line."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formcheck.errors import ConfigError
from formcheck.exercises.loader import (
    all_builtin,
    apply_overrides,
    builtin,
    exercise_ids,
    load_config,
    resolve_id,
)


def test_every_builtin_loads():
    specs = all_builtin()
    # The registry's order is the programme's: gentlest first (each file's `order`).
    assert [s.id for s in specs] == [
        "pelvic_tilt", "cat_cow", "childs_pose", "bird_dog", "bridge",
        "knee_to_chest", "lower_trunk_rotation",
    ]  # fmt: skip
    for s in specs:
        assert s.counting.signal in s.signal_names()
        assert s.fault_ids()


@pytest.mark.parametrize(
    ("name", "ex_id"),
    [("glute_bridge", "bridge"), ("Glute-Bridge", "bridge"), ("BRIDGE", "bridge"),
     ("birddog", "bird_dog"), ("cat_camel", "cat_cow"), ("child's pose", "childs_pose"),
     ("tilt", "pelvic_tilt")],
)  # fmt: skip
def test_aliases_resolve(name, ex_id):
    assert resolve_id(name) == ex_id
    assert builtin(name).id == ex_id


def write(tmp_path, text):
    p = tmp_path / "patient.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_patient_overrides(tmp_path):
    cfg = load_config(write(tmp_path, """
patient = "J. Smith"
[exercises.bridge.counting]
top = 148.0
[exercises.bridge.faults.sagging_hips."peak.hip_angle"]
value = 160.0
[exercises.bridge.faults.feet_lifting]
enabled = false
[exercises.bridge.prescription]
target_count = 12
"""))  # fmt: skip
    assert cfg.patient == "J. Smith"
    ex = cfg.exercise("bridge")
    assert ex.counting.top == 148.0
    assert ex.counting.start == builtin("bridge").counting.start
    sagging = {t.metric: t.value for f in ex.faults if f.id == "sagging_hips" for t in f.any_of}
    default = {
        t.metric: t.value
        for f in builtin("bridge").faults
        if f.id == "sagging_hips"
        for t in f.any_of
    }
    assert sagging == {**default, "peak.hip_angle": 160.0}  # only the rule named
    assert "feet_lifting" not in ex.fault_ids()
    assert ex.prescription.target_count == 12
    # Other exercises keep their defaults.
    assert cfg.exercise("pelvic_tilt") == builtin("pelvic_tilt")


def test_override_under_an_alias(tmp_path):
    cfg = load_config(write(tmp_path, "[exercises.glute_bridge.counting]\ntop = 148.0\n"))
    assert cfg.exercise("bridge").counting.top == 148.0


def test_alias_and_id_tables_for_one_exercise_both_apply(tmp_path):
    cfg = load_config(write(tmp_path, """
[exercises.glute_bridge.counting]
top = 148.0
[exercises.bridge.faults.over_arching]
value = 198.0
"""))  # fmt: skip
    ex = cfg.exercise("bridge")
    assert [t.value for f in ex.faults if f.id == "over_arching" for t in f.any_of] == [198.0]
    assert ex.counting.top == 148.0


def test_shared_fault_keys_apply_to_every_rule(tmp_path):
    cfg = load_config(write(tmp_path, """
[exercises.bridge.faults.sagging_hips]
severity = "error"
cue = "Higher!"
"""))  # fmt: skip
    rules = [f for f in cfg.exercise("bridge").faults if f.id == "sagging_hips"]
    assert len(rules) == 2
    assert {(f.severity, f.cue) for f in rules} == {("error", "Higher!")}


def test_threshold_for_a_fault_with_several_rules_must_name_the_rule(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[exercises.bridge.faults.sagging_hips]\nvalue = 160.0\n"))
    assert_one_line(err, "sagging_hips", "2 tests", '"peak.hip_angle"')


def test_per_rule_table_must_name_an_existing_rule(tmp_path):
    text = '[exercises.bridge.faults.sagging_hips."peak.knee_angle"]\nvalue = 1.0\n'
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert_one_line(err, "peak.knee_angle", "peak.hip_angle")


def test_no_config_gives_defaults():
    cfg = load_config(None)
    assert cfg.exercise("bridge") == builtin("bridge")


def assert_one_line(err, *needles):
    msg = str(err.value)
    assert "\n" not in msg
    for n in needles:
        assert n in msg


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('colour = "blue"', "colour"),
        ("[exercises.squat.counting]\ntop = 1.0", "squat"),
        ("[exercises.bridge.faults.nosuch]\nvalue = 1.0", "nosuch"),
        ("[exercises.bridge.counting]\ntopp = 150.0", "topp"),
        ("[exercises.bridge.faults.sagging_hips]\nvalueee = 1.0", "valueee"),
        ('[exercises.bridge.counting]\ntop = "high"', "counting.top"),
        ('[exercises.bridge.faults.sagging_hips]\nenabled = "no"', "enabled"),
        ("[exercises.bridge.counting]\ntop = -3.0", "top"),
        # A parameter its counting strategy does not read:
        ("[exercises.bridge.counting]\nrest_limit = 170.0", "rest_limit"),
        ("[exercises.bridge.counting]\nhysteresis = 8.0", "hysteresis"),
        ("[exercises.childs_pose.counting]\ntop = 80.0", "top"),
        ('patient = 3', "patient"),
        ("exercises = 3", "exercises"),
        ("[exercises.bridge]\nfaults = 3", "faults"),
    ],
)  # fmt: skip
def test_config_errors_name_the_key(tmp_path, text, needle):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert_one_line(err, needle)


def test_invalid_toml(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[exercises.bridge\ntop = "))
    assert "invalid TOML" in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path / "nope.toml")
    assert_one_line(err, "not found")


def test_directory_and_binary(tmp_path):
    with pytest.raises(ConfigError):
        load_config(tmp_path)
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(ConfigError):
        load_config(p)


def test_unknown_exercise_id():
    with pytest.raises(ConfigError) as err:
        resolve_id("squat")
    assert_one_line(err, "unknown exercise")


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
    st.text(max_size=5),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(top=numbers, hyst=numbers, fault_value=numbers, ex=st.sampled_from(exercise_ids()))
def test_random_overrides_load_or_raise_config_error(top, hyst, fault_value, ex):
    fault_id = builtin(ex).fault_ids()[0]
    over: dict = {"counting": {}, "faults": {fault_id: {}}}
    for key, v in (("top", top), ("hysteresis", hyst)):
        if v is not None:
            over["counting"][key] = v
    if fault_value is not None:
        over["faults"][fault_id]["value"] = fault_value
    try:
        spec = apply_overrides(ex, over, "test.toml")
    except ConfigError as err:
        assert "\n" not in str(err)
        return
    c = spec.counting
    if c.reference == "absolute":
        assert c.start is not None
        assert (c.top > c.start) == (c.direction == "up")
    elif c.kind != "cycles":
        assert c.top > 0
    assert not math.isnan(c.top)


def test_combined_signals_may_chain_only_on_earlier_ones():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("pelvic_tilt").model_dump()
    in_order = {"opening": ("hip_angle", "knee_angle"), "index": ("opening", "knee_angle")}
    raw["derived"] = in_order
    raw["mixed_units"] = {}
    ExerciseSpec.model_validate(raw)
    raw["derived"] = {"index": in_order["index"], "opening": in_order["opening"]}
    with pytest.raises(ValueError, match="opening"):
        ExerciseSpec.model_validate(raw)


def test_consensus_names_known_parts_and_one_sign_each():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("pelvic_tilt").model_dump()
    assert raw["consensus"]["tilt"]["parts"] == ("hip_angle", "knee_angle", "knee_reach")
    bad = {**raw, "consensus": {"tilt": {**raw["consensus"]["tilt"], "signs": (1, -1)}}}
    with pytest.raises(ValueError, match="3 parts but 2 signs"):
        ExerciseSpec.model_validate(bad)
    parts = ("hip_angle", "knee_angle", "knee_travel")
    bad = {**raw, "consensus": {"tilt": {**raw["consensus"]["tilt"], "parts": parts}}}
    with pytest.raises(ValueError, match="knee_travel"):
        ExerciseSpec.model_validate(bad)


def test_an_oblique_counting_signal_is_in_the_bodys_plane_or_a_consensus():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("cat_cow").model_dump()
    assert raw["counting"]["signal_oblique"] == "head_height_3d"
    ExerciseSpec.model_validate(raw)
    raw["counting"]["signal_oblique"] = "head_height"  # measured in the picture
    with pytest.raises(ValueError, match="neither a defined sagittal_angle"):
        ExerciseSpec.model_validate(raw)
    # A consensus learns its parts' directions from the clip: it may count obliquely.
    tilt = builtin("pelvic_tilt").model_dump()
    assert tilt["counting"]["signal_oblique"] == "tilt"
    ExerciseSpec.model_validate(tilt)
    tilt["counting"]["signal_oblique"] = "hip_angle"
    with pytest.raises(ValueError, match="neither a defined sagittal_angle"):
        ExerciseSpec.model_validate(tilt)
    # A definition written with the old name is told the new one.
    old = builtin("bridge").model_dump()
    old["counting"]["signal_3d"] = old["counting"].pop("signal_oblique")
    with pytest.raises(ValueError, match="signal_3d is now called signal_oblique"):
        ExerciseSpec.model_validate(old)


def test_sums_add_and_must_name_known_signals():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("bird_dog").model_dump()
    assert raw["sums"] == {"limbs": ("leg_max", "arm_max")}
    raw["sums"] = {"limbs": ("leg_max", "tail_max")}
    with pytest.raises(ValueError, match="tail_max"):
        ExerciseSpec.model_validate(raw)


@pytest.mark.parametrize(
    ("side_max", "needle"),
    [
        ({"leg_max": "arm_max"}, "not a side='each' signal"),  # arm_max is side='max'
        ({"leg_max": "wing"}, "not a side='each' signal"),
        ({"arm_max": "arm_raise"}, "already a measured signal"),
    ],
)
def test_side_max_must_read_an_each_sided_signal(side_max, needle):
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("bird_dog").model_dump()
    assert raw["side_max"] == {"leg_max": "leg_extension"}
    raw["side_max"] = side_max
    with pytest.raises(ValueError, match=needle):
        ExerciseSpec.model_validate(raw)


@pytest.mark.parametrize(("field", "other"), [("hold_plateau", "long_hold_s"),
                                              ("long_hold_s", "hold_plateau")])  # fmt: skip
def test_hold_settings_are_for_holds_only(field, other):
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("pelvic_tilt").model_dump()
    assert raw["counting"]["hold_plateau"] == 0.5
    assert raw["counting"]["long_hold_s"] == 3.0
    raw["counting"]["kind"] = "reps"
    raw["counting"][other] = None
    with pytest.raises(ValueError, match=f"{field}: not read by the 'reps'"):
        ExerciseSpec.model_validate(raw)


def test_long_hold_is_for_holds_from_the_patients_rest():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("childs_pose").model_dump()
    raw["counting"]["long_hold_s"] = 3.0
    with pytest.raises(ValueError, match="long_hold_s is for holds from the patient's own rest"):
        ExerciseSpec.model_validate(raw)


def test_long_hold_needs_a_lift_limit():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("pelvic_tilt").model_dump()
    raw["counting"]["max_lift_s"] = None
    with pytest.raises(ValueError, match="long_hold_s needs max_lift_s"):
        ExerciseSpec.model_validate(raw)


def test_two_rules_of_a_fault_on_one_metric_are_rejected():
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("bridge").model_dump()
    sagging = [f for f in raw["faults"] if f["id"] == "sagging_hips"]
    again = {**sagging[0], "any_of": [{**sagging[0]["any_of"][0], "value": 150.0}]}
    raw["faults"] = [*raw["faults"], again]
    with pytest.raises(ValueError, match="two tests on"):
        ExerciseSpec.model_validate(raw)


@pytest.mark.parametrize("unless", [("no_such_fault",), ("trunk_rotation",)])
def test_unless_must_name_another_fault_of_the_exercise(unless):
    from formcheck.exercises.schema import ExerciseSpec

    raw = builtin("bird_dog").model_dump()
    for f in raw["faults"]:
        if f["id"] == "trunk_rotation":
            assert f["unless"] == ("same_side",)
            f["unless"] = unless
    with pytest.raises(ValueError, match="unless names no other fault"):
        ExerciseSpec.model_validate(raw)


def test_unless_can_be_switched_off_by_a_patient_config(tmp_path):
    cfg = tmp_path / "p.toml"
    cfg.write_text("[exercises.bird_dog.faults.trunk_rotation]\nunless = []\n")
    spec = load_config(cfg).exercise("bird_dog")
    assert [f.unless for f in spec.faults if f.id == "trunk_rotation"] == [()]


def _same_side(spec) -> tuple:
    (rule,) = [f for f in spec.faults if f.id == "same_side"]
    return rule


def test_one_alternative_of_an_any_of_rule_is_overridden_by_its_metric(tmp_path):
    cfg = load_config(write(tmp_path, """
[exercises.bird_dog.faults.same_side]
severity = "warning"
[exercises.bird_dog.faults.same_side."hold_max.arm_raise_{other}"]
value = 90.0
[exercises.bird_dog.faults.same_side."hold_mean.arm_lead_{side}"]
enabled = false
"""))  # fmt: skip
    rule = _same_side(cfg.exercise("bird_dog"))
    default = _same_side(builtin("bird_dog"))
    assert rule.severity == "warning"
    assert [t.metric for t in rule.any_of] == [t.metric for t in default.any_of[:2]]
    assert [t.value for t in rule.any_of] == [default.any_of[0].value, 90.0]
    assert rule.any_of[1].when_hidden == "only"  # the rest of the alternative kept


def test_a_threshold_for_an_any_of_rule_must_name_the_alternative(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "[exercises.bird_dog.faults.same_side]\nvalue = 120.0\n"))
    assert_one_line(err, "same_side", "3 tests", '"hold_max.arm_raise_{side}"')


def test_a_cue_is_set_for_the_whole_any_of_rule_not_one_alternative(tmp_path):
    text = '[exercises.bird_dog.faults.same_side."hold_max.arm_raise_{side}"]\ncue = "x"\n'
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert_one_line(err, "cue", "whole fault")
