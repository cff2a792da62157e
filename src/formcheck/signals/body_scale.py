"""Doubt a skeleton that has shrunk out of shape: the model squeezing a body into a blob.

Folded face-down (child's pose) the model can lose the body and, for seconds at a
time, fit a whole lying skeleton into the folded outline: every landmark stays
"visible", but the trunk and thighs shrink to about half their length in the
picture within a frame or two, and the angles read from them are wild (a folded
hip read as straight). A person on the floor cannot change size that fast, so
such frames are doubted until the body is back to its size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.landmarks import Side
from formcheck.signals.measure import point

# Trunk and thighs, both sides: long, and in the sagittal plane, so in a side view their
# length in the picture hardly depends on the posture (at most ~13% shorter 30 deg off).
_SEGMENTS = tuple(
    (point(a, side), point(b, side))
    for side in (Side.LEFT, Side.RIGHT)
    for a, b in (("shoulder", "hip"), ("hip", "knee"))
)
_FROM = np.array([int(a) for a, _ in _SEGMENTS])
_TO = np.array([int(b) for _, b in _SEGMENTS])


@dataclass(frozen=True)
class BodyScaleConfig:
    """When a skeleton's size in the picture is doubted.

    Measured on the eight benchmark suites (1200 clips), the sample clips and the shared
    real clips: 16 of 240 rendered child's poses have squeezed spans, which start at
    0.45-0.65 of the body's size; no clip of the other four exercises has a doubted frame
    (lowest ratios: bird-dog 0.79, 30 deg off side-on with the far limbs swapped; bridge
    0.90; cat-cow 0.93; pelvic tilt 0.94; the real clips 0.94-0.99).
    """

    collapse_ratio: float = 0.65  # under this share of the recent size: doubted
    recover_ratio: float = 0.8  # back to this share: trusted again
    time_constant_s: float = 1.0  # how fast the recent size follows a trusted body
    # Doubted this long, the size change is real (the person moved closer or away, or
    # another person is in view): take the new size.
    max_doubt_s: float = 20.0

    def __post_init__(self) -> None:
        if not 0.0 < self.collapse_ratio < self.recover_ratio <= 1.0:
            raise ValueError("need 0 < collapse_ratio < recover_ratio <= 1")
        if self.time_constant_s <= 0 or self.max_doubt_s <= 0:
            raise ValueError("time_constant_s and max_doubt_s must be positive")


def segment_lengths(xy: np.ndarray) -> np.ndarray:
    """Lengths in pixels of the trunk and thigh segments, both sides."""
    d = xy[_FROM] - xy[_TO]
    return np.sqrt((d * d).sum(axis=1))


class BodyScaleCheck:
    """Streams poses; ``update`` says whether this frame's skeleton has a believable size.

    Each segment is compared with its own recent length and the body's size ratio is the
    median of the four: one limb foreshortened by the posture moves it little, a
    squeezed skeleton (thighs shrunk to a few pixels, or everything to half) a lot.
    """

    def __init__(self, config: BodyScaleConfig | None = None) -> None:
        self.config = config or BodyScaleConfig()
        self.reset()

    def reset(self) -> None:
        self._ref = np.full(len(_SEGMENTS), np.nan)  # recent lengths, from trusted frames only
        self._t: float | None = None
        self._doubt_since: float | None = None

    @property
    def doubting(self) -> bool:
        return self._doubt_since is not None

    def ratio(self, xy: np.ndarray) -> float:
        """This skeleton's size over the body's recent size (nan before one is known)."""
        return self._ratio(segment_lengths(xy))

    def _ratio(self, lengths: np.ndarray) -> float:
        with np.errstate(invalid="ignore", divide="ignore"):
            r = lengths / self._ref
        r = r[np.isfinite(r)]
        return float(np.median(r)) if r.size else math.nan

    def update(self, t: float, xy: np.ndarray | None) -> bool:
        """True when the skeleton is believable (or there is none to judge)."""
        if xy is None:
            return True
        lengths = segment_lengths(xy)
        cfg = self.config
        ratio = self._ratio(lengths)
        full = ratio >= cfg.recover_ratio  # False before a size is known (nan)
        if self._doubt_since is not None:
            if full or t - self._doubt_since > cfg.max_doubt_s:
                self._doubt_since = None
                if not full:
                    self._ref = np.full(len(_SEGMENTS), np.nan)  # the new size is real
        elif ratio < cfg.collapse_ratio:
            self._doubt_since = t
        if self._doubt_since is not None:
            return False
        # Only a body clearly its own size teaches the size: one in the band between the
        # two ratios is believed, but learning from it would let a slow squeeze drag the
        # size down with it.
        if full or math.isnan(ratio):
            a = 1.0
            if self._t is not None:
                a = 1.0 - math.exp(-max(0.0, t - self._t) / cfg.time_constant_s)
            fresh = np.isnan(self._ref)
            self._ref = np.where(fresh, lengths, self._ref + a * (lengths - self._ref))
            self._t = t
        return True
