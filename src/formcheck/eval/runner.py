"""Run the analysis over labelled clips and score it (the engine behind ``formcheck eval``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from multiprocessing import get_context
from pathlib import Path

from formcheck.errors import FormcheckError
from formcheck.eval.labels import LabelledClip
from formcheck.eval.metrics import ClipScore, Overall, score_clip
from formcheck.exercises.loader import PatientConfig
from formcheck.pipeline import file_sha256
from formcheck.pose.models import DEFAULT_MODEL, bundled_model_id, is_model_name


def _cache_file(cache: Path, clip: Path, model: Path | None, stride: int | None) -> Path:
    # Streamed hash (the pipeline's): a long clip is not read into memory at once.
    h = file_sha256(clip)[:20]
    # One entry per --stride: comparing two strides on one cache must not swap their poses.
    every = "" if stride is None else f"-k{stride}"
    if model is None or is_model_name(model):
        # A bundled model and the mediapipe that ran it: another runtime gets its own entry.
        tag = bundled_model_id(str(model or DEFAULT_MODEL)).replace("mediapipe-pose-", "")
    else:
        tag = file_sha256(model)[:8]
    return cache / f"{h}-{tag}{every}.npz"


def evaluate_clip(
    label: LabelledClip,
    *,
    config: PatientConfig | None = None,
    cache: Path | None = None,
    model: Path | None = None,
    stride: int | None = None,
) -> ClipScore:
    """Analyse one labelled clip (poses from the cache when present) and score it.

    ``stride``: run the model on every k-th frame (``None``: the exercise's default).
    """
    from formcheck.pipeline import analyze_clip
    from formcheck.pose.recording import PoseRecording

    cfg = config or PatientConfig()
    spec = cfg.exercise(label.exercise)
    try:
        pose_file = _cache_file(cache, label.path, model, stride) if cache else None
        recording = PoseRecording.load(pose_file) if pose_file and pose_file.exists() else None

        def factory():  # only used on a cache miss
            from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

            return MediaPipePoseEstimator(model)

        outcome = analyze_clip(
            label.path,
            exercise=label.exercise,
            config=cfg,
            estimator_factory=factory,
            recording=recording,
            pose_out=pose_file if recording is None else None,
            stride=stride,
        )
    except (FormcheckError, OSError) as exc:
        return ClipScore(
            path=str(label.path),
            exercise=label.exercise,
            source=label.source,
            true_count=label.count,
            predicted=0,
            judgeable=False,
            pose_share=0.0,
            error=str(exc),
        )
    return score_clip(label, outcome.report, spec)


def _work(
    args: tuple[LabelledClip, Path | None, Path | None, Path | None, int | None],
) -> ClipScore:
    label, cache, model, config_path, stride = args
    from formcheck.exercises.loader import load_config

    return evaluate_clip(
        label, config=load_config(config_path), cache=cache, model=model, stride=stride
    )


def evaluate(
    labels: Sequence[LabelledClip],
    *,
    workers: int = 1,
    cache: Path | None = None,
    model: Path | None = None,
    config_path: Path | None = None,
    on_done: Callable[[ClipScore], None] | None = None,
    stride: int | None = None,
) -> list[ClipScore]:
    """Score every clip, in input order; ``workers`` > 1 uses separate processes."""
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    jobs = [(label, cache, model, config_path, stride) for label in labels]
    results: Iterator[ClipScore]
    if workers <= 1:
        results = map(_work, jobs)
        scores = []
        for s in results:
            scores.append(s)
            if on_done:
                on_done(s)
        return scores
    # "spawn": MediaPipe's graph threads do not survive a fork.
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        scores = []
        for s in pool.map(_work, jobs):
            scores.append(s)
            if on_done:
                on_done(s)
        return scores


def _fmt(v: float, pct: bool = False, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return f"{v:.0%}" if pct else f"{v:.{digits}f}"


def markdown_table(scores: Sequence[ClipScore], total: Overall, title: str) -> str:
    """The results as Markdown: overall figures, per-fault scores, per-exercise counts."""
    lines = [f"### {title}", ""]
    lines += [
        "| clips | countable | exact count | MAE (normalised) | off-by-one | cannot judge "
        "| off-by-one when judged | hold error (s) "
        "| false faults on clean reps | median angle error (deg) | frames with a pose |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {total.clips} | {total.countable} | {_fmt(total.exact_rate, True)} "
        f"| {_fmt(total.mae, digits=3)} | {_fmt(total.oboa, True)} | {total.declined} "
        f"| {_fmt(total.oboa_judged, True)} | {_fmt(total.hold_mae_s)} "
        f"| {_fmt(total.false_fault_rate, True)} | {_fmt(total.median_angle_error, digits=1)} "
        f"| {_fmt(total.pose_share, True)} |",
        "",
    ]
    if total.faults:
        lines += [
            "| fault | TP | FP | FN | precision | recall | F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        for f, t in total.faults.items():
            lines.append(
                f"| {f} | {t.tp} | {t.fp} | {t.fn} | {_fmt(t.precision)} | {_fmt(t.recall)} "
                f"| {_fmt(t.f1)} |"
            )
        if not all(t.labelled for t in total.faults.values()):
            lines += ["", "F1 is blank for a fault the labels never contain: its false alarms "
                      "are in FP and in the false faults on clean reps."]  # fmt: skip
        lines.append("")
    by_ex: dict[str, list[ClipScore]] = {}
    for s in scores:
        by_ex.setdefault(s.exercise, []).append(s)
    lines += [
        "| exercise | clips | exact count | off-by-one | cannot judge "
        "| reps named for the right side |",
        "|---|---|---|---|---|---|",
    ]
    for ex, group in sorted(by_ex.items()):
        countable = [s for s in group if s.countable]
        exact = sum(s.abs_error == 0 for s in countable)
        obo = sum(s.abs_error <= 1 for s in countable)
        declined = sum(not s.judgeable for s in countable)
        named = sum(s.sides_named for s in group)
        sides = f"{sum(s.sides_right for s in group)}/{named}" if named else "-"
        lines.append(
            f"| {ex} | {len(group)} | {exact}/{len(countable)} | {obo}/{len(countable)} "
            f"| {declined} | {sides} |"
        )
    lines.append("")
    lines += view_table(scores)
    return "\n".join(lines)


def view_table(scores: Sequence[ClipScore]) -> list[str]:
    """Angle error against the rig's anatomical truth by camera view (Markdown lines; none
    without anatomical truth): the 3D (sagittal-plane) signal beside the picture's angle."""
    from formcheck.eval.metrics import by_view

    rows = [(of, band) for of in ("azimuth", "elevation") for band in by_view(scores, of)]
    if not rows:
        return []
    lines = [
        "Angle error against the anatomical truth (median of each clip's median |error|, deg):",
        "",
        "| view | clips | 3D signal (body's sagittal plane) | picture's angle |",
        "|---|---|---|---|",
    ]
    for of, ((lo, hi), n, d3, im) in rows:
        what = "off side-on" if of == "azimuth" else "up"
        lines.append(f"| {lo:.0f}-{hi:.0f} deg {what} | {n} | {_fmt(d3, digits=1)} "
                     f"| {_fmt(im, digits=1)} |")  # fmt: skip
    lines.append("")
    return lines


def scores_to_json(scores: Sequence[ClipScore], total: Overall) -> dict[str, object]:
    def clean(v: object) -> object:
        if isinstance(v, float) and math.isnan(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    def tally(t: object) -> dict[str, object]:
        return {"tp": t.tp, "fp": t.fp, "fn": t.fn, "precision": t.precision,  # type: ignore[attr-defined]
                "recall": t.recall, "f1": t.f1}  # type: ignore[attr-defined]  # fmt: skip

    clips = []
    for s in scores:
        d = asdict(s)
        d["faults"] = {f: tally(t) for f, t in s.faults.items()}
        d["abs_error"] = s.abs_error
        d["normalised_error"] = s.normalised_error
        clips.append(d)
    summary = asdict(total)
    summary["faults"] = {f: tally(t) for f, t in total.faults.items()}
    return clean({"schema": "formcheck.eval/1", "overall": summary, "clips": clips})  # type: ignore[return-value]
