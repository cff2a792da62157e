"""What to score (:class:`Job`) and the key that says whether it was already scored.

The key is the sha256 of everything that decides a clip's report: the clip's
content (not its name, so a renamed or moved clip is still recognised), the
exercise, the patient config's content, the patient id, the pose model, the
``--stride`` setting and the formcheck version. Any change gives a new key, so the
clip is scored again; nothing else does.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from formcheck import __version__


@dataclass(frozen=True)
class Job:
    """One clip to score, as the inputs named it."""

    path: Path
    exercise: str  # an exercise id or "auto"
    patient: str | None = None
    config: Path | None = None


@dataclass(frozen=True)
class KeyedJob:
    """A job with its content hash and key, ready to send to a worker."""

    job: Job
    content_sha: str | None  # None: the file could not be read (recorded as a failure)
    config_sha: str
    model_id: str
    key: str
    problem: str | None = None  # why the job fails before any worker sees it

    @property
    def name(self) -> str:
        """``<stem>-<key[:12]>``: readable, and unique per key."""
        return f"{self.job.path.stem}-{self.key[:12]}"


def job_key(
    *,
    content_sha: str,
    exercise: str,
    config_sha: str,
    patient: str | None,
    model_id: str,
    stride: int | None = None,
    version: str = __version__,
) -> str:
    parts = {
        "stride": "auto" if stride is None else stride,
        "content": content_sha,
        "exercise": exercise,
        "config": config_sha,
        "patient": patient,
        "model": model_id,
        "formcheck": version,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def bytes_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(jobs: list[Job], model_id: str, *, stride: int | None = None) -> list[KeyedJob]:
    """Hash every clip and config and key the jobs (in the caller's process: it decides skips).

    Configs are validated here, once each, so a bad config stops the batch
    before any work (ConfigError). A clip that cannot be read becomes a job
    with a ``problem``, recorded as failed. The same path given twice (same
    absolute path and key) is kept once; two names for one content (a copy, a
    link: same key) are both kept, to be scored once and given a row each.
    """
    from formcheck.exercises.loader import load_config
    from formcheck.pipeline import file_sha256

    config_shas: dict[Path | None, str] = {None: ""}
    keyed: dict[tuple[Path, str], KeyedJob] = {}
    for job in jobs:
        if job.config not in config_shas:
            load_config(job.config)  # raises ConfigError naming the file and key
            config_shas[job.config] = bytes_sha(Path(job.config).read_bytes())
        problem = None
        try:
            content: str | None = file_sha256(job.path)
        except FileNotFoundError:
            content, problem = None, f"clip not found: {job.path}"
        except IsADirectoryError:
            content, problem = None, f"not a file: {job.path}"
        except OSError as exc:
            content, problem = None, f"cannot read {job.path}: {exc.strerror or exc}"
        key = job_key(
            content_sha=content or f"unreadable:{job.path.resolve()}",
            exercise=job.exercise,
            config_sha=config_shas[job.config],
            patient=job.patient,
            model_id=model_id,
            stride=stride,
        )
        keyed.setdefault(
            (Path(os.path.abspath(job.path)), key),  # a link is a name of its own
            KeyedJob(job, content, config_shas[job.config], model_id, key, problem),
        )
    return list(keyed.values())
