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


def test_varied_preset_covers_each_exercise_fault_and_view_band_with_variety_on():
    from formcheck.eval.suite import VARIED_AZIMUTH_BANDS, VARIED_ELEVATION_BANDS

    items = list(suite_items("varied", seed_base=45000))
    varied = [e for e in exercise_ids() if hasattr(script_for(e), "varied_reps")]
    assert set(varied) >= {"bridge", "bird_dog", "cat_cow", "childs_pose", "pelvic_tilt"}
    variants = sum(1 + len(script_for(e).faults) for e in varied)
    assert len(items) == 3 * variants
    assert all(i.variety and i.reps for i in items)
    for (lo, hi), (elo, ehi) in zip(VARIED_AZIMUTH_BANDS, VARIED_ELEVATION_BANDS, strict=True):
        assert sum(lo <= abs(i.azimuth_deg) < hi for i in items) == variants
        assert sum(elo <= i.elevation_deg < ehi for i in items) == variants
    assert len({i.seed for i in items}) == len(items)
