"""A pose recording as another camera would have given it: thinned, or interpolated up."""

from __future__ import annotations

from collections import Counter

import numpy as np

from formcheck.pipeline import ClipAnalysis
from formcheck.pose.recording import ARRAY_NAMES, PoseRecording


def at_fps(recording: PoseRecording, fps: float) -> PoseRecording:
    """The recording sampled at ``fps`` over the same time span.

    Below the recording's rate, the frame nearest each new time is kept (a slower
    camera); above it, landmarks are interpolated linearly between the two frames either
    side (a faster camera on a body that moves smoothly), and a person found in only one
    of them is not found.
    """
    t = recording.timestamps
    grid = np.arange(t[0], t[-1] + 1e-9, 1.0 / fps)
    if fps <= recording.fps:
        keep = np.unique(np.clip(np.searchsorted(t, grid - 0.5 / recording.fps), 0, len(t) - 1))
        arrays = {name: getattr(recording, name)[keep] for name in ARRAY_NAMES}
        return PoseRecording(**arrays, fps=fps, model_id=recording.model_id)
    hi = np.clip(np.searchsorted(t, grid, side="right"), 1, len(t) - 1)
    lo = hi - 1
    w = np.clip((grid - t[lo]) / (t[hi] - t[lo]), 0.0, 1.0)
    arrays = {
        "timestamps": grid,
        "indices": np.arange(len(grid), dtype=np.int64),
        "image_sizes": recording.image_sizes[lo],
        "detected": recording.detected[lo] & recording.detected[hi],
    }
    for name in ("xy", "z", "visibility", "world"):
        a = getattr(recording, name)
        shape = (-1,) + (1,) * (a.ndim - 1)
        mixed = a[lo] * (1 - w.reshape(shape)) + a[hi] * w.reshape(shape)
        arrays[name] = mixed.astype(np.float32)
    return PoseRecording(**arrays, fps=fps, model_id=recording.model_id)


def tally(outcome: ClipAnalysis) -> tuple[int, dict[str, int]]:
    """The count and how many reps carry each fault."""
    faults = Counter(f for rep in outcome.report.reps for f in rep.faults)
    return outcome.report.summary.rep_count, dict(sorted(faults.items()))
