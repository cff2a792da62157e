"""The committed sample clips are declared by the exercises' own synth scripts."""

from __future__ import annotations

import json
from pathlib import Path

from formcheck.exercises.registry import exercise_ids
from formcheck.synth.exercises import builtin_scripts, scripted_ids
from formcheck.synth.samples import samples

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_videos"


def test_every_registered_exercise_has_a_discovered_script():
    assert set(builtin_scripts()) == set(exercise_ids())
    assert scripted_ids() == list(exercise_ids())  # programme order


def test_declared_samples_match_the_committed_clips():
    declared = {s.name: s for s in samples()}
    committed = {p.name.removesuffix(".truth.json") for p in SAMPLE_DIR.glob("*.truth.json")}
    assert set(declared) == committed
    for name, sample in declared.items():
        truth = json.loads((SAMPLE_DIR / f"{name}.truth.json").read_text())
        # The clip on disk was rendered from the settings its script declares.
        assert truth["exercise"] == sample.spec.exercise
        assert truth["seed"] == sample.spec.seed
        assert truth["fault"] == sample.spec.fault
        assert (SAMPLE_DIR / f"{name}.mp4").is_file()
