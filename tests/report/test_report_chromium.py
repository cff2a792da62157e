"""The report and the annotated video in a real browser (headless Chromium; skipped without it)."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
from chromium_helpers import chromium_binary, load_page
from report_factories import make_report

from formcheck.render.video import VideoSink
from formcheck.report.html import CSP, render_html

# Appended to a copy of the page: counts the pictures that really decoded.
PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = Array.from(document.images);
  const ok = imgs.filter((i) => i.complete && i.naturalWidth > 0).length;
  const rows = document.querySelectorAll('#rep-table tbody tr').length;
  const p = document.createElement('p');
  p.id = 'probe';
  p.textContent = `images ${ok}/${imgs.length} rows ${rows}`;
  document.body.appendChild(p);
});
</script>"""


def with_probe(page: str) -> str:
    # The report's policy forbids scripts; allow only this inline probe, keep the rest strict.
    assert CSP in page
    page = page.replace(CSP, CSP + "; script-src 'unsafe-inline'")
    return page.replace("</body>", PROBE + "\n</body>")


def test_report_renders_with_all_images_and_no_console_errors(tmp_path: Path) -> None:
    chromium_binary()
    report = make_report(path="clips/<script>alert(1)</script>.mp4")
    frame = cv2.imencode(".jpg", np.full((120, 160, 3), 90, np.uint8))[1].tobytes()
    page = tmp_path / "report.html"
    page.write_text(with_probe(render_html(report, keyframes={"Best": frame, "Worst": frame})))

    run = load_page(page)
    probe = re.search(r'<p id="probe">images (\d+)/(\d+) rows (\d+)</p>', run.dom)
    assert probe, run.dom[-2000:]
    loaded, total, rows = map(int, probe.groups())
    assert total == 3 and loaded == total
    assert rows == len(report.reps)
    assert "alert(1)" not in re.sub(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", "", run.dom)
    assert run.console == [], run.console


def test_annotated_webm_plays_in_chromium(tmp_path: Path) -> None:
    chromium_binary()
    with VideoSink(tmp_path / "annotated.webm", fps=30.0) as sink:
        for i in range(30):
            f = np.full((240, 320, 3), 50, np.uint8)
            cv2.circle(f, (40 + 8 * i, 120), 24, (0, 200, 255), -1)
            sink.write(f)
    page = tmp_path / "video.html"
    page.write_text(
        """<!DOCTYPE html><html><body>
<video id="v" muted preload="auto" src="annotated.webm"></video>
<script>
const v = document.getElementById('v');
const out = (t) => { const p = document.createElement('p'); p.id = 'result';
  p.textContent = t; document.body.appendChild(p); };
v.addEventListener('loadeddata', () => out(`loaded ${v.videoWidth}x${v.videoHeight}`));
v.addEventListener('error', () => out(`error ${v.error && v.error.code}`));
</script></body></html>"""
    )
    run = load_page(page)
    assert '<p id="result">loaded 320x240</p>' in run.dom, run.dom[-500:]
    assert run.console == [], run.console
