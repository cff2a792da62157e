"""``formcheck exercises``: list and show the programme."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.exercises.loader import builtin
from formcheck.exercises.registry import exercise_ids

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def show_bridge_with(tmp_path, config_text: str):
    """``exercises show bridge`` with a patient config holding ``config_text``."""
    cfg = tmp_path / "p.toml"
    cfg.write_text(config_text, encoding="utf-8")
    return invoke("exercises", "show", "bridge", "--config", str(cfg))


def test_list_shows_all_seven():
    result = invoke("exercises")
    assert result.exit_code == 0, result.output
    assert len(exercise_ids()) == 7
    for ex_id in exercise_ids():
        assert ex_id in result.output


@pytest.mark.parametrize("name", ["bridge", "glute_bridge"])
def test_show_bridge(name):
    result = invoke("exercises", "show", name)
    assert result.exit_code == 0, result.output
    assert "Glute bridge" in result.output
    assert "sagging_hips" in result.output
    assert "hip_angle" in result.output


@pytest.mark.parametrize("ex_id", exercise_ids())
def test_show_every_exercise_with_its_rules_and_combined_signals(ex_id):
    result = invoke("exercises", "show", ex_id)
    assert result.exit_code == 0, result.output
    spec = builtin(ex_id)
    for rule in spec.faults:
        assert rule.id in result.output
    for name in (*spec.derived, *spec.sums, *spec.consensus):
        assert name in result.output


def test_show_rule_judged_only_when_its_condition_is_unmeasured():
    result = invoke("exercises", "show", "bird_dog")
    assert result.exit_code == 0, result.output
    assert "(only" in result.output


def test_show_says_which_fault_a_rule_yields_to():
    result = invoke("exercises", "show", "bird_dog")
    assert result.exit_code == 0, result.output
    assert "not reported with same_side" in " ".join(result.output.replace("│", " ").split())


def test_show_unknown_exercise():
    result = invoke("exercises", "show", "nosuch")
    assert result.exit_code == 1
    out = result.output.strip()
    assert out.startswith("error: unknown exercise")
    assert len(out.splitlines()) == 1
    assert "Traceback" not in out


def test_show_with_config(tmp_path):
    result = show_bridge_with(
        tmp_path, '[exercises.bridge.faults.sagging_hips."peak.hip_angle"]\nvalue = 161.0\n'
    )
    assert result.exit_code == 0, result.output
    assert "peak.hip_angle < 161" in result.output


def test_show_with_bad_config(tmp_path):
    result = show_bridge_with(tmp_path, "[exercises.bridge.faults.nosuch]\nvalue = 1.0\n")
    assert result.exit_code == 1
    assert "error:" in result.output
    assert "nosuch" in result.output
    assert "Traceback" not in result.output


def test_error_keeps_the_bracketed_config_key_it_suggests(tmp_path):
    # The one-line error names a TOML table such as [exercises.bridge...]: it must not be
    # swallowed as console markup.
    result = show_bridge_with(tmp_path, "[exercises.bridge.faults.sagging_hips]\nvalue = 150.0\n")
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert '[exercises.bridge.faults.sagging_hips."peak.hip_angle"]' in out


def test_config_text_with_brackets_printed_as_written(tmp_path):
    result = show_bridge_with(
        tmp_path, '[exercises.bridge.prescription]\ntext = "12 reps [slowly] then rest"\n'
    )
    assert result.exit_code == 0, result.output
    assert "12 reps [slowly] then rest" in result.output


def test_show_the_share_of_the_hold_a_signal_must_be_seen_on(tmp_path):
    result = show_bridge_with(tmp_path, "[exercises.bridge.counting]\nmin_hold_seen = 0.6\n")
    assert result.exit_code == 0, result.output
    assert "hold statistics need the signal seen on this share of the hold 0.6" in " ".join(
        result.output.split()
    )
    bad = show_bridge_with(tmp_path, "[exercises.bridge.counting]\nmin_hold_seen = 1.5\n")
    assert bad.exit_code == 1
    assert "min_hold_seen" in bad.output and len(bad.output.strip().splitlines()) == 1


def test_hold_plateau_shown_and_refused_for_reps(tmp_path):
    result = runner.invoke(app, ["exercises", "show", "pelvic_tilt"])
    assert result.exit_code == 0, result.output
    assert "hold timed from this share of the way to its held level 0.5" in " ".join(
        result.output.split()
    )
    bad = show_bridge_with(tmp_path, "[exercises.bridge.counting]\nhold_plateau = 0.5\n")
    assert bad.exit_code == 1
    assert "hold_plateau: not read by the 'reps' counting strategy" in bad.output
    assert len(bad.output.strip().splitlines()) == 1
