"""The results folder: every finished clip as atomic files, so nothing is lost or doubled.

Layout under ``--out``::

    reports/<stem>-<key12>.json   the clip's SessionReport (same as ``analyze --json``)
    .done/<key>.json              written last: the clip is scored; holds its table rows
    failed/<stem>-<key12>.json    a clip that failed, with its error (retried next run)
    .poses/                       the pose cache (see cache.py)

A clip counts as scored only once its ``.done`` marker exists, and the
marker is written after the report, each by an atomic rename. A kill at any
moment leaves either a finished clip or one that the next run scores again
(overwriting any orphaned report), plus hidden temporary files that the next
run sweeps away. Only the coordinating process writes here, so one batch at a
time per ``--out`` folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formcheck.batch.cache import CACHE_DIR
from formcheck.batch.jobs import KeyedJob
from formcheck.batch.rows import clip_row, failed_row, rep_rows
from formcheck.batch.worker import Outcome
from formcheck.report.atomic import atomic_write_text, remove_orphans
from formcheck.report.model import SessionReport


@dataclass(frozen=True)
class Store:
    out: Path

    @property
    def reports(self) -> Path:
        return self.out / "reports"

    @property
    def done(self) -> Path:
        return self.out / ".done"

    @property
    def failed(self) -> Path:
        return self.out / "failed"

    def marker(self, key: str) -> Path:
        return self.done / f"{key}.json"

    def failure(self, kjob: KeyedJob) -> Path:
        return self.failed / f"{kjob.name}.json"

    def is_done(self, key: str) -> bool:
        return self.marker(key).is_file()

    def sweep(self) -> int:
        """Remove the temporary files a killed run left behind; returns how many."""
        folders = (self.reports, self.done, self.failed, self.out / CACHE_DIR)
        return sum(remove_orphans(folder) for folder in folders if folder.is_dir())

    def record(self, kjob: KeyedJob) -> dict[str, Any] | None:
        """The stored record of a job: its finished marker, else its failure, else None."""
        for path in (self.marker(kjob.key), self.failure(kjob)):
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue
        return None

    def save(self, kjob: KeyedJob, outcome: Outcome) -> dict[str, Any]:
        """Persist one outcome atomically; returns the record written."""
        timing = {"seconds": round(outcome.seconds, 3), "cache_hit": outcome.cache_hit}
        if not outcome.ok:
            record = {"key": kjob.key, "clip": failed_row(kjob, outcome.error) | timing, "reps": []}
            _write_json(self.failure(kjob), record)
            return record
        report = SessionReport.model_validate_json(outcome.report_json)
        report_rel = f"reports/{kjob.name}.json"
        # force: an orphan report from a run killed before its marker may be there.
        atomic_write_text(self.out / report_rel, outcome.report_json, force=True)
        record = {
            "key": kjob.key,
            "clip": clip_row(kjob, report, report_rel) | timing,
            "reps": rep_rows(kjob, report),
        }
        _write_json(self.marker(kjob.key), record)
        self.failure(kjob).unlink(missing_ok=True)  # it failed before, scored now
        return record


def _write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False) + "\n", force=True)
