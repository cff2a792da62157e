"""Acceptance on the project's own rendered ground-truth clips (sample_videos/).

MediaPipe runs once per clip; every check re-analyses the saved poses. For each
clean clip: the exact count, no faults, the exercise recognised. For each faulty
clip: the injected fault found in every rep where it was injected and in no
other rep. For all: the counting angle within 5 degrees of the truth.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.eval.labels import LabelledClip, load_truth
from formcheck.eval.metrics import match_reps, score_clip
from formcheck.exercises.loader import PatientConfig, builtin
from formcheck.pipeline import ClipAnalysis, analyze_clip
from formcheck.pose.recording import PoseRecording

SAMPLES = Path(__file__).resolve().parents[2] / "sample_videos"
TRUTHS = sorted(SAMPLES.glob("*.truth.json"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TRUTHS, reason="no rendered sample videos"),
]


@pytest.fixture(scope="module")
def labelled() -> dict[str, LabelledClip]:
    return {p.name.removesuffix(".truth.json"): load_truth(p) for p in TRUTHS}


@pytest.fixture(scope="module")
def poses(labelled, tmp_path_factory) -> dict[str, PoseRecording]:
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    folder = tmp_path_factory.mktemp("sample-poses")
    out = {}
    for name, label in labelled.items():
        path = folder / f"{name}.npz"
        analyze_clip(
            label.path,
            exercise=label.exercise,
            config=PatientConfig(),
            estimator_factory=MediaPipePoseEstimator,
            pose_out=path,
        )
        out[name] = PoseRecording.load(path)
    return out


def analyse(label: LabelledClip, recording: PoseRecording, exercise: str) -> ClipAnalysis:
    return analyze_clip(label.path, exercise=exercise, config=PatientConfig(), recording=recording)


def names(kind: str) -> list[str]:
    stems = [p.name.removesuffix(".truth.json") for p in TRUTHS]
    return [s for s in stems if s.endswith("_clean") == (kind == "clean")]


@pytest.mark.parametrize("name", names("clean"))
def test_clean_clip_counted_exactly_without_faults(name, labelled, poses):
    label = labelled[name]
    report = analyse(label, poses[name], label.exercise).report
    assert report.summary.frames_with_pose >= 0.95 * report.summary.frames
    assert report.summary.rep_count == label.count
    assert [r.faults for r in report.reps] == [[] for _ in report.reps]
    # Each rep found near its true time.
    assert len(match_reps(label.reps, report.reps)) == label.count


@pytest.mark.parametrize("name", names("clean"))
def test_clean_clip_exercise_recognised(name, labelled, poses):
    label = labelled[name]
    outcome = analyse(label, poses[name], "auto")
    assert outcome.report.exercise == label.exercise
    assert outcome.report.exercise_confidence and outcome.report.exercise_confidence > 0.3


@pytest.mark.parametrize("name", names("faulty"))
def test_injected_fault_found_where_injected_only(name, labelled, poses):
    label = labelled[name]
    report = analyse(label, poses[name], label.exercise).report
    assert report.summary.rep_count == label.count
    pairs = match_reps(label.reps, report.reps)
    assert len(pairs) == label.count
    injected = {f for r in label.reps for f in r.faults}
    for i, j in pairs:
        got = set(report.reps[j].faults)
        for fault in injected:
            assert (fault in got) == (fault in label.reps[i].faults), (i, fault, got)
        if not label.reps[i].faults:
            assert got == set(), (i, got)  # a clean rep in a faulty clip: no fault at all


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".truth.json") for p in TRUTHS))
def test_analysed_angles_close_to_truth(name, labelled, poses):
    """The counting angle within 5 deg of the truth (median); every other analysed angle
    within 10 (MediaPipe reads straight arms on the mat as bent by 5-16 deg, docs/synth.md)."""
    label = labelled[name]
    outcome = analyse(label, poses[name], label.exercise)
    spec = builtin(label.exercise)
    score = score_clip(label, outcome.report, spec)
    assert score.angle_errors or label.exercise == "bird_dog"  # bird-dog angles are per side
    for signal, err in score.angle_errors.items():
        limit = 5.0 if signal == spec.counting.signal else 10.0
        assert err <= limit, (signal, err)


@pytest.mark.parametrize("name", [p.name.removesuffix(".truth.json") for p in TRUTHS])
def test_live_and_file_analysis_agree_on_the_count(name, labelled, poses) -> None:
    # Live coaching counts frame by frame; a recorded clip is segmented in hindsight.
    label = labelled[name]
    live = ExerciseAnalyzer(builtin(label.exercise))
    for pose in poses[name].frames():
        live.step(pose)
    file_count = analyse(label, poses[name], label.exercise).report.summary.rep_count
    assert len(live.finish().reps) == file_count
