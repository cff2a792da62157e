"""``formcheck live`` in a real X window (Xvfb): screenshot the screen, read the rep count.

The count is read from the pixels of the HUD bar, OCR-free: the white counter
text is binarised and compared with ``Reps k/10`` drawn in the same style for
every k; the best match must be the clip's true count, by a clear margin.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.live.overlay import LIVE_HUD
from formcheck.render.hud import BAR_FRACTION
from formcheck.render.style import frame_scale, put_text, text_size

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "clips"
REAL = SHARED / "glute_bridge__bubbadk_fit__glute-bridge.mp4"  # a real person, 2 reps
# The rendered sample has a truth file, but today the analyzer itself (offline too) counts
# 1 of its 3 reps, so it is only the fallback when the real clip is absent.
SAMPLE = ROOT / "sample_videos" / "bridge_clean.mp4"
CLIP = REAL if REAL.exists() or not SAMPLE.with_suffix(".truth.json").exists() else SAMPLE
FORMCHECK = Path(sys.executable).with_name("formcheck")

pytestmark = [pytest.mark.slow, pytest.mark.shared]


def _expected_count() -> int:
    if CLIP == SAMPLE:
        return len(json.loads(SAMPLE.with_suffix(".truth.json").read_text())["reps"])
    labels = json.loads((SHARED / "labels.json").read_text())
    return next(e["human_rep_count"] for e in labels if e["file"] == CLIP.name)


def _free_display() -> int:
    for n in range(90, 140):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    if shutil.which("Xvfb") is None or shutil.which("import") is None:
        pytest.skip("needs Xvfb and ImageMagick's import (apt: xvfb imagemagick x11-utils)")
    n = _free_display()
    proc = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def _window(display: str) -> tuple[str, tuple[int, int, int, int]] | None:
    """(title, (x, y, w, h)) of the formcheck window, from xwininfo."""
    if shutil.which("xwininfo") is None:
        return None
    out = subprocess.run(
        ["xwininfo", "-display", display, "-root", "-tree"], capture_output=True, text=True
    ).stdout
    for line in out.splitlines():
        if '"formcheck' in line:
            title = line.split('"')[1]
            geom = line.split(")")[-1].split()[0]  # e.g. 960x540+0+0
            size, x, y = geom.split("+")[:3]
            w, h = size.split("x")
            return title, (int(x), int(y), int(w), int(h))
    return None


def _screenshot(display: str) -> np.ndarray:
    png = subprocess.run(
        ["import", "-display", display, "-window", "root", "png:-"],
        capture_output=True,
        check=True,
    ).stdout
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)


def read_count(window: np.ndarray, target: int, label: str = "Reps") -> tuple[int, float, float]:
    """(best k, its match score, the runner-up's score) for the HUD counter text."""
    h, w = window.shape[:2]
    s = frame_scale(window)
    bar_h = round(h * BAR_FRACTION)
    region = (slice(0, bar_h), slice(0, round(w * 0.6)))  # left: the counter, not the phase pill
    seen = cv2.cvtColor(window, cv2.COLOR_BGR2GRAY)[region] > 200
    scores = []
    for k in range(0, 16):
        text = f"{label} {k}/{target}"
        canvas = np.zeros_like(window)
        _, ch = text_size(text, LIVE_HUD.counter, s)
        margin = round(14 * s)
        put_text(canvas, text, (margin, (bar_h + ch) // 2), LIVE_HUD.counter, s)
        want = cv2.cvtColor(canvas, cv2.COLOR_BGR2GRAY)[region] > 200
        union = np.logical_or(seen, want).sum()
        scores.append(np.logical_and(seen, want).sum() / union if union else 0.0)
    order = np.argsort(scores)[::-1]
    return int(order[0]), float(scores[order[0]]), float(scores[order[1]])


def test_window_shows_the_final_rep_count(xvfb, tmp_path):
    if not CLIP.exists():
        pytest.skip(f"{CLIP} not available")
    expected = _expected_count()
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb"}
    env.pop("WAYLAND_DISPLAY", None)
    cmd = [str(FORMCHECK), "live", "--source", str(CLIP), "--exercise", "bridge", "--quiet"]
    cmd += ["--exit-at-end", "--linger", "4", "--sessions", str(tmp_path / "sessions")]
    # Every frame, so the count does not depend on how busy the machine is (frames dropped
    # under load can cost a rep); real-time pacing is tested in test_live_logic.py.
    cmd += ["--no-realtime"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    shot, title, box = None, "", None
    deadline = time.monotonic() + 90
    try:
        # The title turns to "... finished" when the end screen is up: then screenshot.
        while proc.poll() is None and time.monotonic() < deadline:
            found = _window(xvfb)
            if found is not None and found[0].endswith("finished"):
                title, box = found
                time.sleep(0.3)  # let the frame be painted
                shot = _screenshot(xvfb)
                break
            time.sleep(0.2)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert shot is not None and box is not None, f"end screen never seen; output:\n{out}"
    x, y, w, h = box
    window = shot[y : y + h, x : x + w]
    cv2.imwrite(str(tmp_path / "window.png"), window)
    k, score, runner_up = read_count(window, target=10)
    assert k == expected, f"HUD shows {k} (score {score:.2f}), expected {expected}; {title}"
    assert score > 0.9 and score - runner_up > 0.05, (score, runner_up)
    assert f"Reps {expected}/10" in title
    assert len(list((tmp_path / "sessions").glob("*-bridge.json"))) == 1


def test_reader_rejects_a_wrong_count():
    """The pixel reader itself: a HUD drawn with 3 over a bright picture reads 3, not 2."""
    from live_helpers import analysis

    from formcheck.render.hud import HudAnnotator

    image = np.full((540, 960, 3), 230, np.uint8)
    HudAnnotator(10, style=LIVE_HUD).annotate(image, analysis(rep_count=3))
    k, score, runner_up = read_count(image, target=10)
    assert k == 3 and score > 0.9 and score - runner_up > 0.05
