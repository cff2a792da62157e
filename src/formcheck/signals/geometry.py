"""Angles and distances between landmarks in the image plane.

All functions are vectorised: points are ``(..., 2)`` arrays and the result has
shape ``(...)``. NaN in, NaN out, so missing landmarks propagate instead of
becoming zeros.
"""

from __future__ import annotations

import numpy as np


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Unsigned angle ABC at vertex ``b`` in degrees, in [0, 180].

    180 means a, b and c lie on a straight line (a fully extended joint).
    """
    a, b, c = (np.asarray(p, dtype=float) for p in (a, b, c))
    u = a - b
    v = c - b
    dot = np.sum(u * v, axis=-1)
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    return np.degrees(np.abs(np.arctan2(cross, dot)))


def signed_offset(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signed perpendicular distance of ``p`` from the line a->b, in units of |ab|.

    Positive when ``p`` lies to the left of the direction a->b in image
    coordinates (y down), i.e. the side that is "up" in the picture when a->b
    points right. Scale-free, so it does not depend on how far the camera is.
    """
    p, a, b = (np.asarray(x, dtype=float) for x in (p, a, b))
    d = b - a
    r = p - a
    cross = d[..., 0] * r[..., 1] - d[..., 1] * r[..., 0]
    length_sq = np.sum(d * d, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return -cross / length_sq


def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance between points."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.sqrt(np.sum((a - b) ** 2, axis=-1))
