"""The HTML report: content, escaping, and no network loads."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from report_factories import make_report

from formcheck.report.html import against_prescription, findings, render_html, write_html
from formcheck.report.model import Prescription, Summary

HOSTILE = "<script>alert(1)</script>"


def jpeg(color: int = 128) -> bytes:
    return cv2.imencode(".jpg", np.full((48, 64, 3), color, np.uint8))[1].tobytes()


def test_escapes_every_user_controlled_string() -> None:
    report = make_report(
        path=f"clips/{HOSTILE}.mp4",
        patient=f'"><img src=x onerror=alert(2)>{HOSTILE}',
        exercise_name=f"Bridge {HOSTILE}",
        fault_message=f"Hips {HOSTILE}",
    )
    report = report.model_copy(
        update={"config_overrides": {HOSTILE: HOSTILE}, "warnings": [HOSTILE]}
    )
    page = render_html(report, keyframes={f"Best {HOSTILE}": jpeg()}, title=None)
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page  # shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.mp4" in page
    assert page.count("&lt;script&gt;") >= 6


def test_contains_rep_rows_images_and_sections() -> None:
    report = make_report()
    page = render_html(report, keyframes={"Best rep": jpeg(), "Worst rep": jpeg(40)})
    rows = re.findall(r'<tr class="rep[^"]*">', page)
    assert len(rows) == len(report.reps)
    assert 'class="rep faulty worst"' in page and 'class="rep best"' in page
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(images) == 3  # one plot, two key frames
    assert images[0].startswith("data:image/png;base64,")
    assert all(src.startswith("data:image/jpeg;base64,") for src in images[1:])
    for text in (
        "Mrs A. Example",
        "Glute bridge",
        "4 of 10 reps, 6 below target",
        "Lift your hips higher",
        "glutes did little of the work",
        "Feet out of frame",
        "Hold at the top was about 1 s",
        "bridge_2024-05-02.mp4",
        "Peak hip angle",
    ):
        assert text in page, text


def test_nothing_is_loaded_from_the_network() -> None:
    page = render_html(make_report(), keyframes={"k": jpeg()})
    refs = re.findall(r'(?:src|href)\s*=\s*["\']?([^"\'\s>]+)', page, flags=re.I)
    assert refs and all(r.startswith("data:") for r in refs)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, flags=re.I)
    assert "@import" not in page and "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_against_prescription_sentences() -> None:
    base = make_report()

    def with_counts(done: int, lo: int | None, hi: int | None) -> str:
        r = base.model_copy(
            update={
                "prescription": Prescription(kind="rep", target_count=lo, target_count_max=hi),
                "summary": Summary(rep_count=done),
            }
        )
        return against_prescription(r)

    assert with_counts(8, 10, None) == "8 of 10 reps, 2 below target"
    assert with_counts(10, 10, None) == "10 of 10 reps, target met"
    assert with_counts(12, 10, 15) == "12 reps, within the prescribed 10-15"
    assert with_counts(17, 10, 15) == "17 reps, 2 above the maximum of 15"
    assert with_counts(3, None, None) == "3 reps"
    custom = base.model_copy(
        update={"summary": base.summary.model_copy(update={"against_prescription": "Fine."})}
    )
    assert against_prescription(custom) == "Fine."


def test_findings_in_plain_language() -> None:
    items = findings(make_report())
    kinds = [f.kind for f in items]
    assert kinds[0] == "fault" and "unjudged" in kinds
    assert items[0].headline.startswith("Lift your hips higher") and "rep 3" in items[0].headline


def test_write_html_is_atomic_and_refuses_overwrite(tmp_path: Path) -> None:
    path = write_html(make_report(), tmp_path / "report.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FileExistsError, match="--force"):
        write_html(make_report(), path)


def test_report_without_reps_or_series() -> None:
    report = make_report(reps=[])
    empty = report.series.model_copy(update={"t": [], "values": {}})
    page = render_html(report.model_copy(update={"series": empty, "source": None}))
    assert "No repetitions were counted" in page and "<img" not in page
