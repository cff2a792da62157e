"""The Dask path gives the same table as the local pool, on a LocalCluster started here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from batch_helpers import run_cli

from formcheck.batch.rows import TIMING_COLUMNS

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def _table(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [{k: v for k, v in r.items() if k not in TIMING_COLUMNS} for r in rows]


def test_cluster_table_equals_local_table(scored, clip_folder, tmp_path) -> None:
    local_out, _ = scored
    folder, _, _ = clip_folder
    out = tmp_path / "cluster-out"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        proc = run_cli(
            "batch", folder, "--out", out, "--exercise", "bridge", "--cluster",
            cluster.scheduler_address,
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # the same broken clips fail
    assert _table(out / "clips.csv") == _table(local_out / "clips.csv")
    assert (out / "reps.csv").read_text() == (local_out / "reps.csv").read_text()


def test_unreachable_scheduler_is_a_usage_error(clip_folder, tmp_path) -> None:
    _, good, _ = clip_folder
    proc = run_cli("batch", good[0], "--out", tmp_path, "--cluster", "tcp://127.0.0.1:9")
    assert proc.returncode == 2, proc.stderr
    assert "Dask scheduler" in proc.stderr
