"""The One Euro filter (Casiez, Roussel and Vogel, CHI 2012), vectorised.

Chosen over a median or Kalman filter because it is causal (the live path
needs no look-ahead), adapts its cut-off to speed (little lag during a rep,
strong smoothing while holding still) and has two intuitive parameters.
The rate comes from the timestamps, so variable-frame-rate clips are handled.
"""

from __future__ import annotations

import math

import numpy as np


def _alpha(cutoff_hz: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Filters an array-valued signal sample by sample.

    Args:
        min_cutoff: cut-off frequency (Hz) at rest; lower = smoother, more lag.
        beta: speed coefficient; higher = less lag during fast movement.
        d_cutoff: cut-off (Hz) for the derivative estimate.

    NaN entries are passed through and reset that entry's state, so a
    landmark that disappears and returns is not dragged from its old place.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.0, d_cutoff: float = 1.0) -> None:
        if min_cutoff <= 0 or d_cutoff <= 0:
            raise ValueError(
                f"cut-off frequencies must be > 0, got min_cutoff={min_cutoff}, d_cutoff={d_cutoff}"
            )
        if beta < 0:
            raise ValueError(f"beta must be >= 0, got {beta}")
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    def __call__(self, x: np.ndarray | float, t: float) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self._x is None or self._t is None or self._x.shape != x.shape:
            self._x = x.copy()
            self._dx = np.zeros_like(x)
            self._t = t
            return x.copy()
        dt = t - self._t
        if dt <= 0:
            # Duplicate or out-of-order timestamp: keep the state, return the last estimate.
            return self._x.copy()
        assert self._dx is not None
        fresh = np.isnan(self._x) & ~np.isnan(x)
        dx = (x - self._x) / dt
        a_d = _alpha(self.d_cutoff, dt)
        dx_hat = a_d * dx + (1 - a_d) * self._dx
        cutoff = self.min_cutoff + self.beta * np.abs(dx_hat)
        a = _alpha(cutoff, dt)
        x_hat = a * x + (1 - a) * self._x
        x_hat = np.where(fresh, x, x_hat)
        dx_hat = np.where(fresh | np.isnan(dx_hat), 0.0, dx_hat)
        self._x, self._dx, self._t = x_hat, dx_hat, t
        return x_hat.copy()
