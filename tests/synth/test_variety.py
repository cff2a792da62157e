"""Movement variety (synth/variety.py): what each option claims, checked on the Timeline,
and a small rendered varied clip counted by the analysis."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from formcheck.eval.labels import load_truth
from formcheck.synth import ClipSpec, plan_clip
from formcheck.synth.exercises import bridge, script_for
from formcheck.synth.exercises.base import ScriptOptions
from formcheck.synth.groundtruth import truth_path
from formcheck.synth.timeline import Timeline
from formcheck.synth.variety import Motion


def _bridge(reps: int, motion: Motion) -> Timeline:
    tl = bridge.script(ScriptOptions(reps, None, frozenset(), None, motion.tempo, motion))
    motion.cut(tl)
    return tl


def _seed(want) -> int:
    """The first seed whose drawn motion satisfies ``want`` (draws are fixed by the seed)."""
    return next(s for s in range(500) if want(Motion(1.0, s, "rep")))


def test_constant_motion_is_the_script_as_written():
    # 0.6 s at rest, lift 1.3 s, hold 1 s, lower 1.6 s, rest 0.4 s: the script's own numbers.
    tl = _bridge(2, Motion(1.0))
    r1, r2 = tl.reps
    assert (r1.start_s, r1.hold_start_s, r1.hold_end_s, r1.end_s) == pytest.approx(
        (0.6, 1.9, 2.9, 4.5)
    )
    assert r2.start_s == pytest.approx(4.9)
    assert tl.duration_s == pytest.approx(9.2)
    assert not tl.wanders and not tl.offsets and all(r.partial is None for r in tl.reps)


def test_default_clip_keeps_its_frames_when_variety_is_off():
    plain = plan_clip(ClipSpec("bridge", reps=1, seed=5, fps=5))
    assert "variety" not in plain.truth.to_json()
    assert plain.truth.frame_count == round((0.6 + 1.3 + 1.0 + 1.6 + 0.4) * 5)


def test_tempo_scales_every_move_within_the_rep_jitter():
    seed = _seed(lambda m: m.tempo < 0.8 and not m.cut_start and not m.cut_end)
    m = Motion(1.0, seed, "rep")
    tl = _bridge(3, m)
    for r in (r for r in tl.reps if r.partial is None):
        lift = r.hold_start_s - r.start_s
        assert 1.3 / m.tempo * 0.85 <= lift <= 1.3 / m.tempo * 1.15
    fast = Motion(2.0)  # a constant tempo halves every scripted duration
    assert _bridge(1, fast).duration_s == pytest.approx(0.3 + 0.65 + 1.0 + 0.8 + 0.2)


def test_varied_tempo_spans_half_to_double_speed():
    tempos = [Motion(1.0, s).tempo for s in range(300)]
    assert 0.5 <= min(tempos) < 0.6 and 1.8 < max(tempos) <= 2.0


def test_amplitudes_vary_between_reps_and_stay_above_the_full_from_share():
    seed = _seed(lambda m: not m.cut_start and not m.cut_end)
    tl = _bridge(4, Motion(1.0, seed))
    tops = []
    for r in tl.reps:
        if r.partial is None:
            tops.append(tl.level_at((r.hold_start_s + r.hold_end_s) / 2))
    assert len(tops) == 4
    assert min(tops) >= bridge.FULL_FROM and max(tops) <= 1.0
    assert max(tops) - min(tops) > 0.01  # uneven


def test_a_clip_that_starts_mid_rep_marks_that_rep_partial():
    seed = _seed(lambda m: m.cut_start and not m.cut_end)
    m = Motion(1.0, seed)
    tl = _bridge(3, m)
    first = tl.reps[0]
    assert first.partial == "start" and first.start_s == 0.0
    _, levels = tl.sample(30)
    assert levels[0] > 0.2  # the clip opens part way down from a top
    assert [r.partial for r in tl.reps if r.index > 0][1:] == [None, None]


def test_a_clip_that_ends_mid_rise_marks_the_last_rep_partial():
    seed = _seed(lambda m: m.cut_end and not m.cut_start)
    tl = _bridge(3, Motion(1.0, seed))
    last = tl.reps[-1]
    assert last.partial == "end"
    _, levels = tl.sample(30)
    assert levels[-1] > 0.2 and levels[-1] > levels[-5]  # still rising as the clip ends


def test_too_small_attempts_are_marked_and_below_a_rep():
    seed = _seed(
        lambda m: not m.cut_start and "small_attempt" in (_bridge(4, m), m.truth()["events"])[1]
    )
    tl = _bridge(4, Motion(1.0, seed))
    small = [r for r in tl.reps if r.partial == "small"]
    assert small
    for r in small:
        assert tl.level_at(r.peak_s) == pytest.approx(bridge.SMALL_ATTEMPT, abs=1e-6)


def test_fidgets_stay_small_and_rests_vary():
    seed = _seed(lambda m: "fidget" in (_bridge(4, m), m.truth()["events"])[1])
    m = Motion(1.0, seed)
    tl = _bridge(4, m)
    assert tl.wanders
    ts = np.arange(0, tl.time_s, 0.01)
    for w in tl.wanders:
        assert np.max(np.abs(w.at(ts))) <= 0.04 + 1e-9  # 4 % of a rep: far below counting
        assert w.at(np.array([w.start_s, w.start_s + w.seconds])) == pytest.approx([0, 0])
    assert len(set(m.truth()["pauses_s"])) > 1


def test_same_seed_same_clip_and_another_seed_another():
    a = plan_clip(ClipSpec("bird_dog", reps=2, seed=9, fps=5, variety=True)).truth
    b = plan_clip(ClipSpec("bird_dog", reps=2, seed=9, fps=5, variety=True)).truth
    c = plan_clip(ClipSpec("bird_dog", reps=2, seed=10, fps=5, variety=True)).truth
    assert a.to_json() == b.to_json()
    assert a.to_json()["variety"] != c.to_json()["variety"]


def test_cycle_clips_are_cut_at_one_edge_at_most():
    for s in range(100):
        m = Motion(1.0, s, "cycle")
        assert not (m.cut_start and m.cut_end)
        tl = script_for("cat_cow").script(
            ScriptOptions(2 + m.extra_reps, None, frozenset(), None, 1.0, m)
        )
        m.cut(tl)
        counted = [r for r in tl.reps if r.partial is None]
        assert len(counted) == 2


def test_truth_loader_counts_only_whole_reps(tmp_path: Path):
    seed = _seed(lambda m: m.cut_start)
    clip = plan_clip(ClipSpec("bridge", reps=2, seed=seed, fps=5, variety=True))
    video = tmp_path / "c.mp4"
    video.write_bytes(b"")  # the loader only needs it to exist
    clip.truth.write(truth_path(video))
    data = json.loads(truth_path(video).read_text())
    assert data["reps"][0]["partial"] == "start"
    label = load_truth(truth_path(video))
    assert label.count == sum(r["partial"] is None for r in data["reps"]) == 2


@pytest.mark.slow
def test_a_rendered_varied_bridge_is_counted_right(tmp_path: Path):
    """Seed 34: fast tempo (1.6x), opens part way down from a top (partial), two whole
    reps with a too-small attempt between them; side-on, low resolution."""
    pytest.importorskip("mediapipe")
    from formcheck.exercises.loader import PatientConfig
    from formcheck.pipeline import analyze_clip
    from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator
    from formcheck.synth import render_clip

    video = tmp_path / "varied.mp4"
    truth = render_clip("bridge", video, reps=2, seed=34, fps=15, width=480, height=360,
                        variety=True)  # fmt: skip
    assert [r.partial for r in truth.reps] == ["start", None, "small", None]
    outcome = analyze_clip(
        video,
        exercise="bridge",
        config=PatientConfig(),
        estimator_factory=lambda: MediaPipePoseEstimator(None),
    )
    s = outcome.report.summary
    assert s.judgeable and s.rep_count == 2
    assert s.partial_reps >= 1


@pytest.mark.parametrize("name", ["bridge_sagging_hips", "cat_cow_small_range", "bird_dog_clean"])
def test_sample_clips_plan_as_committed_without_variety(name: str):
    """The committed sample truth (sample_videos/) is what the scripts still produce."""
    from formcheck.synth.samples import samples

    path = Path(__file__).parents[2] / "sample_videos" / f"{name}.truth.json"
    if not path.exists():
        pytest.skip("sample_videos not present")
    spec = next(s.spec for s in samples() if s.name == name)
    committed = json.loads(path.read_text())
    planned = json.loads(json.dumps(plan_clip(spec).truth.to_json()))
    assert planned["landmarks_2d"] == committed["landmarks_2d"]
    assert [{k: v for k, v in r.items() if k != "partial"} for r in planned["reps"]] == committed[
        "reps"
    ]
