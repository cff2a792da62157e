"""Accuracy metrics on hand-built reps: matching, fault tallies, overall figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from formcheck.errors import InputError
from formcheck.eval.labels import LabelledClip, TrueRep, load_labels
from formcheck.eval.metrics import (
    ClipScore,
    FaultTally,
    match_reps,
    overall,
    score_faults,
    score_sides,
)
from formcheck.report.model import Rep


def rep(
    start: float, peak: float, end: float, faults: list[str] | None = None, side: str | None = None
) -> Rep:
    return Rep(
        index=1, kind="rep", start_s=start, peak_s=peak, end_s=end, faults=faults or [], side=side
    )


def test_match_reps_by_overlap_and_by_peak_time():
    truth = [TrueRep(0, 1, 2), TrueRep(3, 4, 5)]
    got = [rep(3.1, 4.0, 5.2), rep(0.2, 1.1, 2.1), rep(8, 9, 10)]
    assert match_reps(truth, got) == [(0, 1), (1, 0)]
    # Hand labels give peak times only: matched within 1.5 s.
    peaks = [TrueRep(1.0, 1.0, 1.0), TrueRep(9.0, 9.0, 9.0)]
    assert match_reps(peaks, [rep(0, 1.4, 2), rep(5, 6, 7)]) == [(0, 0)]


def test_fault_tallies_count_tp_fp_fn_and_false_faults_on_clean_reps():
    truth = [
        TrueRep(0, 1, 2, faults=frozenset({"sagging_hips"})),
        TrueRep(3, 4, 5),
        TrueRep(6, 7, 8),
    ]
    got = [rep(0, 1, 2, ["sagging_hips"]), rep(3, 4, 5, ["sagging_hips"]), rep(6, 7, 8)]
    tallies, clean, flagged = score_faults(truth, got, ["sagging_hips", "over_arching"])
    assert (tallies["sagging_hips"].tp, tallies["sagging_hips"].fp) == (1, 1)
    assert tallies["sagging_hips"].fn == 0
    assert (clean, flagged) == (2, 1)
    # A predicted rep that matches no true rep: its faults are false positives.
    tallies, _, _ = score_faults([], [rep(0, 1, 2, ["over_arching"])], ["over_arching"])
    assert tallies["over_arching"].fp == 1


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "f1"),
    [
        (2, 0, 0, 1.0),
        (1, 1, 0, 2 / 3),
        (0, 1, 1, 0.0),
        (0, 0, 2, 0.0),
        (0, 0, 0, math.nan),
        (0, 3, 0, math.nan),
    ],  # no labelled case: F1 undefined, the false alarms stay in fp
)
def test_f1(tp: int, fp: int, fn: int, f1: float):
    got = FaultTally(tp, fp, fn).f1
    assert (math.isnan(got) and math.isnan(f1)) or got == pytest.approx(f1)


def test_overall_counts_mae_and_off_by_one():
    def score(true: int | None, pred: int) -> ClipScore:
        return ClipScore("c", "bridge", "synthetic", true, pred, True, 1.0)

    total = overall([score(3, 3), score(4, 3), score(2, 4), score(None, 1)])
    assert total.countable == 3
    assert total.exact_rate == pytest.approx(1 / 3)
    assert total.oboa == pytest.approx(2 / 3)
    assert total.mae == pytest.approx((0 + 1 / 4 + 2 / 2) / 3)
    assert (total.declined, total.oboa_judged) == (0, pytest.approx(2 / 3))


def test_a_clip_the_tool_cannot_judge_is_a_miss_and_is_reported_as_declined():
    judged = ClipScore("a", "pelvic_tilt", "synthetic", 3, 3, True, 1.0)
    declined = ClipScore("b", "pelvic_tilt", "synthetic", 3, 0, False, 1.0)
    total = overall([judged, declined])
    assert (total.exact_rate, total.oboa) == (0.5, 0.5)
    assert total.declined == 1
    assert total.oboa_judged == 1.0


def test_hand_labels_skip_other_exercises_and_resolve_paths(tmp_path: Path):
    labels = [
        {"file": "a.mp4", "exercise": "glute_bridge", "human_rep_count": 2,
         "rep_peak_times_s": [3.6, 6.4]},
        {"file": "b.mp4", "exercise": "squat", "human_rep_count": 4},
        {"file": "c.mp4", "exercise": "pelvic_tilt", "human_rep_count": None},
    ]  # fmt: skip
    path = tmp_path / "labels.json"
    path.write_text(json.dumps(labels))
    clips = load_labels(path)
    assert [(c.exercise, c.count) for c in clips] == [("bridge", 2), ("pelvic_tilt", None)]
    assert clips[0].path == (tmp_path / "a.mp4").resolve()
    assert [r.peak_s for r in clips[0].reps] == [3.6, 6.4]


def test_truth_file_needs_its_video(tmp_path: Path):
    truth = {"schema": "formcheck.truth/1", "exercise": "bridge", "fps": 30, "reps": []}
    (tmp_path / "x.truth.json").write_text(json.dumps(truth))
    with pytest.raises(InputError, match="no video beside"):
        load_labels(tmp_path / "x.truth.json")
    (tmp_path / "x.mp4").write_bytes(b"")
    clip = load_labels(tmp_path / "x.truth.json")[0]
    assert isinstance(clip, LabelledClip) and clip.count == 0 and clip.fault_labels_known


@pytest.mark.parametrize("content", ["not json", "{}"])
def test_bad_label_files_are_input_errors(tmp_path: Path, content: str):
    path = tmp_path / "labels.json"
    path.write_text(content)
    with pytest.raises(InputError):
        load_labels(path)


def test_a_fault_never_labelled_shows_its_false_alarms_not_an_f1():
    from formcheck.eval.runner import markdown_table

    faults = {"sagging_hips": FaultTally(1, 0, 0), "feet_lifting": FaultTally(0, 2, 0)}
    score = ClipScore("c", "bridge", "synthetic", 2, 2, True, 1.0, faults=faults,
                      clean_reps=1, clean_reps_flagged=1)  # fmt: skip
    total = overall([score])
    assert math.isnan(total.faults["feet_lifting"].f1)
    table = markdown_table([score], total, "t")
    assert "| feet_lifting | 0 | 2 | 0 | 0.00 | - | - |" in table
    assert "| sagging_hips | 1 | 0 | 0 | 1.00 | 1.00 | 1.00 |" in table
    assert "F1 is blank for a fault the labels never contain" in table
    assert total.false_fault_rate == 1.0  # the false alarm still counts against clean reps


def test_terminal_summary_line_of_a_fault_never_labelled():
    from formcheck.cli.evaluate import fault_line

    assert fault_line("feet_lifting", FaultTally(0, 4, 0)) == (
        "  feet_lifting: not in the labels, 4 false alarm(s)"
    )
    assert fault_line("sagging_hips", FaultTally(1, 1, 0)) == (
        "  sagging_hips: precision 0.50, recall 1.00, F1 0.67"
    )


def test_sides_are_scored_on_matched_reps_that_name_one():
    truth = [TrueRep(0, 1, 2, side="left"), TrueRep(3, 4, 5, side="right"), TrueRep(6, 7, 8)]
    got = [
        rep(0, 1, 2, side="right"),  # the wrong leg
        rep(3, 4, 5, side="right"),
        rep(6, 7, 8, side="left"),  # the truth names no side: not scored
        rep(20, 21, 22, side="left"),  # matches no true rep: not scored
    ]
    assert score_sides(truth, got) == (2, 1)
    from formcheck.eval.runner import markdown_table

    a = ClipScore("a", "bird_dog", "synthetic", 3, 3, True, 1.0, sides_named=2, sides_right=1)
    b = ClipScore("b", "bird_dog", "synthetic", 3, 3, True, 1.0, sides_named=3, sides_right=3)
    c = ClipScore("c", "bridge", "synthetic", 2, 2, True, 1.0)
    total = overall([a, b, c])
    assert total.side_rate == pytest.approx(4 / 5)
    table = markdown_table([a, b, c], total, "t")
    assert "| bird_dog | 2 | 2/2 | 2/2 | 0 | 4/5 |" in table
    assert "| bridge | 1 | 1/1 | 1/1 | 0 | - |" in table
