"""Drive a batch: key the jobs, skip what is done, score the rest, store, rebuild tables."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from formcheck.batch.cache import cache_path
from formcheck.batch.jobs import Job, KeyedJob, prepare
from formcheck.batch.store import Store
from formcheck.batch.tables import collect, write_tables
from formcheck.batch.worker import Outcome, Task
from formcheck.pose.models import model_argument
from formcheck.report.atomic import atomic_write_text


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    workers: int = 0  # 0: one per available core
    model_path: str | Path | None = None  # lite/full/heavy or a .task file
    cluster: str | None = None
    rescore: bool = False  # ignore finished results and score everything again
    pose_cache: bool = True
    quiet: bool = False
    stride: int | None = None  # model every k-th frame; None: per exercise (--stride auto)


@dataclass
class BatchResult:
    clips: int = 0
    scored: int = 0
    skipped: int = 0
    failed: int = 0
    interrupted: bool = False
    frames: int = 0
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "clips": self.clips,
            "scored": self.scored,
            "skipped": self.skipped,
            "failed": self.failed,
            "interrupted": self.interrupted,
            "frames": self.frames,
            "seconds": round(self.seconds, 3),
            "frames_per_s": round(self.frames / self.seconds, 2) if self.seconds else None,
            "errors": [{"path": p, "error": e} for p, e in self.errors],
        }


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def model_id_for(model_path: str | Path | None) -> str:
    """The model id a worker will report, known here without loading the model."""
    from formcheck.pose.models import model_id_of

    return model_id_of(model_path)


def run_batch(jobs: list[Job], opts: BatchOptions, console: Console | None = None) -> BatchResult:
    """Score ``jobs``; KeyboardInterrupt is caught: finished results and tables are kept."""
    console = console or Console(stderr=True)
    model_id = model_id_for(opts.model_path)  # a missing model fails before --out is made
    store = Store(opts.out)
    opts.out.mkdir(parents=True, exist_ok=True)
    store.sweep()  # before any worker starts writing pose-cache files
    kjobs = prepare(jobs, model_id, stride=opts.stride)
    result = BatchResult(clips=len(kjobs))
    todo = [k for k in kjobs if opts.rescore or not store.is_done(k.key)]
    result.skipped = len(kjobs) - len(todo)
    # Names for one content (one key) are scored once; the result is each one's.
    by_key: dict[str, list[KeyedJob]] = {}
    for k in todo:
        by_key.setdefault(k.key, []).append(k)
    scored_now: set[str] = set()
    start = time.perf_counter()

    def record(kjob: KeyedJob, outcome: Outcome) -> None:
        with signals_deferred():  # stored and counted, or neither
            _record(kjob, outcome)

    def _record(kjob: KeyedJob, outcome: Outcome) -> None:
        store.save(kjob, outcome)
        same = by_key.get(kjob.key, [kjob])
        for other in same[1:]:
            if not outcome.ok:
                store.save(other, outcome)  # failures are stored per name
        if outcome.ok:
            result.scored += len(same)
            result.frames += outcome.frames
            scored_now.add(kjob.key)
        else:
            result.failed += len(same)
            result.errors += [(str(k.job.path), outcome.error) for k in same]

    for group in by_key.values():
        if group[0].problem:
            record(group[0], Outcome(group[0].key, False, error=group[0].problem))
    tasks = [_task(group[0], opts) for group in by_key.values() if not group[0].problem]
    if result.skipped and not opts.quiet:
        console.print(f"skipped {result.skipped} already scored (same content, settings, model)")
    progress = _progress(console, disable=opts.quiet)
    outcomes = _engine(tasks, opts)
    try:
        with progress:
            bar = progress.add_task("scoring", total=len(tasks), cps=0.0, fps=0.0)
            for outcome in outcomes:
                record(by_key[outcome.key][0], outcome)
                elapsed = max(time.perf_counter() - start, 1e-9)
                done = result.scored + result.failed
                progress.update(bar, advance=1, cps=done / elapsed, fps=result.frames / elapsed)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        if hasattr(outcomes, "close"):
            outcomes.close()  # stops workers, cancels what was not started
        result.seconds = time.perf_counter() - start
        clips, reps = collect(store, kjobs, scored_now)
        result.tables = write_tables(opts.out, clips, reps)
        atomic_write_text(
            opts.out / "last_run.json", json.dumps(result.as_dict(), indent=2) + "\n", force=True
        )
    return result


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then deliver them.

    Done in Python: blocking the signals in the main thread is not enough, since
    the kernel hands a process signal to another thread (the pool's) and Python
    then runs its handler in the main thread anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM)
    caught: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in held}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)  # now, through the handler that was in place


def _task(kjob: KeyedJob, opts: BatchOptions) -> Task:
    job = kjob.job
    assert kjob.content_sha is not None
    cache = cache_path(opts.out, kjob.content_sha, kjob.model_id) if opts.pose_cache else None
    return Task(
        key=kjob.key,
        path=str(job.path.resolve()),
        exercise=job.exercise,
        patient=job.patient,
        config=str(job.config.resolve()) if job.config else None,
        cache=str(cache.resolve()) if cache else None,
        model_path=model_argument(opts.model_path),
        model_id=kjob.model_id,
        content_sha=kjob.content_sha,
        stride=opts.stride,
    )


def _engine(tasks: list[Task], opts: BatchOptions) -> Iterator[Outcome]:
    if not tasks:
        return iter(())
    if opts.cluster:
        from formcheck.batch.cluster import run_cluster

        return run_cluster(tasks, opts.cluster)
    from formcheck.batch.local import run_local

    workers = opts.workers or default_workers()
    return run_local(tasks, workers, model_argument(opts.model_path))


def _progress(console: Console, *, disable: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("clips"),
        TextColumn("{task.fields[cps]:.2f} clips/s"),
        TextColumn("{task.fields[fps]:.0f} frames/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        disable=disable,
    )
