"""A hand-built glute-bridge session report for the report tests (plain lists, no analysis)."""

from __future__ import annotations

import math

from formcheck.report.model import (
    FaultEvent,
    Prescription,
    Rep,
    SeriesBlock,
    SessionReport,
    SourceInfo,
    Summary,
    UnjudgedSpan,
)

FPS = 30.0


def make_series(duration_s: float = 24.0, peaks: list[float] | None = None) -> SeriesBlock:
    """Hip and knee angles: a bump of hip extension at each peak, a NaN gap at 20-21 s."""
    peaks = peaks if peaks is not None else [3.0, 7.0, 11.0, 15.0, 18.5]
    n = int(duration_s * FPS)
    t = [i / FPS for i in range(n)]
    hip: list[float | None] = []
    knee: list[float | None] = []
    for i, ti in enumerate(t):
        bump = sum(math.exp(-(((ti - p) / 0.9) ** 2)) for p in peaks)
        height = 38.0 if peaks.index(min(peaks, key=lambda p: abs(p - ti))) != 2 else 26.0
        if 20.0 <= ti < 21.0:
            hip.append(None)
            knee.append(None)
            continue
        hip.append(135.0 + height * bump + 0.8 * math.sin(i * 0.7))
        knee.append(95.0 - 8.0 * bump)
    return SeriesBlock(t=t, values={"hip_angle": hip, "knee_angle": knee})


def make_reps() -> list[Rep]:
    peaks = [3.0, 7.0, 11.0, 15.0, 18.5]
    reps = []
    for i, p in enumerate(peaks, start=1):
        sag = i == 3
        reps.append(
            Rep(
                index=i,
                kind="rep",
                side=None,
                start_s=p - 1.6,
                peak_s=p,
                end_s=p + 1.6,
                hold_start_s=p - 0.4,
                hold_end_s=p + 0.6,
                complete=i != 5,
                metrics={
                    "peak.hip_angle": 161.0 if sag else 172.5 + i * 0.3,
                    "range.hip_angle": 26.0 if sag else 37.5,
                    "hold_s": 1.0,
                    "duration_s": 3.2,
                },
                faults=["sagging_hips"] if sag else [],
                quality=0.6 if sag else (0.95 if i == 4 else 1.0),
            )
        )
    return reps


def make_report(
    *,
    path: str = "clips/bridge_2024-05-02.mp4",
    patient: str | None = "Mrs A. Example",
    exercise_name: str = "Glute bridge",
    fault_message: str = "Lift your hips higher: squeeze your glutes",
    target: int | None = 10,
    reps: list[Rep] | None = None,
) -> SessionReport:
    reps = make_reps() if reps is None else reps
    complete = sum(r.complete for r in reps)
    return SessionReport(
        formcheck_version="0.1.0",
        exercise="bridge",
        exercise_name=exercise_name,
        model="pose_landmarker_full",
        view="side",
        near_side="left",
        source=SourceInfo(path=path, width=640, height=480, fps=FPS, frames=720, duration_s=24.0),
        patient=patient,
        prescription=Prescription(
            kind="rep",
            target_count=target,
            target_count_max=15 if target else None,
            hold_s=2.0,
            text="10-15 reps; squeeze about 2 s at the top; lower slowly",
        ),
        reps=reps,
        faults=[
            FaultEvent(
                id="sagging_hips",
                start_s=10.2,
                end_s=11.8,
                rep_index=3,
                message=fault_message,
                explanation=(
                    "Peak hip extension stayed below 165 deg: the hips did not reach the "
                    "straight line, so the glutes did little of the work."
                ),
                value=161.0,
                threshold=165.0,
            )
        ],
        unjudged=[UnjudgedSpan(start_s=20.0, end_s=21.0, reason="Feet out of frame")],
        summary=Summary(
            rep_count=complete,
            partial_reps=len(reps) - complete,
            total_hold_s=5.0,
            active_s=18.0,
            duration_s=24.0,
            frames=720,
            frames_with_pose=690,
            mean_quality=0.89,
            fault_counts={"sagging_hips": 1},
            prescription_met=False,
            confidence=0.92,
            notes=["Hold at the top was about 1 s; 2 s was prescribed."],
        ),
        series=make_series(),
        warnings=["Camera moved at 12 s"],
        config_overrides={"counting.top": 150.0},
    )
