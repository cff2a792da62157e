"""The analyzer never crashes on arbitrary landmark streams and keeps its invariants."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import analyze, profile, sequence
from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.exercises.loader import builtin
from formcheck.exercises.registry import exercise_ids
from formcheck.landmarks import NUM_LANDMARKS
from formcheck.types import PoseFrame

W, H = 640, 480


@st.composite
def streams(draw):
    n = draw(st.integers(1, 90))
    seed = draw(st.integers(0, 2**32 - 1))
    none_share = draw(st.sampled_from([0.0, 0.1, 0.5, 1.0]))
    rng = np.random.default_rng(seed)
    dts = rng.uniform(1e-3, 0.2, n)
    ts = np.cumsum(dts) + draw(st.floats(0.0, 100.0))
    frames = []
    for i, t in enumerate(ts):
        if rng.random() < none_share:
            frames.append(PoseFrame(timestamp_s=float(t), index=i, image_size=(W, H)))
            continue
        xy = rng.uniform([-50, -50], [W + 50, H + 50], (NUM_LANDMARKS, 2))
        frames.append(PoseFrame(
            timestamp_s=float(t), index=i, image_size=(W, H), xy=xy,
            z=rng.normal(0, 50, NUM_LANDMARKS),
            visibility=rng.uniform(0, 1, NUM_LANDMARKS) if rng.random() < 0.9 else None,
        ))  # fmt: skip
    return frames


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=streams(), ex=st.sampled_from(exercise_ids()))
def test_random_streams(frames, ex):
    analyzer = ExerciseAnalyzer(builtin(ex))
    for f in frames:
        out = analyzer.step(f)
        assert out.rep_count >= 0
    result = analyzer.finish()
    assert result.frames == len(frames)
    assert 0.0 <= result.confidence <= 1.0
    assert result.partial_reps >= 0
    prev_end = -np.inf
    for rep in result.reps:
        assert rep.start_s <= rep.peak_s <= rep.end_s
        assert rep.start_s >= prev_end - 1e-6
        prev_end = rep.end_s
    for span in result.unjudged:
        assert span.start_s <= span.end_s
    for name, values in result.series.items():
        assert len(values) == len(result.series_t), name


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    segments=st.lists(
        st.tuples(st.floats(0.1, 2.0), st.floats(110.0, 205.0)), min_size=1, max_size=8
    ),
    gap=st.one_of(st.none(), st.tuples(st.floats(0.0, 8.0), st.floats(0.0, 3.0))),
    fps=st.sampled_from([10.0, 24.0, 30.0]),
)
def test_random_bridge_movements(segments, gap, fps):
    f = profile(segments, 125.0)
    missing = None if gap is None else (lambda t: gap[0] <= t < gap[0] + gap[1])
    frames = sequence(f, duration=f.duration, fps=fps, missing=missing)
    result = analyze("bridge", frames)
    # A lift counts only if it reached the target (rest + counting.top) at least once.
    peaks = [v for _, v in segments]
    counting = builtin("bridge").counting
    # The target is relative to rest, and rest can be no lower than the lowest level
    # the movement visits (it starts at 125).
    target = min(125.0, *peaks) + counting.top
    if max(peaks) < target:
        assert result.reps == []
    prev_end = -np.inf
    for rep in result.reps:
        assert rep.start_s <= rep.peak_s <= rep.end_s
        assert rep.start_s >= prev_end - 1e-6
        prev_end = rep.end_s
        # The peak frame is found on the median-smoothed signal: within a few degrees.
        assert rep.metrics["peak.hip_angle"] >= target - 3.0
    assert len(result.reps) <= sum(1 for v in peaks if v >= target)
