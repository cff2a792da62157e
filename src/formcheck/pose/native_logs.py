"""Keep MediaPipe's native start-up chatter off the user's terminal.

MediaPipe's C++ side writes informational lines straight to file descriptor 2 while a
model loads and on its first frame ("All log messages before absl::InitializeLog()...",
"GPU support is not available", "Created TensorFlow Lite XNNPACK delegate", ...).
Python's logging settings and ``GLOG_minloglevel`` do not reach them, so the descriptor
itself is pointed at a temporary file for those calls. Lines that report an error
(absl's ``E``/``F`` prefixes, or ``ERROR``) are passed on; the rest is dropped.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

_ERROR_LINE = re.compile(r"^(?:[EF]\d{4} |.*\bERROR\b)")


@contextmanager
def native_logs_quieted() -> Iterator[None]:
    """Drop native informational output written to stderr inside the block."""
    fd = 2  # native code writes to the descriptor, whatever sys.stderr is now
    sys.stderr.flush()
    try:
        saved = os.dup(fd)
    except OSError:
        yield  # no stderr at all (a windowed app): nothing to keep quiet
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), fd)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, fd)
            os.close(saved)
            sink.seek(0)
            text = sink.read().decode("utf-8", "replace")
            errors = [line for line in text.splitlines() if _ERROR_LINE.match(line)]
            if errors:
                print("\n".join(errors), file=sys.stderr)
