"""The session report: what an analysis found, as versioned, serialisable models.

This is the contract between the analysis and every output (JSON, CSV, HTML,
terminal, batch tables). ``SCHEMA_VERSION`` changes whenever a field changes
meaning or disappears; new optional fields do not bump the major number.
The JSON Schema is published in docs/schema/report.schema.json (regenerated with
``python -m formcheck.report.schema``; a test fails while it is stale).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "formcheck.report/1.1"

RepKind = Literal["rep", "hold", "cycle"]
# How a count of each kind is said: "8 reps", "2 holds", "3 cycles".
COUNT_NOUN: dict[str, str] = {"rep": "reps", "hold": "holds", "cycle": "cycles"}


def count_text(n: int, kind: str) -> str:
    """``"1 rep"``, ``"2 reps"``, ``"0 holds"``."""
    return f"{n} {kind if n == 1 else COUNT_NOUN[kind]}"


Severity = Literal["info", "warning", "error"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FaultEvent(_Frozen):
    """One fault seen over a time span."""

    id: str = Field(description="Fault id from the exercise definition, e.g. 'sagging_hips'")
    start_s: float
    end_s: float
    rep_index: int | None = Field(None, description="1-based rep the fault belongs to, if any")
    severity: Severity = "warning"
    message: str = Field(description="Cue shown to the patient")
    explanation: str = Field("", description="Explanation for the physiotherapist")
    value: float | None = Field(None, description="Measured value that triggered the rule")
    threshold: float | None = None


class Rep(_Frozen):
    """One repetition, hold or cycle."""

    index: int = Field(description="1-based")
    kind: RepKind
    side: str | None = Field(None, description="'left'/'right' where the exercise is one-sided")
    start_s: float
    peak_s: float
    end_s: float
    hold_start_s: float | None = None
    hold_end_s: float | None = None
    complete: bool = Field(
        True, description="False for a partial rep cut by the clip's start or end"
    )
    metrics: dict[str, float] = Field(default_factory=dict)
    faults: list[str] = Field(default_factory=list)
    quality: float = Field(1.0, ge=0.0, le=1.0, description="1 = no faults, lower per fault")


class UnjudgedSpan(_Frozen):
    """A span the analysis could not judge, and why."""

    start_s: float
    end_s: float
    reason: str


class Prescription(_Frozen):
    kind: RepKind
    target_count: int | None = None
    target_count_max: int | None = None
    hold_s: float | None = None
    duration_s: float | None = None
    duration_max_s: float | None = None
    per_side: bool = False
    text: str = ""


class Summary(_Frozen):
    rep_count: int = Field(description="Complete reps (or holds, or cycles) counted")
    partial_reps: int = 0
    reps_per_side: dict[str, int] = Field(default_factory=dict)
    total_hold_s: float = 0.0
    active_s: float = 0.0
    duration_s: float = 0.0
    frames: int = 0
    frames_with_pose: int = 0
    mean_quality: float | None = None
    fault_counts: dict[str, int] = Field(default_factory=dict)
    prescription_met: bool | None = None
    against_prescription: str = ""
    confidence: float = Field(1.0, ge=0.0, le=1.0, description="How far the result can be trusted")
    judgeable: bool = True
    notes: list[str] = Field(default_factory=list)


class SeriesBlock(_Frozen):
    """Per-frame series; NaN is written as null."""

    t: list[float]
    values: dict[str, list[float | None]]


class SourceInfo(_Frozen):
    path: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float
    rotation: int = 0
    sha256: str | None = None
    model_stride: int = Field(
        1, ge=1, description="The pose model ran on every k-th frame (--stride); 1: every frame"
    )


class SessionReport(_Frozen):
    schema_version: str = SCHEMA_VERSION
    formcheck_version: str
    exercise: str
    exercise_name: str
    exercise_confidence: float | None = Field(
        None, description="Confidence of automatic recognition, when used"
    )
    model: str
    view: str = Field(description="Camera view the analysis saw, e.g. 'side', 'front', 'unknown'")
    near_side: str | None = None
    source: SourceInfo | None = None
    patient: str | None = None
    prescription: Prescription
    reps: list[Rep]
    faults: list[FaultEvent]
    unjudged: list[UnjudgedSpan] = Field(default_factory=list)
    summary: Summary
    series: SeriesBlock
    warnings: list[str] = Field(default_factory=list)
    config_overrides: dict[str, object] = Field(default_factory=dict)
    recorded_at: datetime | None = Field(
        None,
        description="When the session was recorded, UTC, ISO 8601 (schema 1.1; the video's "
        "own creation time when it has one, else the clip file's modification time; a live "
        "session's start)",
    )
