"""End to end on the real shared clips: MediaPipe, then the analysis, against human labels.

The clips live beside the project in ../shared/clips (never copied into it);
these tests skip when that folder is absent, as in a user's fresh clone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.exercises.loader import PatientConfig, builtin
from formcheck.pipeline import analyze_clip
from formcheck.pose.recording import ARRAY_NAMES, PoseRecording
from frame_rates import at_fps, tally
from variations import at_tempo, framed, mirrored, rolled

CLIPS = Path(__file__).resolve().parents[2].parent / "shared" / "clips"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.shared,
    pytest.mark.skipif(not (CLIPS / "labels.json").exists(), reason="../shared/clips not present"),
]

# clip (relative to ../shared/clips) -> our exercise id (the five of the programme)
ORIGINAL = {
    "glute_bridge__bubbadk_fit__glute-bridge.mp4": "bridge",
    "bird_dog__HonzaCzSk_polybag__bird_dog.mp4": "bird_dog",
    "cat_cow__HonzaCzSk_polybag__kocici_hrbet.mp4": "cat_cow",
    "childs_pose__HonzaCzSk_polybag__pozice_ditete.mp4": "childs_pose",
    "pelvic_tilt__HonzaCzSk_polybag__podsazeni_panve.mp4": "pelvic_tilt",
}
# The second set: a fast continuous bridge (5 reps, no pause), an oblique side-rear
# bird-dog with a drawn overlay, a child's pose held for the whole clip, and pelvic tilts
# done on hands and knees (6 rocks).
DEV2 = {
    "dev2/glute_bridge__BE-PROJECTS2018_GroupNo23-Health-and-Fitness-Assistant__bridge.mp4": (
        "bridge"
    ),
    "dev2/bird_dog__mmuno_gymnai-exercise-images__bird_dog.mp4": "bird_dog",
    "dev2/childs_pose__nhien021299_project_yoga_gym__child_pose.mp4": "childs_pose",
    "dev2/pelvic_tilt__BloomFit_BloomFit__pelvic_tilt.mp4": "pelvic_tilt",
}
PROGRAMME = {**ORIGINAL, **(DEV2 if (CLIPS / "dev2" / "labels.json").exists() else {})}
COUNTABLE = [n for n in PROGRAMME if n != "pelvic_tilt__HonzaCzSk_polybag__podsazeni_panve.mp4"]


def _labels() -> dict[str, dict]:
    out = {item["file"]: item for item in json.loads((CLIPS / "labels.json").read_text())}
    if (CLIPS / "dev2" / "labels.json").exists():
        for item in json.loads((CLIPS / "dev2" / "labels.json").read_text()):
            out[f"dev2/{item['file']}"] = item
    return out


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PoseRecording]:
    """Run MediaPipe once per clip on every frame; every test re-analyses the saved poses.

    Every frame (``stride=1``): the frame-rate tests thin these recordings as a slower
    camera would; the default stride is checked against them on its own.
    """
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    out: dict[str, PoseRecording] = {}
    folder = tmp_path_factory.mktemp("poses")
    for name in PROGRAMME:
        pose_file = folder / f"{Path(name).name}.npz"
        analyze_clip(
            CLIPS / name,
            exercise=PROGRAMME[name],
            config=PatientConfig(),
            estimator_factory=MediaPipePoseEstimator,
            pose_out=pose_file,
            stride=1,
        )
        out[name] = PoseRecording.load(pose_file)
    return out


# The tilt no person could count: its second bump of landmark noise rises 5.4 units, past
# the target's 5, when the model sees every 2nd frame, and counts; from every frame it rises
# 4.1, and under the target a hold must be entered briskly, which it was not
# (docs/accuracy.md, round 17).
_STRIDE_BORDERLINE = {"pelvic_tilt__HonzaCzSk_polybag__podsazeni_panve.mp4"}


def _programme(known_misses: set[str], reason: str) -> list[Any]:
    """Every clip of the programme, those in ``known_misses`` as strict expected failures."""
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=reason))
        if n in known_misses
        else n
        for n in PROGRAMME
    ]


@pytest.mark.parametrize("name", _programme(_STRIDE_BORDERLINE, "noise bump on the target"))
def test_default_stride_matches_every_frame(
    name: str, recordings: dict[str, PoseRecording]
) -> None:
    """``--stride auto``: the model sees every k-th frame; counts and faults as with every frame."""
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    clip, exercise = CLIPS / name, PROGRAMME[name]
    strided = analyze_clip(
        clip, exercise=exercise, config=PatientConfig(), estimator_factory=MediaPipePoseEstimator
    ).report
    full = analyze_clip(
        clip, exercise=exercise, config=PatientConfig(), recording=recordings[name]
    ).report
    assert strided.source is not None and strided.source.model_stride > 1
    assert strided.summary.judgeable == full.summary.judgeable
    assert strided.summary.rep_count == full.summary.rep_count
    if name in COUNTABLE:
        # On the clip no person could count, partial reps are bumps at the level of the
        # landmark noise (on mediapipe 1.2.3 one such bump reads past the target every
        # 2nd frame and not every frame); what it must not do is claim a full hold.
        assert strided.summary.partial_reps == full.summary.partial_reps
    else:
        assert all(r.metrics.get("hold_s", 0.0) < 8.5 for r in strided.reps if r.complete)
    assert [sorted(r.faults) for r in strided.reps] == [sorted(r.faults) for r in full.reps]


@pytest.mark.parametrize("name", list(PROGRAMME))
def test_counts_match_human_labels(name: str, recordings: dict[str, PoseRecording]) -> None:
    label = _labels()[name]
    outcome = analyze_clip(
        CLIPS / name, exercise=PROGRAMME[name], config=PatientConfig(), recording=recordings[name]
    )
    summary = outcome.report.summary
    assert outcome.report.summary.frames_with_pose / summary.frames > 0.95
    if label["human_rep_count"] is None:
        # Not countable by eye (no clear repeating pattern): whatever the tool reads in the
        # signals, it must not report a full held tilt, which a person would have seen.
        assert all(r.metrics.get("hold_s", 0.0) < 8.5 for r in outcome.report.reps if r.complete)
        return
    assert summary.judgeable
    assert summary.rep_count == label["human_rep_count"]


def _subset(
    recording: PoseRecording, keep: slice | np.ndarray, fps: float, shift_s: float = 0.0
) -> PoseRecording:
    """The frames ``keep`` selects, their times moved ``shift_s`` earlier."""
    arrays = {name: getattr(recording, name)[keep] for name in ARRAY_NAMES}
    arrays["timestamps"] = arrays["timestamps"] - shift_s
    return PoseRecording(**arrays, fps=fps, model_id=recording.model_id)


def _every(recording: PoseRecording, step: int, offset: int) -> PoseRecording:
    """Every ``step``-th frame from ``offset``: the clip as a slower camera would give it."""
    return _subset(recording, slice(offset, None, step), recording.fps / step)


def _from(recording: PoseRecording, cut_s: float) -> PoseRecording:
    """The recording as if filming had started ``cut_s`` seconds later."""
    return _subset(recording, recording.timestamps >= cut_s, recording.fps, shift_s=cut_s)


@pytest.mark.parametrize("step", [2, 3, 4])
@pytest.mark.parametrize("name", COUNTABLE)
def test_counts_hold_at_lower_frame_rates(
    name: str, step: int, recordings: dict[str, PoseRecording]
) -> None:
    # 25-30 fps down to 6-15 fps, every phase of the subsampling. The bridge opens at the
    # top and its bottoms are brief: at 12.5 fps it used to count 0 (no still rest seen).
    want = _labels()[name]["human_rep_count"]
    for offset in range(step):
        recording = _every(recordings[name], step, offset)
        outcome = analyze_clip(
            CLIPS / name, exercise=PROGRAMME[name], config=PatientConfig(), recording=recording
        )
        assert outcome.report.summary.rep_count == want, (step, offset)


_VARIATIONS = {
    "mirrored": mirrored,
    "camera rolled 12 deg left": lambda r: rolled(r, -12.0),
    "camera rolled 12 deg right": lambda r: rolled(r, 12.0),
    "1.5 times slower": lambda r: at_tempo(r, 1.5),
    "1.5 times quicker": lambda r: at_tempo(r, 1 / 1.5),
    "nobody in view for 2 s before and after": lambda r: framed(r, 2.0),
}


@pytest.mark.parametrize("variation", list(_VARIATIONS))
@pytest.mark.parametrize("name", COUNTABLE)
def test_counts_survive_camera_and_tempo_variations(
    name: str, variation: str, recordings: dict[str, PoseRecording]
) -> None:
    """Each clip stands for a class: the same exercise facing the other way, filmed by a
    phone propped askew, done at another tempo, or opening and closing on seconds with
    nobody in view, must count the same."""
    exercise = PROGRAMME[name]
    if variation == "1.5 times quicker" and exercise in ("pelvic_tilt", "childs_pose"):
        # A hold's minimum is in seconds: the quadruped tilts' ~1-s holds would be too short.
        pytest.skip("holds have a minimum duration; a quicker hold is a different hold")
    base = analyze_clip(
        CLIPS / name, exercise=exercise, config=PatientConfig(), recording=recordings[name]
    ).report.summary
    varied = analyze_clip(
        CLIPS / name,
        exercise=exercise,
        config=PatientConfig(),
        recording=_VARIATIONS[variation](recordings[name]),
    ).report.summary
    assert (varied.judgeable, varied.rep_count, varied.partial_reps) == (
        base.judgeable,
        base.rep_count,
        base.partial_reps,
    )


@pytest.mark.parametrize("name", [n for n in COUNTABLE if PROGRAMME[n] != "cat_cow"])
def test_filming_that_starts_at_the_first_peak_makes_that_rep_partial(
    name: str, recordings: dict[str, PoseRecording]
) -> None:
    """Cut at the first labelled peak: that rep is seen only from its top, so it is partial
    and the others still count. A child's pose is the posture itself: still one hold."""
    label = _labels()[name]
    cut = label["rep_peak_times_s"][0]
    summary = analyze_clip(
        CLIPS / name,
        exercise=PROGRAMME[name],
        config=PatientConfig(),
        recording=_from(recordings[name], cut),
    ).report.summary
    if PROGRAMME[name] == "childs_pose":
        assert (summary.rep_count, summary.partial_reps) == (1, 0)
    else:
        assert summary.rep_count == label["human_rep_count"] - 1
        assert summary.partial_reps >= 1


@pytest.mark.parametrize(("cut_s", "want"), [(2.0, 1), (5.0, 1), (9.0, 0)])
def test_bird_dog_filmed_from_mid_rep(
    cut_s: float, want: int, recordings: dict[str, PoseRecording]
) -> None:
    # Filming starts with the first rep's limbs rising (2.0 s), between reps (5.0 s) or
    # in the second rep's hold (9.0 s). A rep under way is partial, never counted; at 2.0
    # the raised hand leaves the picture mid-hold, and the reading that stays between
    # rest and top used to be taken for the rest: its wobble counted as a rep.
    name = "bird_dog__HonzaCzSk_polybag__bird_dog.mp4"
    outcome = analyze_clip(
        CLIPS / name,
        exercise="bird_dog",
        config=PatientConfig(),
        recording=_from(recordings[name], cut_s),
    )
    summary = outcome.report.summary
    assert summary.rep_count == want
    assert summary.partial_reps >= (1 if cut_s != 5.0 else 0)
    assert all(rep.side == "left" for rep in outcome.report.reps)  # the second rep's side


def test_bridge_peaks_near_labelled_times(recordings: dict[str, PoseRecording]) -> None:
    name = "glute_bridge__bubbadk_fit__glute-bridge.mp4"
    outcome = analyze_clip(
        CLIPS / name, exercise="bridge", config=PatientConfig(), recording=recordings[name]
    )
    peaks = [r.peak_s for r in outcome.report.reps]
    truth = _labels()[name]["rep_peak_times_s"]
    assert len(peaks) == len(truth)
    for got, want in zip(peaks, truth, strict=True):
        assert abs(got - want) <= 0.5
    # The clip opens at the top of an earlier rep: reported as partial, not counted.
    assert outcome.report.summary.partial_reps >= 1
    # A clean real bridge raises no fault.
    assert outcome.report.faults == []


def test_quadruped_tilts_are_counted_but_not_judged_by_supine_rules(
    recordings: dict[str, PoseRecording],
) -> None:
    # Pelvic tilts done on hands and knees: counted (6), but the definition's faults are
    # written for lying on the back (its 10-s holds, buttocks lifting off the floor), so
    # none is flagged, and the report says why (human label: no faults).
    name = "dev2/pelvic_tilt__BloomFit_BloomFit__pelvic_tilt.mp4"
    outcome = analyze_clip(
        CLIPS / name, exercise="pelvic_tilt", config=PatientConfig(), recording=recordings[name]
    )
    assert outcome.report.summary.rep_count == 6
    assert outcome.report.faults == []
    assert any("Form faults were not judged" in n for n in outcome.report.summary.notes)
    assert any("tabletop posture" in w for w in outcome.warnings)
    auto = analyze_clip(
        CLIPS / name, exercise="auto", config=PatientConfig(), recording=recordings[name]
    ).report
    assert (auto.exercise, auto.summary.rep_count, auto.faults) == ("pelvic_tilt", 6, [])


def test_bird_dog_counts_each_side(recordings: dict[str, PoseRecording]) -> None:
    name = "bird_dog__HonzaCzSk_polybag__bird_dog.mp4"
    outcome = analyze_clip(
        CLIPS / name, exercise="bird_dog", config=PatientConfig(), recording=recordings[name]
    )
    sides = [r.side for r in outcome.report.reps]
    assert sorted(sides) == ["left", "right"]  # one rep per side, alternating


@pytest.mark.parametrize("name", list(PROGRAMME))
def test_auto_recognises_the_exercise(name: str, recordings: dict[str, PoseRecording]) -> None:
    # The quadruped tilts too: on all fours with the head still, the pelvic tilt's variant
    # done there (named cat-cow before).
    outcome = analyze_clip(
        CLIPS / name, exercise="auto", config=PatientConfig(), recording=recordings[name]
    )
    assert outcome.recognition is not None
    assert outcome.report.exercise == PROGRAMME[name]
    assert outcome.report.exercise_confidence is not None
    assert outcome.report.exercise_confidence > 0.3


# At 10 fps one rep of the fast continuous bridge lowers in 0.40 s against 0.45 s at
# 15-60 fps, on the 0.4 s threshold of lowering_too_fast (docs/accuracy.md, round 8).
_BORDERLINE_AT = {
    ("dev2/glute_bridge__BE-PROJECTS2018_GroupNo23-Health-and-Fitness-Assistant__bridge.mp4", 10)
}


@pytest.mark.parametrize(
    ("name", "fps"),
    [
        pytest.param(n, f, marks=pytest.mark.xfail(strict=True, reason="on a threshold"))
        if (n, f) in _BORDERLINE_AT
        else (n, f)
        for n in PROGRAMME
        for f in (10, 15, 60)
    ],
)
def test_counts_and_faults_are_the_same_at_any_frame_rate(
    name: str, fps: float, recordings: dict[str, PoseRecording]
) -> None:
    # Thinned to 10 and 15 fps, or interpolated up to 60: the same reps, the same faults.
    def run(recording: PoseRecording) -> tuple[int, dict[str, int]]:
        return tally(
            analyze_clip(
                CLIPS / name, exercise=PROGRAMME[name], config=PatientConfig(), recording=recording
            )
        )

    native_count, native_faults = run(recordings[name])
    count, faults = run(at_fps(recordings[name], fps))
    assert (count, faults) == (native_count, native_faults)


# Live sums the tilt's parts with their usual signs; this clip shows the hip going the other
# way, which only hindsight learns (1 short tilt read from the file, 2 live). The quadruped
# tilts agree since an uncounted rep closed early no longer blocks the hold it was part of.
_LIVE_MISSES = {"pelvic_tilt__HonzaCzSk_polybag__podsazeni_panve.mp4"}


@pytest.mark.parametrize("name", _programme(_LIVE_MISSES, "live counter miscounts"))
def test_live_and_file_analysis_agree_on_the_count(
    name: str, recordings: dict[str, PoseRecording]
) -> None:
    live = ExerciseAnalyzer(builtin(PROGRAMME[name]))
    for pose in recordings[name].frames():
        live.step(pose)
    outcome = analyze_clip(
        CLIPS / name, exercise=PROGRAMME[name], config=PatientConfig(), recording=recordings[name]
    )
    assert len(live.finish().reps) == outcome.report.summary.rep_count


def _still(clip: Path, t: float, out: Path) -> Path:
    import cv2

    cap = cv2.VideoCapture(str(clip))
    cap.set(cv2.CAP_PROP_POS_MSEC, t * 1000.0)
    ok, image = cap.read()
    cap.release()
    assert ok, f"no frame at {t} s in {clip.name}"
    cv2.imwrite(str(out), image)
    return out


def test_auto_recognises_stills_at_the_labelled_peaks(tmp_path: Path) -> None:
    """Photos taken from the real clips at each labelled peak (a held bridge, a bird-dog at
    full reach): recognised from posture and the definitions' cues, with no movement."""
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    labels = _labels()
    wrong = []
    # Left out: the pelvic tilts (the first set's is not countable, the second set's is done
    # on hands and knees, which posture alone reads as cat-cow), and the second set's
    # bird-dog, whose one still at full reach (with a muscle overlay drawn on the body)
    # shows the model no person (docs/accuracy.md, recognition).
    for name, ex_id in PROGRAMME.items():
        if (
            ex_id == "pelvic_tilt"
            or name == "dev2/bird_dog__mmuno_gymnai-exercise-images__bird_dog.mp4"
        ):
            continue
        for i, t in enumerate(labels[name]["rep_peak_times_s"]):
            photo = _still(CLIPS / name, t, tmp_path / f"{Path(name).stem}_{i}.jpg")
            out = analyze_clip(photo, exercise="auto", config=PatientConfig(),
                               estimator_factory=MediaPipePoseEstimator)  # fmt: skip
            assert out.recognition is not None
            if out.report.exercise != ex_id:
                wrong.append(f"{photo.name}: {out.report.exercise} ({out.recognition.reason})")
    assert not wrong


@pytest.mark.parametrize(
    ("name", "t"),
    [("squat__bubbadk_fit__bodyweight-squat.mp4", 3.7), ("plank__bubbadk_fit__plank.mp4", 5.0),
     ("push_up__bubbadk_fit__incline-pushup.mp4", 2.0)],
)  # fmt: skip
def test_a_photo_of_another_exercise_is_flagged(name: str, t: float, tmp_path: Path) -> None:
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

    photo = _still(CLIPS / name, t, tmp_path / "other.jpg")
    out = analyze_clip(photo, exercise="auto", config=PatientConfig(),
                       estimator_factory=MediaPipePoseEstimator)  # fmt: skip
    assert out.recognition is not None and not out.recognition.matched
    assert out.report.exercise_confidence == 0.0
    assert any("does not look like any of the exercises" in w for w in out.warnings)


_BRIDGES = [n for n in COUNTABLE if PROGRAMME[n] == "bridge"]


@pytest.mark.parametrize("exercise", ["bird_dog", "cat_cow"])
@pytest.mark.parametrize("name", _BRIDGES)
def test_a_clip_never_in_the_exercises_position_is_not_judged(
    name: str, exercise: str, recordings: dict[str, PoseRecording]
) -> None:
    """A bridge analysed as an all-fours exercise (the wrong one picked): the starting
    position is never seen, so "0 done" would be a claim; it says it cannot judge."""
    summary = analyze_clip(
        CLIPS / name, exercise=exercise, config=PatientConfig(), recording=recordings[name]
    ).report.summary
    assert (summary.rep_count, summary.judgeable) == (0, False)
    assert any("never seen in the starting position" in n for n in summary.notes)
