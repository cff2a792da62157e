"""Make a worker process die with the process that started it.

A pool worker blocks reading its task pipe, and with the "spawn" start method
every worker holds both ends of that pipe: when the coordinator is killed
(``kill -9``, the OOM killer) no end-of-file ever arrives, and the workers
(each with a loaded model) and multiprocessing's resource tracker would wait
for good. On Linux the kernel kills the worker when its parent dies
(``PR_SET_PDEATHSIG``); elsewhere a daemon thread polls the parent's pid.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
POLL_S = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Arrange for this process to be killed when ``parent_pid`` (its parent) ends."""
    if not _set_pdeathsig():
        threading.Thread(target=_watch, args=(parent_pid,), daemon=True).start()
    # The parent may have died before the request was made: then nobody would signal us.
    if os.getppid() != parent_pid:
        os._exit(1)


def _set_pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_S)
    os._exit(1)
