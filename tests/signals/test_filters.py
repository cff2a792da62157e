"""One Euro filter and landmark smoothing."""

from __future__ import annotations

import numpy as np
import pytest

from factories import pose_frame, supine_pose
from formcheck.landmarks import Landmark
from formcheck.signals.one_euro import OneEuroFilter
from formcheck.signals.smoothing import LandmarkSmoother, SmoothingConfig

FPS = 30.0


@pytest.mark.parametrize(
    "kw",
    [{"min_cutoff": 0.0}, {"min_cutoff": -1.0}, {"d_cutoff": 0.0}, {"beta": -0.1}],
)
def test_one_euro_rejects_bad_params(kw):
    with pytest.raises(ValueError):
        OneEuroFilter(**kw)


def test_one_euro_first_sample_passes_and_reset():
    f = OneEuroFilter(1.0, 0.0)
    assert f(5.0, 0.0) == 5.0
    assert f(10.0, 1 / FPS) < 10.0
    f.reset()
    assert f(10.0, 2 / FPS) == 10.0


def test_one_euro_duplicate_timestamp_keeps_state():
    f = OneEuroFilter(1.0, 0.0)
    f(0.0, 0.0)
    a = f(10.0, 0.1)
    assert f(100.0, 0.1) == a


def test_one_euro_reduces_noise_on_constant_signal():
    rng = np.random.default_rng(0)
    raw = 50.0 + rng.normal(0.0, 2.0, 600)
    f = OneEuroFilter(1.5, 0.02)
    out = np.array([float(f(v, i / FPS)) for i, v in enumerate(raw)])
    assert np.var(out[60:]) < 0.3 * np.var(raw[60:])
    assert abs(np.mean(out[60:]) - 50.0) < 0.5


def test_one_euro_follows_a_step():
    f = OneEuroFilter(1.5, 0.02)
    values = [0.0] * 30 + [100.0] * 60
    out = [float(f(v, i / FPS)) for i, v in enumerate(values)]
    settle = 30 + int(0.5 * FPS)
    assert out[settle] > 95.0
    assert all(0.0 <= v <= 100.0 + 1e-9 for v in out)


def test_one_euro_nan_entries_pass_through_and_restart():
    f = OneEuroFilter(1.0, 0.0)
    f(np.array([1.0, 1.0]), 0.0)
    out = f(np.array([np.nan, 2.0]), 0.1)
    assert np.isnan(out[0])
    out = f(np.array([50.0, 2.0]), 0.2)
    assert out[0] == 50.0  # not dragged from the old value


def frame(t, i, dx=0.0, present=True):
    xy = supine_pose(130.0) + dx
    return pose_frame(xy if present else None, t, i)


def test_smoothing_short_gap_is_held():
    s = LandmarkSmoother(SmoothingConfig(max_gap_s=0.5))
    for i in range(10):
        s.update(frame(i / FPS, i))
    out = s.update(frame(10 / FPS, 10, present=False))
    assert out.xy is not None
    assert out.xy[Landmark.LEFT_HIP] == pytest.approx(supine_pose(130.0)[Landmark.LEFT_HIP])
    assert out.visibility is not None and out.visibility[Landmark.LEFT_HIP] > 0.5


def test_smoothing_long_gap_is_dropped():
    s = LandmarkSmoother(SmoothingConfig(max_gap_s=0.5))
    for i in range(10):
        s.update(frame(i / FPS, i))
    out = None
    for i in range(10, 10 + int(0.7 * FPS)):
        out = s.update(frame(i / FPS, i, present=False))
    assert out is not None and out.xy is None
    # Back in view: starts fresh at the new place, not dragged from the old one.
    back = s.update(frame(1.5, 45, dx=100.0))
    assert back.xy is not None
    assert back.xy[Landmark.LEFT_HIP] == pytest.approx(supine_pose(130.0)[Landmark.LEFT_HIP] + 100)


def test_smoothing_low_visibility_landmark_held_then_missing():
    s = LandmarkSmoother(SmoothingConfig(max_gap_s=0.2))
    s.update(frame(0.0, 0))
    f = frame(0.1, 1)
    vis = f.visibility.copy()
    vis[Landmark.LEFT_KNEE] = 0.1
    from dataclasses import replace

    out = s.update(replace(f, visibility=vis))
    assert out.visibility[Landmark.LEFT_KNEE] >= 0.5  # held for a short gap
    out = s.update(replace(frame(0.5, 2), visibility=vis))
    assert out.visibility[Landmark.LEFT_KNEE] == 0.0  # gone after max_gap_s


@pytest.mark.parametrize("kw", [{"min_visibility": 1.5}, {"max_gap_s": -1.0}])
def test_smoothing_config_validates(kw):
    with pytest.raises(ValueError):
        SmoothingConfig(**kw)
