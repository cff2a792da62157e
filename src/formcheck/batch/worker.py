"""Score one clip in a worker process (local pool or Dask worker), model kept loaded.

The worker only computes: it returns the report as JSON text and the caller
writes it (one writer, so the store never sees two processes racing, and a
killed worker never leaves half a result). The one thing the worker writes is
the pose cache, atomically, so it must see ``--out`` (on a cluster: a shared path).
"""

from __future__ import annotations

import atexit
import dataclasses
import signal
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.batch.cache import load_cached
from formcheck.batch.estimator import ReusedEstimator
from formcheck.errors import FormcheckError

if TYPE_CHECKING:
    from formcheck.exercises.loader import PatientConfig

# One model per thread of each worker process: Dask workers may run several threads.
_local = threading.local()
_opened: list[ReusedEstimator] = []  # every thread's, closed once as the process exits


@dataclass(frozen=True)
class Task:
    """What a worker needs for one clip; plain fields so it pickles anywhere."""

    key: str
    path: str
    exercise: str
    patient: str | None
    config: str | None
    cache: str | None  # pose cache file, or None for no cache
    model_path: str | None
    model_id: str
    content_sha: str | None = None  # hashed by the coordinator already
    stride: int | None = None  # model every k-th frame; None: per exercise (--stride auto)


@dataclass(frozen=True)
class Outcome:
    key: str
    ok: bool
    error: str = ""
    report_json: str = ""
    frames: int = 0
    seconds: float = 0.0
    cache_hit: bool = False


def init_worker(model_path: str | None, load_model: bool = True) -> None:
    """Pool initializer: ignore Ctrl-C (the parent handles it) and load the model now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if load_model:
        estimator(model_path)


def estimator(model_path: str | None) -> ReusedEstimator:
    """This thread's estimator, created on first use and kept for the process's life."""
    held: dict[str | None, ReusedEstimator] = _local.__dict__.setdefault("estimators", {})
    if model_path not in held:
        held[model_path] = ReusedEstimator(Path(model_path) if model_path else None)
        if not _opened:
            # mediapipe 1.x runs its C calls on a thread pool, which Python shuts down before
            # atexit handlers run; closing must come before that (a later-registered hook
            # runs first). threading has no public hook for it, hence the fallback.
            register = getattr(threading, "_register_atexit", atexit.register)
            register(_close_opened)
        _opened.append(held[model_path])
    return held[model_path]


def _close_opened() -> None:
    """Close the worker's landmarkers while the interpreter is still whole: left to the
    garbage collector at shutdown, mediapipe 1.x's finaliser finds its C bindings gone and
    prints a traceback per landmarker."""
    while _opened:
        _opened.pop().close()


@lru_cache(maxsize=32)
def _config(path: str | None) -> PatientConfig:
    from formcheck.exercises.loader import load_config

    return load_config(Path(path) if path else None)


def score(task: Task) -> Outcome:
    """Score one clip; every failure comes back as an Outcome, never an exception."""
    start = time.perf_counter()
    try:
        report_json, frames, hit = _score(task)
    except FormcheckError as exc:
        return Outcome(task.key, False, error=str(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug or a library failure: record it, keep the batch going
        message = " ".join(f"{type(exc).__name__}: {exc}".split())
        return Outcome(task.key, False, error=message, seconds=time.perf_counter() - start)
    return Outcome(
        task.key,
        True,
        report_json=report_json,
        frames=frames,
        seconds=time.perf_counter() - start,
        cache_hit=hit,
    )


def _score(task: Task) -> tuple[str, int, bool]:
    from formcheck.pipeline import analyze_clip
    from formcheck.report.json_writer import report_to_json

    config = _config(task.config)
    if task.patient:
        config = dataclasses.replace(config, patient=task.patient)
    cache = Path(task.cache) if task.cache else None
    recording = load_cached(cache, task.model_id) if cache else None
    if recording is not None and recording.stride != _stride(task, config, recording.fps):
        recording = None  # landmarks of another stride: run the model again, replace them
    if recording is not None:
        outcome = analyze_clip(
            task.path,
            exercise=task.exercise,
            config=config,
            recording=recording,
            content_sha=task.content_sha,
        )
    else:
        model = estimator(task.model_path)
        if model.model_id != task.model_id:
            raise FormcheckError(f"worker has model {model.model_id}, job wants {task.model_id}")
        if cache:
            cache.parent.mkdir(parents=True, exist_ok=True)
        outcome = analyze_clip(
            task.path,
            exercise=task.exercise,
            config=config,
            estimator_factory=model.clip,
            pose_out=cache,
            content_sha=task.content_sha,
            stride=task.stride,
        )
    report = outcome.report
    # Frames of the clip (modelled or skipped), so frames/s compares across strides.
    frames = report.source.frames if report.source else report.summary.frames
    return report_to_json(report), frames, recording is not None


def _stride(task: Task, config: PatientConfig, fps: float) -> int:
    """The stride a model run of this task would use."""
    from formcheck.exercises.registry import exercise_ids
    from formcheck.pipeline import resolve_stride

    ids = list(exercise_ids()) if task.exercise == "auto" else [task.exercise]
    return resolve_stride(task.stride, fps, [config.exercise(i) for i in ids])
