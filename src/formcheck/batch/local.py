"""Run tasks on a local process pool, one loaded model per worker process.

Workers are started with "spawn": MediaPipe (its threads and its TFLite
delegate) is not safe to use in a child forked after it was loaded, and
spawn behaves the same on Linux, macOS and Windows.

A worker that dies (a segfault in a decoder or the model, the OOM killer)
breaks the whole pool. The pool is then rebuilt and the unfinished clips sent
again; a clip that was being scored in two such crashes is recorded as failed,
so one poisonous clip cannot stop the batch.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from formcheck.batch import worker
from formcheck.batch.lifeline import die_with_parent
from formcheck.batch.worker import Outcome, Task

MAX_CRASHES = 2

_started: mp.Queue | None = None  # in a worker: where to say which clip it starts


def _init(model_path: str | None, started: mp.Queue, parent_pid: int) -> None:
    global _started
    die_with_parent(parent_pid)
    # SIGTERM to the whole group (systemd, a terminal closing) is the coordinator's to
    # handle: it stops the pool itself, after storing what is finished.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _started = started
    # The model loads on the first clip the pose cache does not have: a re-score from
    # a warm cache never loads it at all.
    worker.init_worker(model_path, load_model=False)


def _score(task: Task) -> Outcome:
    if _started is not None:
        _started.put(task.key)
    return worker.score(task)


def run_local(tasks: list[Task], workers: int, model_path: str | None) -> Iterator[Outcome]:
    """Outcomes in completion order; closing the iterator stops the workers at once."""
    ctx = mp.get_context("spawn")
    remaining = {t.key: t for t in tasks}
    crashes: Counter[str] = Counter()
    while remaining:
        started = ctx.Queue()
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(workers, len(remaining))),
            mp_context=ctx,
            initializer=_init,
            initargs=(model_path, started, os.getpid()),
        )
        broken = False
        try:
            futures: dict[Future[Outcome], Task] = {
                pool.submit(_score, t): t for t in remaining.values()
            }
            for future in as_completed(futures):
                task = futures[future]
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                del remaining[task.key]
                yield outcome
        finally:
            _stop(pool, wait=not broken and not remaining)
        if broken:
            # Blame only the clips that were being scored when the pool broke.
            for key in _drain(started):
                if key in remaining:
                    crashes[key] += 1
                    if crashes[key] >= MAX_CRASHES:
                        del remaining[key]
                        yield Outcome(key, False, error="the worker process crashed on this clip")


def _drain(q: mp.Queue) -> list[str]:
    keys = []
    while True:
        try:
            keys.append(q.get(timeout=0.1))
        except (queue.Empty, OSError, EOFError):
            return keys


def _stop(pool: ProcessPoolExecutor, *, wait: bool) -> None:
    if wait:
        pool.shutdown(wait=True)
        return
    # Interrupted or broken: drop queued clips and end the running ones now rather
    # than wait for clips whose results nobody will store.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()  # workers ignore SIGTERM (see _init)
    for process in processes:
        process.join(timeout=5)
