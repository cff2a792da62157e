"""Run tasks on an existing Dask distributed cluster (``--cluster tcp://host:8786``).

Why Dask distributed rather than Ray:

* It is pure Python on PyPI (``pip install "dask[distributed]"``) with wheels
  for every platform and Python version we support and no pin on numpy, so it
  sits next to whatever numpy the rest of a clinic's stack uses. Ray ships large
  binary wheels that lag new Pythons and brings its own object store and
  dashboard daemons a clinic IT department has to run.
* A cluster is two commands a clinic can type: ``dask scheduler`` on one
  machine, ``dask worker tcp://host:8786`` on the others; ``LocalCluster``
  starts the same thing in a test.
* The same ``worker.score`` function runs unchanged: Dask worker processes
  live for the whole session, so the per-thread model in ``worker`` stays
  loaded there exactly as in the local pool, and a worker that dies has its
  clips rescheduled by the scheduler.

Clips (and ``--out``, for the pose cache) must be on a path every worker sees
at the same name; the reports and tables are written by this process.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

from formcheck.batch.worker import Outcome, Task, score
from formcheck.errors import ConfigError


def run_cluster(tasks: list[Task], address: str) -> Iterator[Outcome]:
    """Outcomes in completion order; closing the iterator cancels what is left."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError(
            "--cluster needs Dask distributed: pip install 'formcheck[cluster]'"
        ) from None
    _check_reachable(address)
    try:
        client = Client(address, timeout="15s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        # Named by job key: resubmitting the same clip in one session is a no-op for Dask.
        futures = {
            client.submit(score, t, key=f"formcheck-score-{t.key}", pure=False): t for t in tasks
        }
        try:
            for future in as_completed(futures):
                task = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # e.g. KilledWorker: the clip kept killing workers
                    message = " ".join(f"{type(exc).__name__}: {exc}".split())
                    yield Outcome(task.key, False, error=f"cluster: {message}")
        finally:
            client.cancel(list(futures))


def _check_reachable(address: str) -> None:
    """Fail in a moment, not after the client's retries, when nothing listens at a tcp address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp" or not parts.hostname:
        return  # other transports (tls, ucx, inproc): let Dask say what is wrong
    try:
        socket.create_connection((parts.hostname, parts.port or 8786), timeout=5).close()
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc}"
        ) from None
