"""Accuracy measures, reported as repetition-counting research and clinical tools report them.

- Count: exact-count rate, MAE normalised by the true count (|pred - true| / true),
  off-by-one accuracy (OBOA). A clip the tool declines to judge ("cannot judge") counts
  as 0 reps in all three; how many it declined, and the OBOA on the clips it did judge,
  are reported beside them.
- Holds: mean absolute error of each matched hold's duration.
- Sides: of the matched reps of a one-sided exercise, how many are named for the side
  that truly moved (the per-side tally a prescription counts).
- Faults: precision, recall and F1 per fault id, matched rep by rep; and the share
  of clean (fault-free) true reps that got a false fault.
- Angles: median absolute error of the analysed angles against the true ones (image
  plane against the image-plane truth); and, for synthetic clips, of the signals measured
  in the body's own plane (``sagittal_angle``) and of the picture's angle over the same
  points, both against the rig's anatomical truth, by camera azimuth and elevation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.eval.labels import LabelledClip, TrueRep
from formcheck.exercises.schema import ExerciseSpec, SignalSpec
from formcheck.report.model import Rep, SessionReport

# Our signal (kind, points) -> the truth's angle name (side "near").
_TRUTH_ANGLE = {
    ("shoulder", "hip", "knee"): "near_hip_angle",
    ("hip", "knee", "ankle"): "near_knee_angle",
    ("hip", "shoulder", "wrist"): "near_shoulder_angle",
    ("shoulder", "elbow", "wrist"): "near_elbow_angle",
}


# Our 3D signal's points -> the anatomical truth's angle name.
_ANATOMICAL = {("shoulder", "hip", "knee"): "hip_angle_3d"}
# Bands of the camera's view for the anatomical error table (degrees off side-on; up).
AZIMUTH_BANDS = ((0.0, 15.0), (15.0, 30.0), (30.0, 45.0), (45.0, 60.0))
ELEVATION_BANDS = ((0.0, 15.0), (15.0, 30.0), (30.0, 45.0))


@dataclass
class FaultTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: FaultTally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def labelled(self) -> bool:
        """Whether the labels contain this fault at all (else only false alarms can be told)."""
        return self.tp + self.fn > 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else math.nan

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else math.nan

    @property
    def f1(self) -> float:
        # Undefined without labelled cases (no recall): a fault the labels never contain
        # would read F1 0 for a single false alarm, which says nothing of how well it is
        # found. Its false alarms stay in ``fp`` and in the false-fault rate.
        if not self.labelled:
            return math.nan
        p, r = self.precision, self.recall
        if math.isnan(p) or p + r == 0:
            return 0.0
        return 2 * p * r / (p + r)


@dataclass
class ClipScore:
    """How one clip's analysis compares with its labels."""

    path: str
    exercise: str
    source: str
    true_count: int | None
    predicted: int
    judgeable: bool
    pose_share: float
    hold_errors_s: list[float] = field(default_factory=list)
    faults: dict[str, FaultTally] = field(default_factory=dict)
    clean_reps: int = 0
    clean_reps_flagged: int = 0
    sides_named: int = 0  # matched reps with a side in both truth and analysis
    sides_right: int = 0  # of those, named for the side that moved
    angle_errors: dict[str, float] = field(default_factory=dict)  # signal -> median |err|
    # Against the anatomical truth: the 3D signal ("hip_angle_3d") and the picture's angle over
    # the same points ("hip_angle"), median |err| over the clip's frames.
    anatomical_errors: dict[str, float] = field(default_factory=dict)
    image_anatomical_errors: dict[str, float] = field(default_factory=dict)
    azimuth_deg: float | None = None
    elevation_deg: float | None = None
    error: str | None = None

    @property
    def countable(self) -> bool:
        return self.true_count is not None and self.error is None

    @property
    def abs_error(self) -> float:
        if self.true_count is None:
            return math.nan
        return abs(self.predicted - self.true_count)

    @property
    def normalised_error(self) -> float:
        if self.true_count is None or self.true_count == 0:
            return math.nan
        return self.abs_error / self.true_count


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def match_reps(truth: Sequence[TrueRep], predicted: Sequence[Rep]) -> list[tuple[int, int]]:
    """Pairs (true index, predicted index), greedily by time overlap (peak distance for points)."""
    pairs: list[tuple[float, int, int]] = []
    for i, t in enumerate(truth):
        for j, p in enumerate(predicted):
            if t.end_s > t.start_s:
                score = _overlap(t.start_s, t.end_s, p.start_s, p.end_s)
                if score <= 0:
                    continue
            else:  # hand labels give only peak times
                d = abs(t.peak_s - p.peak_s)
                if d > 1.5:
                    continue
                score = 1.5 - d
            pairs.append((score, i, j))
    used_t: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_t and j not in used_p:
            used_t.add(i)
            used_p.add(j)
            out.append((i, j))
    return sorted(out)


def score_faults(
    truth: Sequence[TrueRep], predicted: Sequence[Rep], fault_ids: Sequence[str]
) -> tuple[dict[str, FaultTally], int, int]:
    """Per-fault tallies, and (clean true reps, clean true reps with a false fault)."""
    tallies = {f: FaultTally() for f in fault_ids}
    pairs = dict(match_reps(truth, predicted))
    matched_p = set(pairs.values())
    clean = flagged = 0
    for i, t in enumerate(truth):
        got = set(predicted[pairs[i]].faults) if i in pairs else set()
        for f in fault_ids:
            if f in t.faults and f in got:
                tallies[f].tp += 1
            elif f in t.faults:
                tallies[f].fn += 1
            elif f in got:
                tallies[f].fp += 1
        if not t.faults:
            clean += 1
            flagged += bool(got)
    for j, p in enumerate(predicted):  # reps that match no true rep: all their faults are false
        if j not in matched_p:
            for f in p.faults:
                if f in tallies:
                    tallies[f].fp += 1
    return tallies, clean, flagged


def score_sides(truth: Sequence[TrueRep], predicted: Sequence[Rep]) -> tuple[int, int]:
    """(matched reps whose side both name, of them named for the side that moved)."""
    named = right = 0
    for i, j in match_reps(truth, predicted):
        if truth[i].side and predicted[j].side:
            named += 1
            right += truth[i].side == predicted[j].side
    return named, right


def hold_errors(truth: Sequence[TrueRep], predicted: Sequence[Rep]) -> list[float]:
    out = []
    for i, j in match_reps(truth, predicted):
        true_hold = truth[i].hold_s
        got = predicted[j].metrics.get("hold_s")
        if true_hold is not None and got is not None:
            out.append(abs(got - true_hold))
    return out


def angle_errors(
    report: SessionReport, spec: ExerciseSpec, truth_angles: dict[str, np.ndarray], fps: float
) -> dict[str, float]:
    """Median |analysed - true| per angle signal, over frames where both exist."""
    out: dict[str, float] = {}
    t = np.asarray(report.series.t, dtype=float)
    if t.size == 0:
        return out
    idx = np.round(t * fps).astype(int)
    for name, sig in spec.signals.items():
        if sig.kind not in ("angle", "signed_angle") or sig.side != "near":
            continue
        truth_name = _TRUTH_ANGLE.get(tuple(sig.points))
        if truth_name is None or truth_name not in truth_angles or name not in report.series.values:
            continue
        true = truth_angles[truth_name]
        got = np.asarray([np.nan if v is None else v for v in report.series.values[name]], float)
        # The truth is unsigned (0-180): fold signed angles back before comparing.
        got = np.where(got > 180, 360 - got, got)
        ok = (idx >= 0) & (idx < true.size)
        err = np.abs(got[ok] - true[idx[ok]])
        err = err[~np.isnan(err)]
        if err.size:
            out[name] = float(np.median(err))
    return out


def _series(report: SessionReport, name: str) -> np.ndarray | None:
    if name not in report.series.values:
        return None
    return np.asarray([np.nan if v is None else v for v in report.series.values[name]], float)


def _median_error(
    report: SessionReport, got: np.ndarray, true: np.ndarray, fps: float
) -> float | None:
    t = np.asarray(report.series.t, dtype=float)
    idx = np.round(t * fps).astype(int)
    ok = (idx >= 0) & (idx < true.size)
    err = np.abs(got[ok] - true[idx[ok]])
    err = err[~np.isnan(err)]
    return float(np.median(err)) if err.size else None


def _anatomical_truth(sig: SignalSpec, anatomical: dict[str, np.ndarray]) -> np.ndarray | None:
    """The rig's angle a ``sagittal_angle`` signal measures: of the midpoints, or for a
    ``side = "max"``/``"min"`` signal the larger or smaller of the two sides'."""
    key = _ANATOMICAL.get(tuple(sig.points), "")
    if sig.side not in ("max", "min"):
        return None if sig.side == "each" else anatomical.get(key)
    sides = [anatomical.get(f"{s}_{key}") for s in ("left", "right")]
    if any(v is None for v in sides):
        return None
    return (np.fmax if sig.side == "max" else np.fmin)(*sides)


def anatomical_errors(
    report: SessionReport, spec: ExerciseSpec, anatomical: dict[str, np.ndarray], fps: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Median |measured - anatomical truth| of each ``sagittal_angle`` signal, and of the
    picture's angle over the same points (the near side's, signed past 180 where the
    definition signs it), beside it."""
    three_d: dict[str, float] = {}
    image: dict[str, float] = {}
    if not report.series.t:
        return three_d, image
    for name, sig in spec.signals.items():
        if sig.kind != "sagittal_angle":
            continue
        truth = _anatomical_truth(sig, anatomical)
        got = _series(report, name)
        if truth is None or got is None:
            continue
        e = _median_error(report, got, truth, fps)
        if e is not None:
            three_d[name] = e
        for other, osig in spec.signals.items():  # the image-plane twin
            if osig.kind in ("angle", "signed_angle") and tuple(osig.points) == tuple(sig.points):
                g = _series(report, other)
                e = _median_error(report, g, truth, fps) if g is not None else None
                if e is not None:
                    image[other] = e
                break
    return three_d, image


def score_clip(label: LabelledClip, report: SessionReport, spec: ExerciseSpec) -> ClipScore:
    predicted = [r for r in report.reps if r.complete]
    s = report.summary
    score = ClipScore(
        path=str(label.path),
        exercise=label.exercise,
        source=label.source,
        true_count=label.count,
        predicted=s.rep_count if s.judgeable else 0,
        judgeable=s.judgeable,
        pose_share=s.frames_with_pose / s.frames if s.frames else 0.0,
    )
    if label.reps:
        score.hold_errors_s = hold_errors(label.reps, predicted)
        score.sides_named, score.sides_right = score_sides(label.reps, predicted)
        if label.fault_labels_known:
            score.faults, score.clean_reps, score.clean_reps_flagged = score_faults(
                label.reps, predicted, spec.fault_ids()
            )
    if label.angles and label.fps:
        score.angle_errors = angle_errors(report, spec, label.angles, label.fps)
    if label.anatomical and label.fps:
        score.anatomical_errors, score.image_anatomical_errors = anatomical_errors(
            report, spec, label.anatomical, label.fps
        )
    if label.camera:
        score.azimuth_deg = label.camera.get("azimuth_deg")
        score.elevation_deg = label.camera.get("elevation_deg")
    return score


def by_view(
    scores: Sequence[ClipScore], of: str
) -> list[tuple[tuple[float, float], int, float, float]]:
    """Per band of |azimuth| (``of`` "azimuth") or elevation ("elevation"): (band, clips,
    median 3D error, median image-plane error) against the anatomical truth, the median
    over clips of each clip's median."""
    bands = AZIMUTH_BANDS if of == "azimuth" else ELEVATION_BANDS
    out = []
    for i, (lo, hi) in enumerate(bands):
        last = i == len(bands) - 1
        d3, im = [], []
        for s in scores:
            v = s.azimuth_deg if of == "azimuth" else s.elevation_deg
            if v is None or not s.anatomical_errors:
                continue
            v = abs(v)
            if lo <= v < hi or (last and v == hi):
                d3 += list(s.anatomical_errors.values())
                im += list(s.image_anatomical_errors.values())
        if d3:
            out.append(
                ((lo, hi), len(d3), float(np.median(d3)), float(np.median(im)) if im else math.nan)
            )
    return out


@dataclass(frozen=True)
class Overall:
    clips: int
    countable: int
    exact_rate: float
    mae: float  # mean of |pred - true| / true
    oboa: float
    declined: int  # countable clips the tool said it cannot judge (scored as 0 above)
    oboa_judged: float  # off-by-one accuracy on the countable clips it judged
    hold_mae_s: float
    faults: dict[str, FaultTally]
    false_fault_rate: float  # share of clean true reps with any predicted fault
    side_rate: float  # share of matched one-sided reps named for the side that moved
    median_angle_error: float
    pose_share: float
    failed: int


def overall(scores: Sequence[ClipScore]) -> Overall:
    ok = [s for s in scores if s.error is None]
    countable = [s for s in ok if s.countable]
    norm = [s.normalised_error for s in countable if not math.isnan(s.normalised_error)]
    holds = [e for s in ok for e in s.hold_errors_s]
    tallies: dict[str, FaultTally] = {}
    for s in ok:
        for f, t in s.faults.items():
            tallies.setdefault(f, FaultTally()).add(t)
    clean = sum(s.clean_reps for s in ok)
    flagged = sum(s.clean_reps_flagged for s in ok)
    angles = [e for s in ok for e in s.angle_errors.values()]
    return Overall(
        clips=len(scores),
        countable=len(countable),
        exact_rate=_mean([s.abs_error == 0 for s in countable]),
        mae=_mean(norm),
        oboa=_mean([s.abs_error <= 1 for s in countable]),
        declined=sum(not s.judgeable for s in countable),
        oboa_judged=_mean([s.abs_error <= 1 for s in countable if s.judgeable]),
        hold_mae_s=_mean(holds),
        faults={f: t for f, t in sorted(tallies.items()) if t.tp + t.fp + t.fn},
        false_fault_rate=flagged / clean if clean else math.nan,
        side_rate=_side_rate(ok),
        median_angle_error=float(np.median(angles)) if angles else math.nan,
        pose_share=_mean([s.pose_share for s in ok]),
        failed=len(scores) - len(ok),
    )


def _side_rate(scores: Sequence[ClipScore]) -> float:
    named = sum(s.sides_named for s in scores)
    return sum(s.sides_right for s in scores) / named if named else math.nan


def _mean(values: Sequence[float | bool]) -> float:
    return float(np.mean(values)) if len(values) else math.nan
