"""A worker's reused model scores a clip the same whatever it scored before."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from batch_helpers import GLUTE_BRIDGE, SHARED_CLIPS

from formcheck.batch.estimator import ReusedEstimator
from formcheck.sources import open_source

pytestmark = [pytest.mark.slow, pytest.mark.shared]


def _poses(estimator, path: Path, n: int = 40) -> list:
    with open_source(path) as source:
        return [estimator.estimate(f) for f in itertools.islice(source, n)]


def test_clip_after_another_clip_equals_clip_first() -> None:
    other = SHARED_CLIPS / "squat__bubbadk_fit__bodyweight-squat.mp4"
    if not (GLUTE_BRIDGE.is_file() and other.is_file()):
        pytest.skip("needs ../shared/clips")
    model = ReusedEstimator()
    with model.clip() as view:
        first = _poses(view, GLUTE_BRIDGE)
    with model.clip() as view:
        _poses(view, other)
    with model.clip() as view:
        later = _poses(view, GLUTE_BRIDGE)
    model.close()
    assert sum(p.xy is not None for p in first) > 30
    assert [p.timestamp_s for p in later] == [p.timestamp_s for p in first]
    for a, b in zip(first, later, strict=True):
        assert (a.xy is None) == (b.xy is None)
        if a.xy is not None:
            np.testing.assert_array_equal(a.xy, b.xy)
