"""Poses for frames the model skipped (``--stride``), drawn between the modelled ones.

Only outputs that show every frame (the annotated video) use these; the analysis
sees the modelled frames alone.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from formcheck.types import PoseFrame


def _mix(a: np.ndarray | None, b: np.ndarray | None, w: float) -> np.ndarray | None:
    if a is None or b is None:
        return a
    return ((1.0 - w) * a + w * b).astype(a.dtype)


def between(before: PoseFrame, after: PoseFrame | None, t: float, index: int) -> PoseFrame:
    """The pose at ``t`` on a straight line from ``before`` to ``after``.

    Where either side has no person, or there is no later modelled frame (the
    clip's tail), the earlier pose is held: a skeleton is never invented.
    """
    held = dataclasses.replace(before, timestamp_s=t, index=index)
    if after is None or before.xy is None or after.xy is None:
        return held
    span = after.timestamp_s - before.timestamp_s
    w = min(max((t - before.timestamp_s) / span, 0.0), 1.0) if span > 0 else 0.0
    return dataclasses.replace(
        held,
        xy=_mix(before.xy, after.xy, w),
        z=_mix(before.z, after.z, w),
        visibility=_mix(before.visibility, after.visibility, w),
        world=_mix(before.world, after.world, w),
    )
