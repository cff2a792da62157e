"""Fixtures for the batch tests (helpers in batch_helpers.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from batch_helpers import run_cli, write_broken, write_clip


@pytest.fixture(scope="session")
def clip_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], list[Path]]:
    """``(folder, good clips, broken clips)``."""
    folder = tmp_path_factory.mktemp("clips")
    good = [write_clip(folder / f"clip{i}.mp4", seed=i) for i in range(3)]
    broken = write_broken(folder, good[0])
    return folder, good, broken


@pytest.fixture(scope="session")
def scored(
    clip_folder: tuple[Path, list[Path], list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One local batch over the folder with two workers: ``(out, process)``."""
    out = tmp_path_factory.mktemp("scored")
    proc = run_cli("batch", clip_folder[0], "--out", out, "--workers", "2", "--exercise", "bridge")
    return out, proc
