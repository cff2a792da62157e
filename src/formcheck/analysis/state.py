"""What the analysis says about one frame: the input to overlays and live cues."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from formcheck.types import PoseFrame


class Phase(str, Enum):
    """Where the patient is in the current repetition."""

    SETUP = "setup"  # not yet in the starting position, or not judgeable
    REST = "rest"  # in the starting position
    RISING = "rising"  # moving towards the target position
    TOP = "top"  # at the target position (the peak of a rep, or holding)
    LOWERING = "lowering"  # returning to rest


class FrameStatus(str, Enum):
    OK = "ok"
    NO_PERSON = "no_person"
    OUT_OF_FRAME = "out_of_frame"  # a needed body part is outside the picture
    LOW_VISIBILITY = "low_visibility"
    WRONG_VIEW = "wrong_view"
    UNCLEAR_POSE = "unclear_pose"  # a person is there, but the skeleton has lost its shape


@dataclass(frozen=True)
class RepEvent:
    """A repetition, hold or cycle that was just completed (or cut short)."""

    index: int
    side: str | None
    complete: bool
    faults: tuple[str, ...]
    quality: float


@dataclass(frozen=True)
class FrameAnalysis:
    """The analysis of one frame.

    Attributes:
        pose: the smoothed pose used for the analysis (xy may be None).
        signals: signal name -> value (NaN when it could not be measured).
        primary_signal: name of the signal that drives counting (for gauges).
        phase: the counter's phase.
        rep_count: completed reps/holds/cycles so far.
        hold_s: seconds into the current hold at the target position, else None.
        hold_target_s: the prescribed hold, if any.
        cue: the one cue to show the patient now, or None.
        active_faults: ids of faults seen in the current rep so far.
        status: whether the frame could be judged, and why not.
        status_message: plain-language reason when status is not OK.
        near_side: the body side nearest the camera ("left"/"right").
        event: a rep that was completed on this frame, if any.
    """

    pose: PoseFrame
    signals: dict[str, float]
    primary_signal: str
    phase: Phase
    rep_count: int
    hold_s: float | None = None
    hold_target_s: float | None = None
    cue: str | None = None
    active_faults: tuple[str, ...] = ()
    status: FrameStatus = FrameStatus.OK
    status_message: str = ""
    near_side: str | None = None
    event: RepEvent | None = None
    thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def timestamp_s(self) -> float:
        return self.pose.timestamp_s

    @property
    def primary_value(self) -> float:
        return self.signals.get(self.primary_signal, float("nan"))
