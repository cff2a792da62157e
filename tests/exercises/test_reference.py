"""The generated reference: `exercises show --format md` and docs/exercises/ kept current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.exercises import registry

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "exercises"


def _pages(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv(registry.ENV_VAR, "")
    spec = importlib.util.spec_from_file_location(
        "exercise_pages", ROOT / "scripts" / "exercise_pages.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.pages()


def test_docs_exercises_are_current(monkeypatch):
    wanted = _pages(monkeypatch)
    have = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    stale = sorted(n for n in wanted.keys() | have.keys() if wanted.get(n) != have.get(n))
    assert not stale, f"out of date: {stale}; run .venv/bin/python scripts/exercise_pages.py"


def test_show_md_prints_the_page_a_physiotherapist_reviews(monkeypatch):
    monkeypatch.setenv(registry.ENV_VAR, "")
    result = CliRunner().invoke(app, ["exercises", "show", "glute-bridge", "--format", "md"])
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith("# Glute bridge (`bridge`)")
    # Rules as a physiotherapist says them, with units; a fault of several rules lists each.
    assert "- peak hip_angle < 165 deg\n- rise hip_angle < 22 deg" in page
    assert "lower_s < 0.4 s." in page
    assert "| `heel_lift` |" in page and "| torso |" in page
    assert page == (DOCS / "bridge.md").read_text(encoding="utf-8")


def test_show_md_applies_a_patient_config(tmp_path, monkeypatch):
    monkeypatch.setenv(registry.ENV_VAR, "")
    cfg = tmp_path / "p.toml"
    cfg.write_text('[exercises.bridge.faults.sagging_hips."peak.hip_angle"]\nvalue = 160.0\n')
    result = CliRunner().invoke(
        app, ["exercises", "show", "bridge", "--format", "md", "--config", str(cfg)]
    )
    assert result.exit_code == 0, result.output
    assert "- peak hip_angle < 160 deg" in result.output


def test_show_rejects_an_unknown_format():
    result = CliRunner().invoke(app, ["exercises", "show", "bridge", "--format", "pdf"])
    assert result.exit_code != 0
    assert "not one of text, md" in result.output
