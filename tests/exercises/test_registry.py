"""The registry: exercises discovered from definition files, extended from a clinic's folder."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factories import bridge_rep, profile, sequence
from formcheck.cli import app
from formcheck.errors import ConfigError
from formcheck.exercises import registry
from formcheck.exercises.loader import builtin, load_config
from formcheck.pose.recording import PoseRecording

DEFINITIONS = Path(registry.__file__).parent / "definitions"
runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    # --exercises-dir sets the variable for worker processes: restore it after each test.
    monkeypatch.setenv(registry.ENV_VAR, "")


def bridge_copy(folder: Path, new_id: str = "hip_lift", **replace: str) -> Path:
    """The built-in bridge under another id (its names changed so they do not clash)."""
    text = (DEFINITIONS / "bridge.toml").read_text(encoding="utf-8")
    text = text.replace('id = "bridge"', f'id = "{new_id}"', 1)
    text = text.replace('aliases = ["glute_bridge"]', 'aliases = ["clinic_lift"]', 1)
    text = text.replace('programmes = ["back-spasms"]', 'programmes = ["clinic"]', 1)
    for old, new in replace.items():
        text = text.replace(old, new, 1)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    f = profile(bridge_rep() * 3 + [(1.0, 125.0)], 125.0)
    path = tmp_path / "rec.npz"
    PoseRecording.from_frames(sequence(f, duration=f.duration), fps=30, model_id="test").save(path)
    return path


def test_the_builtin_definitions_are_found_in_programme_order():
    assert registry.exercise_ids() == (
        "pelvic_tilt", "cat_cow", "childs_pose", "bird_dog", "bridge",
        "knee_to_chest", "lower_trunk_rotation",
    )  # fmt: skip
    assert registry.programmes() == {
        "back-spasms": registry.exercise_ids()[:5],
        "low-back-stretches": ("knee_to_chest", "lower_trunk_rotation"),
    }


def test_the_two_stretches_added_by_definition_files_alone_load():
    from formcheck.exercises.loader import builtin

    ktc, ltr = builtin("knee_to_chest"), builtin("lower_trunk_rotation")
    # A hold per side, named by the drawn knee; reps per side, named by where the knees drop.
    assert (ktc.position, ktc.counting.kind, ktc.prescription.per_side) == ("supine", "holds", True)
    assert ktc.side_signal == "hip_fold" and ktc.signals["hip_fold"].side == "min"
    assert (ltr.position, ltr.counting.kind, ltr.prescription.per_side) == ("supine", "reps", True)
    assert ltr.side_signal == "knee_low" and ltr.signals["knee_low"].side == "min"
    assert builtin("knee_hug") == ktc and builtin("knee-rolls") == ltr  # aliases


def test_an_exercise_from_exercises_dir_counts_as_the_bridge_it_copies(tmp_path, recording):
    bridge_copy(tmp_path / "clinic")
    counts = {}
    for ex in ("bridge", "hip_lift"):
        out = tmp_path / f"{ex}.json"
        result = invoke("--exercises-dir", tmp_path / "clinic", "analyze", recording,
                        "--poses", recording, "--exercise", ex, "--json", out, "-q")  # fmt: skip
        assert result.exit_code == 0, result.output
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["exercise"] == ex
        counts[ex] = report["summary"]["rep_count"]
    assert counts == {"bridge": 3, "hip_lift": 3}


def test_the_environment_variable_adds_a_folder_too(tmp_path, monkeypatch):
    bridge_copy(tmp_path / "clinic")
    monkeypatch.setenv(registry.ENV_VAR, str(tmp_path / "clinic"))
    assert registry.resolve_id("Clinic-Lift") == "hip_lift"
    assert builtin("hip_lift").name == "Glute bridge"
    # A new exercise goes after the built-in ones, in its own programme.
    # The copy keeps the bridge's place (order 5); ties go by id.
    ids = registry.exercise_ids()
    assert ids.index("hip_lift") == ids.index("bridge") + 1
    assert registry.programmes()["clinic"] == ("hip_lift",)
    listing = invoke("exercises")
    assert listing.exit_code == 0 and "hip_lift" in listing.output
    # A patient config can name it like any built-in exercise.
    cfg = tmp_path / "p.toml"
    cfg.write_text("[exercises.hip_lift.prescription]\ntarget_count = 4\n", encoding="utf-8")
    assert load_config(cfg).exercise("hip_lift").prescription.target_count == 4


def test_a_clinic_file_with_a_builtin_id_replaces_it(tmp_path, monkeypatch):
    bridge_copy(tmp_path / "clinic", "bridge", **{"target_count = 10": "target_count = 6"})
    assert builtin("bridge").prescription.target_count == 10
    monkeypatch.setenv(registry.ENV_VAR, str(tmp_path / "clinic"))
    assert builtin("bridge").prescription.target_count == 6
    assert registry.definitions()["bridge"].path == str(tmp_path / "clinic" / "bridge.toml")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({'aliases = ["clinic_lift"]': 'aliases = ["glute_bridge"]'}, "already used by exercise"),
        ({'position = "supine"': 'position = "standing"'}, "position"),
        ({"[view]": "[view\n"}, "invalid TOML"),
        ({'kind = "rep"': 'kind = "rep"\ncolour = "red"'}, "colour"),
    ],
)
def test_a_bad_clinic_definition_is_one_line_naming_the_file(tmp_path, change, message):
    path = bridge_copy(tmp_path / "clinic")
    text = path.read_text(encoding="utf-8")
    for old, new in change.items():
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = invoke("--exercises-dir", tmp_path / "clinic", "exercises", "show", "hip_lift")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    assert message in lines[0]
    assert "hip_lift.toml" in re.sub(r"\s+", "", lines[0]) or "already used" in lines[0]


def test_a_missing_exercises_dir_is_one_line(tmp_path):
    result = invoke("--exercises-dir", tmp_path / "nope", "exercises")
    assert result.exit_code != 0
    assert "exercises folder not found" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_exercise_lists_the_registered_ones(tmp_path):
    bridge_copy(tmp_path / "clinic")
    result = invoke("--exercises-dir", tmp_path / "clinic", "analyze", tmp_path / "x.mp4",
                    "--exercise", "squat")  # fmt: skip
    assert result.exit_code == 2
    assert "hip_lift" in result.output and "bridge" in result.output
    with pytest.raises(ConfigError, match="unknown exercise"):
        registry.resolve_id("squat")


@pytest.mark.parametrize(
    "command",
    [["synth", "bridge", "-o", "x.mp4"], ["batch", "x.mp4", "--out", "out"], ["exercises"],
     ["analyze", "x.mp4"]],
)  # fmt: skip
def test_a_missing_folder_in_the_environment_is_one_line_for_every_command(tmp_path, command):
    env = {"COLUMNS": "200", "NO_COLOR": "1", registry.ENV_VAR: str(tmp_path / "nope")}
    # Paths inside tmp_path, so nothing could land in the working tree.
    command = [str(tmp_path / c) if c in ("x.mp4", "out") else c for c in command]
    result = runner.invoke(app, command, env=env)
    assert result.exit_code == 1
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "exercises folder not found" in lines[0]
    assert not (tmp_path / "out").exists()
