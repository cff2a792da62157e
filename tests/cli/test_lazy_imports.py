"""``formcheck --help`` loads no heavy library: numpy, OpenCV and MediaPipe load with the work.

Behaviour, not timing (the 0.3 s start-up is measured in benchmarks/bench_throughput.py):
a fresh interpreter renders the help and reports which of those modules it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("numpy", "cv2", "mediapipe", "matplotlib", "scipy")

_PROBE = """
import json, sys
from formcheck.cli import app
try:
    app(sys.argv[1:], prog_name="formcheck")
except SystemExit:
    pass
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["analyze", "--help"],
        ["batch", "--help"],
        ["live", "--help"],
        ["exercises", "--help"],
    ],
    ids=lambda a: " ".join(a),
)
def test_help_imports_no_heavy_library(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    *help_lines, loaded = done.stdout.strip().splitlines()
    assert "Usage" in "\n".join(help_lines)
    assert json.loads(loaded) == []
