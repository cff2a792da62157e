"""The warning when the posture seen disagrees with the exercise chosen.

Hand-built skeletons through the whole pipeline (a pose recording, no model): the
right posture gives no warning; on all fours analysed as a bridge is named for what it
is; and on all fours filmed upside down (a phone held the wrong way up, with no rotation
metadata) reads as lying on the back, knees up, so the warning asks about the picture's
orientation too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from factories import HEIGHT, kneeling_pose, sequence, supine_pose, tabletop_pose
from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import analyze_clip
from formcheck.pose.recording import PoseRecording


def warnings_for(exercise: str, builder, value: float, *, upside_down: bool = False) -> list[str]:
    frames = sequence(lambda t: value, duration=4.0, builder=builder)
    recording = PoseRecording.from_frames(frames, fps=30.0, model_id="hand-built")
    if upside_down:
        xy = recording.xy.copy()
        xy[..., 1] = HEIGHT - xy[..., 1]
        recording = dataclasses.replace(recording, xy=xy)
    outcome = analyze_clip(
        Path("hand-built.mp4"), exercise=exercise, config=PatientConfig(), recording=recording
    )
    return outcome.warnings


def test_the_right_posture_gives_no_warning() -> None:
    assert warnings_for("bird_dog", tabletop_pose, 90.0) == []
    assert warnings_for("bridge", supine_pose, 135.0) == []
    assert warnings_for("childs_pose", kneeling_pose, 40.0) == []


def test_on_all_fours_analysed_as_a_bridge_is_named() -> None:
    (warning,) = warnings_for("bridge", tabletop_pose, 90.0)
    assert warning.startswith("This clip looks like tabletop posture for 100% of the time")
    assert "bridge is done supine; check --exercise (or try --exercise auto)" in warning


def test_on_all_fours_upside_down_asks_about_the_orientation() -> None:
    (warning,) = warnings_for("bird_dog", tabletop_pose, 90.0, upside_down=True)
    assert "looks like supine posture" in warning
    assert warning.endswith("and that the video is the right way up.")
