"""What every exercise module provides, and the per-avatar context its poses need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from formcheck.synth.avatar import Avatar
from formcheck.synth.points import SurfacePoints
from formcheck.synth.solver import BodyPose
from formcheck.synth.timeline import Timeline
from formcheck.synth.variety import Motion


@dataclass(frozen=True)
class ScriptOptions:
    reps: int
    fault: str | None
    fault_reps: frozenset[int]  # 1-based rep indices that carry the fault
    hold_s: float | None  # None: the exercise's default
    tempo: float = 1.0  # >1 is faster
    motion: Motion | None = None  # movement variety; None: the script's own timing

    def mover(self) -> Motion:
        """The clip's motion: varied when given, else constant at ``tempo``."""
        return self.motion if self.motion is not None else Motion(self.tempo)

    def faulty(self, rep: int) -> bool:
        return self.fault is not None and rep in self.fault_reps


@dataclass
class PoseContext:
    """The avatar plus cached anchor poses (lying, tabletop) shared by the key poses."""

    avatar: Avatar
    pts: SurfacePoints
    cache: dict[str, BodyPose] = field(default_factory=dict)


class Exercise(Protocol):
    id: str
    faults: Sequence[str]
    default_reps: int
    levels: tuple[float, float]  # range of the timeline level

    def key_pose(self, ctx: PoseContext, variant: str, level: float) -> BodyPose: ...

    def script(self, opts: ScriptOptions) -> Timeline: ...


def lerp(a: float, b: float, t: float) -> float:
    return float(a + (b - a) * t)


def ease_weight(level: float) -> float:
    return float(np.clip(level, 0.0, 1.0))
