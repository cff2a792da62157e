"""The bundled pose models: found as package data, named, and loadable from a real wheel."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.errors import ModelError
from formcheck.pose import models
from formcheck.pose.models import load_model, model_argument, model_id_of

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_videos" / "bridge_clean.mp4"


def readme_sha256() -> dict[str, str]:
    """``{file name: sha256}`` from the table in models/README.md."""
    text = (REPO / "models" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(pose_landmarker_\w+\.task)` \|.*?\| `([0-9a-f]{64})` \|", text, re.M)
    return dict(rows)


@pytest.mark.parametrize("name", ["lite", "full"])
def test_bundled_models_are_the_files_models_readme_lists(name: str):
    data, model_id = load_model(name)
    assert model_id == f"mediapipe-pose-{name}@{version('mediapipe')}"
    recorded = readme_sha256()[f"pose_landmarker_{name}.task"]
    assert hashlib.sha256(data).hexdigest() == recorded


def test_no_model_means_full_and_names_pass_between_processes_as_names(tmp_path: Path):
    assert load_model(None) == load_model("full")
    assert load_model("lite")[0] != load_model("full")[0]
    assert model_argument(None) is None
    assert model_argument(Path("lite")) == "lite"  # the CLI hands over a Path
    model_file = tmp_path / "mine.task"
    model_file.write_bytes(load_model("lite")[0])
    assert model_argument(model_file) == str(model_file.resolve())
    assert model_id_of(model_file).startswith("mine#")


@pytest.fixture
def no_bundled_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the package held none of the bundles (heavy is absent from a fresh clone)."""
    monkeypatch.setattr(models, "MODELS_FOLDER", "no_such_models_folder")


def test_missing_heavy_model_says_how_to_get_it(no_bundled_models: None):
    with pytest.raises(ModelError) as heavy:
        load_model("heavy")
    assert "scripts/build_pose_models.py --heavy" in str(heavy.value)
    assert "--model PATH.task" in str(heavy.value)
    with pytest.raises(ModelError, match="reinstall formcheck"):
        load_model("lite")
    with pytest.raises(ModelError, match="unknown pose model"):
        models.read_bundled_model("medium")


@pytest.mark.parametrize("command", ["analyze", "batch", "eval"])
def test_cli_without_the_heavy_model_gives_one_line(
    command: str, no_bundled_models: None, tmp_path: Path
):
    args = {
        "analyze": ["analyze", str(SAMPLE), "-e", "bridge", "-q"],
        "batch": ["batch", str(SAMPLE), "--out", str(tmp_path / "out"), "-q"],
        "eval": ["eval", str(SAMPLE.with_suffix(".truth.json")), "-q"],
    }[command]
    result = CliRunner().invoke(app, [*args, "--model", "heavy"], env={"COLUMNS": "300"})
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "build_pose_models.py --heavy" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # batch made nothing before failing


CHECK_INSTALLED = """
import sys
from pathlib import Path
import formcheck
from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
from formcheck.sources import open_source

assert Path(formcheck.__file__).is_relative_to(Path(sys.argv[1])), formcheck.__file__
for name in ("lite", "full"):
    with MediaPipePoseEstimator(name) as estimator, open_source(Path(sys.argv[2])) as source:
        frame = next(iter(source))
        assert estimator.estimate(frame).detected, name
        print(name, estimator.model_id)
"""


@pytest.mark.slow
def test_bundled_models_load_from_an_installed_wheel(tmp_path: Path):
    # A clean copy of what a wheel is built from (no heavy bundle, no caches).
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "src",
        source / "src",
        ignore=shutil.ignore_patterns(
            "__pycache__", "*.egg-info", "pose_landmarker_heavy.task", "*.partial"
        ),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    wheels = tmp_path / "wheels"
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(source)], check=True)
    (wheel,) = wheels.glob("formcheck-*.whl")
    target = tmp_path / "installed"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    assert (target / "formcheck" / "models" / "pose_landmarker_full.task").is_file()
    # Run from elsewhere, the installed copy first on the path (ahead of the editable one).
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-c", CHECK_INSTALLED, str(target), str(SAMPLE)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "lite mediapipe-pose-lite@" in done.stdout
    assert "full mediapipe-pose-full@" in done.stdout
