"""Plots render off-screen; the key frame collector keeps the nearest frame in bounded memory."""

from __future__ import annotations

import cv2
import numpy as np
from report_factories import make_report, make_reps

from formcheck.report.keyframes import KeyframeCollector, pick_best_worst
from formcheck.report.plots import key_signals, plot_series, plot_trend


def test_plot_series_png_and_svg() -> None:
    report = make_report()
    png = plot_series(report)
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    img = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape[1] > 800
    # Fault span shaded red somewhere in the picture.
    red = (img[..., 2] > 200) & (img[..., 1] < 80) & (img[..., 0] < 80)
    assert red.sum() > 50
    svg = plot_series(report, fmt="svg", signals=["hip_angle"])
    assert isinstance(svg, str) and svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_key_signals_skip_empty_series() -> None:
    report = make_report()
    values = dict(report.series.values)
    values["empty"] = [None] * len(report.series.t)
    series = report.series.model_copy(update={"values": values})
    assert key_signals(report.model_copy(update={"series": series})) == ["hip_angle", "knee_angle"]


def test_plot_trend_png() -> None:
    png = plot_trend(["2024-05-01", "2024-05-08"], [6, 9], [30.0, 36.5], [2, 0], targets=[10, 10])
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")


def test_best_and_worst_rep() -> None:
    picked = pick_best_worst(make_reps())
    assert picked["best"].index == 1 and picked["worst"].index == 3
    same = [r.model_copy(update={"quality": 1.0, "faults": []}) for r in make_reps()]
    assert set(pick_best_worst(same)) == {"best"}
    assert pick_best_worst([]) == {}


def test_collector_keeps_the_frame_nearest_each_peak() -> None:
    collector = KeyframeCollector.for_reps(make_reps(), max_width=160)
    assert len(collector.targets) == 2
    for i in range(24 * 30):
        t = i / 30
        frame = np.full((120, 320, 3), i % 256, np.uint8)
        collector.offer(t, frame)
        assert len(collector._best) <= 2  # bounded: one frame per target
    result = collector.result()
    assert list(result) == list(collector.targets)
    captions = list(result)
    assert captions[0].startswith("Best rep: #1") and captions[1].startswith("Worst rep: #3")
    worst = cv2.imdecode(np.frombuffer(result[captions[1]], np.uint8), cv2.IMREAD_COLOR)
    assert worst.shape == (60, 160, 3)  # scaled to max_width
    assert abs(int(worst.mean()) - (11 * 30) % 256) <= 2  # the frame at 11.0 s


def test_collector_ignores_frames_far_from_any_target() -> None:
    collector = KeyframeCollector({"peak": 5.0}, tolerance_s=0.5)
    collector.offer(1.0, np.zeros((10, 10, 3), np.uint8))
    assert collector.result() == {}
