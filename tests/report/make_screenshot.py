"""Regenerate docs/report_screenshot.png from the hand-built example report.

    .venv/bin/python tests/report/make_screenshot.py [--html out.html]

A synthetic glute bridge (a stick figure lying side-on, hips rising with the
example's hip angle) is run through the standard overlay to make the key
frames, the report is rendered, and headless Chromium photographs it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "render")]

from chromium_helpers import screenshot  # noqa: E402
from render_factories import make_analysis, make_pose  # noqa: E402
from report_factories import make_report  # noqa: E402

from formcheck.analysis.state import Phase  # noqa: E402
from formcheck.landmarks import NUM_LANDMARKS, Landmark  # noqa: E402
from formcheck.render import default_annotators  # noqa: E402
from formcheck.report.html import render_html  # noqa: E402
from formcheck.report.keyframes import KeyframeCollector  # noqa: E402

REPO = HERE.parents[1]
W, H = 640, 480


def bridge_xy(hip_angle: float) -> np.ndarray:
    """Supine figure, head left, feet right; the hips rise as the hip angle opens."""
    lift = np.clip((hip_angle - 135.0) / 40.0, 0.0, 1.2) * 95.0
    pts = {
        "nose": (118, 352),
        "eye": (112, 346),
        "ear": (100, 356),
        "mouth": (120, 362),
        "shoulder": (165, 392),
        "elbow": (225, 402),
        "wrist": (285, 404),
        "index": (300, 404),
        "hip": (315, 400 - lift),
        "knee": (430, 305),
        "ankle": (470, 402),
        "heel": (462, 410),
        "foot_index": (500, 410),
    }
    xy = np.zeros((NUM_LANDMARKS, 2))
    for lm in Landmark:
        name = lm.name.lower()
        part = name.removeprefix("left_").removeprefix("right_")
        part = {"eye_inner": "eye", "eye_outer": "eye", "pinky": "index", "thumb": "index"}.get(
            part, part
        )
        part = "mouth" if part.startswith("mouth") else part
        x, y = pts[part]
        far = name.startswith("right_")
        xy[lm] = (x + (6 if far else 0), y - (5 if far else 0))
    return xy


def background() -> np.ndarray:
    y = np.linspace(0, 1, H)[:, None, None]
    wall = (np.array([200, 190, 175]) * (1 - 0.25 * y)).astype(np.uint8)
    img = np.broadcast_to(wall, (H, W, 3)).copy()
    img[415:] = (95, 120, 150)  # floor
    cv2.rectangle(img, (40, 405), (600, 420), (120, 90, 160), -1)  # mat
    noise = np.random.default_rng(3).normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def keyframes() -> dict[str, bytes]:
    report = make_report()
    chain = default_annotators(target=report.prescription.target_count)
    collector = KeyframeCollector.for_reps(report.reps)
    base = background()
    series = report.series.values["hip_angle"]
    fault_spans = [(f.start_s, f.end_s, f.message) for f in report.faults]
    count = 0
    prev = series[0] or 135.0
    for i, t in enumerate(report.series.t):
        value = series[i]
        hip = value if value is not None else prev
        count = sum(1 for r in report.reps if r.complete and r.end_s <= t)
        active = [m for s, e, m in fault_spans if s <= t <= e]
        hold = next(
            (t - r.hold_start_s for r in report.reps if r.hold_start_s <= t <= r.hold_end_s), None
        )
        phase = Phase.TOP if hold is not None else Phase.RISING if hip > prev else Phase.LOWERING
        analysis = make_analysis(
            t,
            pose=make_pose(t, W, H, xy=bridge_xy(hip)),
            signal="hip_angle",
            value=float("nan") if value is None else value,
            phase=phase if hip > 140 else Phase.REST,
            rep_count=count,
            hold_s=hold,
            hold_target_s=report.prescription.hold_s,
            cue=active[0] if active else None,
            faults=("sagging_hips",) if active else (),
            thresholds={"start": 142.0, "top": 150.0},
        )
        prev = hip
        collector.offer(t, chain.annotate(base.copy(), analysis))
    return collector.result()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "report_screenshot.png")
    parser.add_argument("--html", type=Path, default=None, help="also keep the HTML here")
    args = parser.parse_args()
    report = make_report()
    page = render_html(report, keyframes=keyframes())
    with tempfile.TemporaryDirectory() as tmp:
        html_path = args.html or Path(tmp) / "report.html"
        html_path.write_text(page, encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        screenshot(html_path, shot, width=1280, height=3000)
        img = cv2.imread(str(shot))
        # Crop the empty end of the page (rows equal to the last one), keep a margin.
        differs = np.where((img != img[-1:]).any(axis=(1, 2)))[0]
        img = img[: min(img.shape[0], differs.max() + 40)] if differs.size else img
        args.out.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(args.out), img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
