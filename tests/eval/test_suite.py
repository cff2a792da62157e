"""The synthetic benchmark suite's grid: reproducible names and seeds, and the presets."""

from __future__ import annotations

from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.eval.suite import HIGH_ELEVATIONS, suite_items
from formcheck.exercises.registry import exercise_ids
from formcheck.synth.exercises import script_for


def test_full_suite_names_and_seeds_are_fixed():
    # Published results name these clips: the grid must not drift between versions.
    # Exercises added later come after the first five in programme order, so the first 150
    # clips keep their names and seeds.
    items = list(suite_items("full", seed_base=29000))
    assert items[0].name == "pelvic_tilt-clean-az+0-near-s29001"
    assert items[40].name == "cat_cow-small_range-az+0-near-s29041"
    assert items[149].name == "bridge-over_arching-az+30-far-s29150"
    assert len(items) == 150 + 20 + 20  # knee-to-chest and lower trunk rotation: 2 x 10 each
    assert items[150].name == "knee_to_chest-clean-az+0-near-s29151"
    assert all(i.elevation_deg is None for i in items)  # drawn from the seed: 5-25 deg


def test_high_preset_covers_every_exercise_and_fault_at_each_high_elevation():
    items = list(suite_items("high", seed_base=41000))
    variants = sum(1 + len(script_for(e).faults) for e in exercise_ids())
    assert len(items) == variants * len(HIGH_ELEVATIONS)
    assert {i.elevation_deg for i in items} == set(HIGH_ELEVATIONS)
    assert {abs(i.azimuth_deg) for i in items} == {20.0}
    assert len({i.name for i in items}) == len({i.seed for i in items}) == len(items)
    for exercise in exercise_ids():
        faults = {i.fault for i in items if i.exercise == exercise}
        assert faults == {None, *script_for(exercise).faults}


def test_eval_suite_rejects_an_unknown_preset(tmp_path):
    result = CliRunner().invoke(app, ["eval-suite", str(tmp_path / "s"), "--preset", "huge"])
    assert result.exit_code != 0
    assert "preset must be one of full, small, high" in result.output
    assert not (tmp_path / "s").exists()
