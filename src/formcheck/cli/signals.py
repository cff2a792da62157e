"""SIGTERM handled as Ctrl-C, so ``docker stop``, systemd and ``timeout`` lose nothing.

The handler raises :class:`Terminated`, a ``KeyboardInterrupt``, in the main
thread: every path that already saves its work on Ctrl-C (a live session, a
batch's tables and ``last_run.json``, outputs already written) runs as is. The
exit status is then 143 (128 + SIGTERM), as for a process the signal ended.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM was received."""


_received = threading.Event()


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    if _received.is_set():
        return  # the first one's clean-up is running: let it finish
    _received.set()
    raise Terminated()


def sigterm_as_interrupt() -> None:
    """Install the handler (from the main thread, before any command runs)."""
    signal.signal(signal.SIGTERM, _on_sigterm)


def interrupted_exit_code(exc: BaseException | None = None) -> int:
    """143 after SIGTERM, else 130 (Ctrl-C)."""
    return (
        EXIT_TERMINATED if isinstance(exc, Terminated) or _received.is_set() else (EXIT_INTERRUPTED)
    )


def interruption() -> str:
    """How the run was stopped, for messages: ``"Ctrl-C"`` or ``"SIGTERM"``."""
    return "SIGTERM" if _received.is_set() else "Ctrl-C"
