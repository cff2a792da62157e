"""Expanding inputs into jobs, keys and the bad-usage exits (no model runs here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import run_cli

from formcheck.batch.inputs import expand_inputs
from formcheck.batch.jobs import Job, prepare
from formcheck.errors import ConfigError


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_folder_is_searched_recursively_for_videos_only(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.mp4")
    b = _touch(tmp_path / "sub" / "b.MOV")
    _touch(tmp_path / "notes.txt")
    _touch(tmp_path / ".poses" / "hidden.mp4")
    jobs = expand_inputs([str(tmp_path)], exercise="glute-bridge")
    assert [j.path for j in jobs] == [a, b]
    assert {j.exercise for j in jobs} == {"bridge"}


def test_glob_and_duplicates(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.mp4")
    jobs = expand_inputs([str(tmp_path / "*.mp4"), str(a)], exercise="auto")
    assert jobs == [Job(a, "auto")]


def test_manifest_rows_override_the_defaults(tmp_path: Path) -> None:
    _touch(tmp_path / "clips" / "a.mp4")
    (tmp_path / "m.csv").write_text(
        "path,exercise,patient\nclips/a.mp4,cat-cow,P1\nclips/missing.mp4,,\n"
    )
    jobs = expand_inputs([str(tmp_path / "m.csv")], exercise="bridge", patient="P0")
    assert jobs == [
        Job(tmp_path / "clips" / "a.mp4", "cat_cow", "P1"),
        Job(tmp_path / "clips" / "missing.mp4", "bridge", "P0"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file,exercise\na.mp4,bridge\n", "'path' column"),
        ("path,colour\na.mp4,red\n", "unknown column"),
        ("path,exercise\na.mp4,squat\n", "m.csv:2: unknown exercise"),
    ],
)
def test_bad_manifest_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "m.csv").write_text(text)
    with pytest.raises(ConfigError, match=message):
        expand_inputs([str(tmp_path / "m.csv")], exercise="auto")


def test_key_changes_with_content_config_and_exercise(tmp_path: Path) -> None:
    a = _touch(tmp_path / "a.mp4", b"one")
    b = _touch(tmp_path / "b.mp4", b"one")  # same content, other name
    c = _touch(tmp_path / "c.mp4", b"two")
    cfg = tmp_path / "p.toml"
    cfg.write_text('patient = "X"\n')
    keys = prepare(
        [
            Job(a, "bridge"),
            Job(b, "bridge"),
            Job(c, "bridge"),
            Job(a, "cat_cow"),
            Job(a, "bridge", config=cfg),
        ],
        "model-1",
    )
    # a and b are one content: one key (scored once), but a row each (issue 23, item 7)
    assert len(keys) == 5
    assert len({k.key for k in keys}) == 4
    assert prepare([Job(a, "bridge")], "model-2")[0].key != keys[0].key


def test_missing_clip_becomes_a_failed_job(tmp_path: Path) -> None:
    [job] = prepare([Job(tmp_path / "gone.mp4", "bridge")], "m")
    assert job.problem and "not found" in job.problem


def test_bad_config_stops_before_work(tmp_path: Path) -> None:
    cfg = tmp_path / "p.toml"
    cfg.write_text("colour = 1\n")
    with pytest.raises(ConfigError, match="unknown top-level"):
        prepare([Job(_touch(tmp_path / "a.mp4"), "bridge", config=cfg)], "m")


def test_cli_exit_2_when_nothing_matches(tmp_path: Path) -> None:
    proc = run_cli("batch", tmp_path / "nothing*.mp4", "--out", tmp_path / "out")
    assert proc.returncode == 2, proc.stderr
    assert "no files match" in proc.stderr
    (tmp_path / "m.csv").write_text("clip\nx.mp4\n")
    proc = run_cli("batch", tmp_path / "m.csv", "--out", tmp_path / "out")
    assert proc.returncode == 2
    assert "path" in proc.stderr
