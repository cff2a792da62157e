"""Run headless Chromium on a local page and read back its DOM and console."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium_binary() -> str:
    """Path of a Chromium binary, or skip the test (Debian: apt-get install chromium)."""
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no chromium binary on PATH (Debian: apt-get install -y chromium)")


@dataclass(frozen=True)
class PageRun:
    dom: str
    console: list[str]  # console messages and uncaught errors


def load_page(page: Path, *, budget_ms: int = 5000, timeout_s: float = 60.0) -> PageRun:
    """Open ``page`` headless, let it run for ``budget_ms`` of virtual time, dump the DOM."""
    binary = chromium_binary()
    with tempfile.TemporaryDirectory(prefix="formcheck-chromium-") as profile:
        proc = subprocess.run(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={budget_ms}",
                "--enable-logging=stderr",
                "--v=0",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    console = [line for line in proc.stderr.splitlines() if re.search(r"CONSOLE|Uncaught", line)]
    if not proc.stdout.strip():
        raise AssertionError(
            f"chromium printed no DOM (rc {proc.returncode}): {proc.stderr[-2000:]}"
        )
    return PageRun(proc.stdout, console)


def screenshot(page: Path, out: Path, *, width: int = 1280, height: int = 2000) -> None:
    binary = chromium_binary()
    with tempfile.TemporaryDirectory(prefix="formcheck-chromium-") as profile:
        subprocess.run(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out.resolve()}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            timeout=60,
            check=True,
        )
