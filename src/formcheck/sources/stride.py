"""Which frames of a recorded clip go through the pose model (``--stride``).

Floor exercises move slowly: a 30 fps clip carries two or three times the
frames that counting and timing need, and the model is most of the cost of a
frame. ``--stride auto`` runs the model on every k-th frame, with k chosen per
exercise from the rate its definition asks for (``sample_fps``); the analysis
sees the modelled frames at their real times.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from formcheck.errors import ConfigError

AUTO = "auto"


def parse_stride(text: str) -> int | None:
    """``"auto"`` -> ``None``; ``"3"`` -> 3. A bad value raises ConfigError (one line)."""
    value = text.strip().lower()
    if value == AUTO:
        return None
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise ConfigError(f"--stride must be 'auto' or a whole number of frames >= 1, got {text!r}")


def stride_for(clip_fps: float, sample_fps: Iterable[float | None]) -> int:
    """The largest k that still gives every exercise its ``sample_fps`` (1 when any is unset).

    ``clip_fps // rate``: a 30 fps clip is modelled at 10 fps for rate 10, a 25 fps
    clip at 12.5 fps (never below the rate asked for).
    """
    rates = list(sample_fps)
    if not rates or any(r is None for r in rates) or not (clip_fps > 0):
        return 1
    need = max(r for r in rates if r is not None)
    # Floor: 29.97 fps for rate 10 gives k=2, never a rate under 10; the allowance absorbs
    # float error in exact multiples (30 / 10).
    return max(1, math.floor(clip_fps / need + 1e-9))
