"""Expand the command line's inputs (folders, globs, files, CSV manifests) into jobs.

* A folder: every video file under it (recursively, hidden folders skipped).
* A glob (``clips/*.mp4``, ``**`` allowed): every file it matches.
* A file ending in ``.csv``: a manifest with a header row; columns ``path``
  (required), ``exercise``, ``patient``, ``config`` (optional; an empty cell
  takes the command line's value). Relative paths are read from the
  manifest's folder.
* Any other existing file: that clip (even if it turns out not to be a video;
  it is then recorded as failed).

Policy: mistakes in what the user typed stop the batch before any work (exit
2): an input that matches nothing, a manifest with unknown columns, no
``path`` column, or an unknown exercise. A clip a manifest names that does not
exist is a clip that failed: it gets a failed row and the rest are scored,
because a manifest is often written before every clip has been copied.
"""

from __future__ import annotations

import csv
import glob
from pathlib import Path

from formcheck.batch.jobs import Job
from formcheck.errors import ConfigError
from formcheck.exercises.loader import resolve_id
from formcheck.sources import VIDEO_EXTENSIONS

MANIFEST_COLUMNS = frozenset({"path", "exercise", "patient", "config"})
_GLOB_CHARS = frozenset("*?[")


def normalise_exercise(name: str) -> str:
    """``"auto"`` or the exercise id for an id or alias; ConfigError if unknown."""
    name = name.strip()
    return "auto" if name.lower() == "auto" else resolve_id(name)


def expand_inputs(
    inputs: list[str],
    *,
    exercise: str,
    patient: str | None = None,
    config: Path | None = None,
) -> list[Job]:
    """Jobs in input order; the same clip listed twice with the same settings appears once."""
    exercise = normalise_exercise(exercise)
    jobs: list[Job] = []
    for spec in inputs:
        path = Path(spec)
        if path.is_file() and path.suffix.lower() == ".csv":
            jobs += read_manifest(path, exercise=exercise, patient=patient, config=config)
        elif path.is_dir():
            jobs += [Job(p, exercise, patient, config) for p in videos_under(path)]
        elif path.is_file():
            jobs.append(Job(path, exercise, patient, config))
        elif _GLOB_CHARS & set(spec):
            matched = sorted(Path(p) for p in glob.glob(spec, recursive=True))
            files = [p for p in matched if p.is_file()]
            if not files:
                raise ConfigError(f"no files match {spec!r}")
            jobs += [Job(p, exercise, patient, config) for p in files]
        else:
            raise ConfigError(f"input not found: {spec}")
    return list(dict.fromkeys(jobs))


def videos_under(folder: Path) -> list[Path]:
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in VIDEO_EXTENSIONS
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    if not found:
        raise ConfigError(f"no video files in folder {folder}")
    return sorted(found)


def read_manifest(
    manifest: Path, *, exercise: str, patient: str | None, config: Path | None
) -> list[Job]:
    try:
        text = manifest.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read manifest {manifest}: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    columns = {c.strip().lower() for c in (reader.fieldnames or [])}
    if "path" not in columns:
        raise ConfigError(f"{manifest}: the manifest needs a header row with a 'path' column")
    unknown = columns - MANIFEST_COLUMNS
    if unknown:
        raise ConfigError(
            f"{manifest}: unknown column(s) {', '.join(sorted(unknown))}; "
            f"expected {', '.join(sorted(MANIFEST_COLUMNS))}"
        )
    base = manifest.parent
    jobs = []
    for line, row in enumerate(reader, start=2):
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not cells.get("path"):
            if any(cells.values()):
                raise ConfigError(f"{manifest}:{line}: empty path")
            continue  # blank line
        try:
            row_exercise = normalise_exercise(cells["exercise"]) if cells.get("exercise") else None
        except ConfigError as exc:
            raise ConfigError(f"{manifest}:{line}: {exc}") from None
        row_config = base / cells["config"] if cells.get("config") else config
        jobs.append(
            Job(
                path=base / cells["path"],
                exercise=row_exercise or exercise,
                patient=cells.get("patient") or patient,
                config=row_config,
            )
        )
    if not jobs:
        raise ConfigError(f"{manifest}: the manifest lists no clips")
    return jobs
