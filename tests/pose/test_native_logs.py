"""Native stderr output is dropped inside the block, except lines that report errors."""

from __future__ import annotations

import os
import sys

import pytest

from formcheck.pose.native_logs import native_logs_quieted


def test_native_info_lines_are_dropped_and_errors_passed_on(capfd):
    with native_logs_quieted():
        os.write(2, b"I0000 00:00:1.0 123 task_runner.cc:85] GPU support is not available\n")
        os.write(2, b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n")
        os.write(2, b"E0000 00:00:1.0 123 graph.cc:1] could not open the model\n")
    print("after", file=sys.stderr)
    err = capfd.readouterr().err
    assert "GPU support" not in err and "XNNPACK" not in err
    assert "E0000 00:00:1.0 123 graph.cc:1] could not open the model" in err
    assert err.rstrip().endswith("after")  # stderr works again afterwards


def test_stderr_is_restored_when_the_block_raises(capfd):
    with pytest.raises(ValueError), native_logs_quieted():
        os.write(2, b"I0000 chatter\n")
        raise ValueError("boom")
    os.write(2, b"visible again\n")
    err = capfd.readouterr().err
    assert "chatter" not in err and "visible again" in err
