"""Signals that move together: which way each part moves, learned from a recorded clip.

A pelvic tilt shows in several small signals at once (the hip angle, the knee angle, the knee
sliding along the thigh), but which way each of them moves depends on the person and on the
camera: one person's hip opens in a tilt, another's closes. Summed with fixed signs, parts
that disagree cancel and a visible tilt reads as noise. Over a whole clip the parts' joint
movement shows their signs: the tilt is the largest movement they share, the first principal
component of the parts, each scaled to its own spread, while landmark noise is independent
from part to part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from formcheck.exercises.schema import ConsensusSpec

# Fewer frames than this (a second or two) cannot show how the parts move together.
MIN_FRAMES = 30


def learn_signs(
    parts: Sequence[np.ndarray], usual: Sequence[int], use: np.ndarray | None = None
) -> tuple[int, ...]:
    """Each part's sign in the parts' main joint movement over the frames ``use`` selects.

    The result is oriented to agree with ``usual`` as far as it can (the movement's direction
    is a separate question, settled by where the clip rests); too few frames keep ``usual``.
    """
    x = np.column_stack([np.asarray(p, dtype=float) for p in parts])
    keep = np.all(np.isfinite(x), axis=1)
    if use is not None:
        keep &= use
    x = x[keep]
    if len(x) < MIN_FRAMES:
        return tuple(usual)
    x = x - np.median(x, axis=0)
    spread = np.percentile(x, 95, axis=0) - np.percentile(x, 5, axis=0)
    if np.any(spread <= 0):
        return tuple(usual)
    x = x / spread
    _, vectors = np.linalg.eigh(x.T @ x)
    main = vectors[:, -1]
    signs = np.where(main >= 0, 1, -1)
    if np.dot(signs, usual) < 0:
        signs = -signs
    return tuple(int(s) for s in signs)


def combine(
    series: Mapping[str, np.ndarray], spec: ConsensusSpec, signs: Sequence[int]
) -> np.ndarray:
    """The signed sum of the parts, frame by frame (NaN where any part is missing)."""
    parts = [k * np.asarray(series[p], dtype=float) for p, k in zip(spec.parts, signs, strict=True)]
    return np.sum(parts, axis=0)
