"""Signals that move together: which way each part moves, learned from a recorded clip.

A pelvic tilt shows in several small signals at once (the hip angle, the knee angle, the knee
sliding along the thigh). Some parts move the same way in every tilt (with the feet planted,
the knee closes as it slides towards the foot); others differ between people (one person's
hip opens in a tilt, another's closes). Summed with fixed signs, a part going the other way
cancels the rest and a visible tilt reads as noise. The definition says which parts'
directions differ (``learn``); over a whole clip each of those joins the way it moves with
the parts whose signs are known. The known parts are not relearned: the largest movement in
a clip is not always the exercise (a shuffle along the mat moves every part), and learning
every sign from it turned the knee's sign round and missed tilts.

The picture can still contradict them: filmed 35-55 deg off side-on, the knee angle seen in
the picture can open as the knee closes. When two known parts clearly move against each
other over the clip (correlation below ``CONTRARY``), the definition's picture of the
movement does not hold in this view, and every sign is learned from the clip's main joint
movement (its first principal component, the parts scaled alike) instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from formcheck.exercises.schema import ConsensusSpec

# Fewer frames than this (a second or two) cannot show how the parts move together.
MIN_FRAMES = 30
# Two parts whose signs are known, correlated below this as signed: clearly moving against
# each other, which noise does not do. On the rendered tilts the knee's two readings
# correlate 0.3-1.0 where the view keeps them together, -0.1 to -0.45 in a few oblique views
# where the tilt is still read right with the known signs, and -0.9 where the view has
# turned the knee angle round.
CONTRARY = -0.6


def learn_signs(
    parts: Sequence[np.ndarray],
    usual: Sequence[int],
    learn: Sequence[bool],
    use: np.ndarray | None = None,
) -> tuple[int, ...]:
    """Each part's sign over the frames ``use`` selects: the ``usual`` one, or, for a part
    ``learn`` marks, the way it moves with the sum of the others (each part scaled to its
    own 5-95 % spread, so no unit outweighs another). When two parts with known signs move
    clearly against each other, every sign is learned from the parts' main joint movement
    (see the module's docstring). Too few frames keep ``usual``."""
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
    signed = x * np.asarray(usual)
    fixed = ~np.asarray(learn, dtype=bool)
    if _contrary(signed[:, fixed]):
        return _main_movement(x, usual)
    movement = signed[:, fixed].sum(axis=1)
    signs = list(usual)
    for i in np.flatnonzero(~fixed):
        together = float(np.dot(x[:, i], movement))
        if together != 0.0:
            signs[i] = 1 if together > 0 else -1
    return tuple(int(s) for s in signs)


def _contrary(signed: np.ndarray) -> bool:
    """Whether two of these parts (signed as they should move together) move against each
    other over the clip."""
    if signed.shape[1] < 2:
        return False
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(signed.T)
    return bool(np.nanmin(r) < CONTRARY)


def _main_movement(x: np.ndarray, usual: Sequence[int]) -> tuple[int, ...]:
    """The parts' signs in their first principal component, oriented to agree with
    ``usual`` as far as it can (the movement's direction is settled elsewhere)."""
    _, vectors = np.linalg.eigh(x.T @ x)
    signs = np.where(vectors[:, -1] >= 0, 1, -1)
    if np.dot(signs, usual) < 0:
        signs = -signs
    return tuple(int(s) for s in signs)


def combine(
    series: Mapping[str, np.ndarray], spec: ConsensusSpec, signs: Sequence[int]
) -> np.ndarray:
    """The signed sum of the parts, frame by frame (NaN where any part is missing)."""
    parts = [k * np.asarray(series[p], dtype=float) for p, k in zip(spec.parts, signs, strict=True)]
    return np.sum(parts, axis=0)
