"""Labelled clips for evaluation, from two formats.

1. Ground truth written by ``formcheck synth`` (``<clip>.truth.json``, schema
   ``formcheck.truth/1``): exact reps, holds, sides, faults per rep and the true
   image-plane angles per frame. Reps marked ``partial`` (cut by the clip's edge, or an
   attempt too small to count) are left out of the count. The clip is the video beside
   it with the same stem.
2. Hand labels in the shared format (a JSON list, as ``../shared/clips/labels.json``):
   one object per clip with ``file``, ``exercise``, ``human_rep_count`` (``null``
   when a human could not count), optional ``rep_peak_times_s`` and
   ``faults`` (a list of fault ids seen). Paths are relative to the label file.

``LABELS`` given to ``formcheck eval`` may be a truth file, a hand-label file, or a
folder holding either (truth files are found recursively).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from formcheck.errors import ConfigError, InputError
from formcheck.exercises.registry import resolve_id

TRUTH_SCHEMA = "formcheck.truth/1"
VIDEO_SUFFIXES = (".mp4", ".webm", ".mov", ".avi", ".mkv")


@dataclass(frozen=True)
class TrueRep:
    start_s: float
    peak_s: float
    end_s: float
    side: str | None = None
    hold_s: float | None = None
    faults: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LabelledClip:
    """One clip and what is known to be true about it."""

    path: Path
    exercise: str
    count: int | None  # None: a human could not count it
    reps: tuple[TrueRep, ...] = ()  # empty when only the count is known
    faults: frozenset[str] = frozenset()  # fault ids known to occur in the clip
    fault_labels_known: bool = False  # whether absence of a fault is known too
    angles: dict[str, np.ndarray] = field(default_factory=dict)  # truth name -> per frame
    # The rig's true angles in the body's own planes (synthetic truth only), per frame.
    anatomical: dict[str, np.ndarray] = field(default_factory=dict)
    camera: dict[str, float] = field(default_factory=dict)  # azimuth_deg, elevation_deg, ...
    fps: float | None = None
    source: str = "hand"  # "synthetic" or "hand"
    note: str = ""


def _video_beside(truth_file: Path) -> Path:
    stem = truth_file.name.removesuffix(".truth.json")
    for suffix in VIDEO_SUFFIXES:
        candidate = truth_file.with_name(stem + suffix)
        if candidate.exists():
            return candidate
    raise InputError(f"no video beside {truth_file} (looked for {stem}.mp4/.webm/...)")


def load_truth(path: Path) -> LabelledClip:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != TRUTH_SCHEMA:
        raise InputError(f"{path}: not a formcheck truth file (schema {data.get('schema')!r})")
    reps = []
    for r in data.get("reps", []):
        if r.get("partial"):
            # Cut by the clip's edge, or an attempt too small to count: not a rep to count
            # (formcheck reports edge reps as partial, outside the count).
            continue
        hold = None
        if r.get("hold_start_s") is not None and r.get("hold_end_s") is not None:
            hold = float(r["hold_end_s"]) - float(r["hold_start_s"])
        reps.append(
            TrueRep(
                start_s=float(r["start_s"]),
                peak_s=float(r["peak_s"]),
                end_s=float(r["end_s"]),
                side=r.get("side"),
                hold_s=hold,
                faults=frozenset(r.get("faults", [])),
            )
        )
    angles = {k: _floats(vals) for k, vals in data.get("angles", {}).items()}
    anatomical = {k: _floats(vals) for k, vals in data.get("anatomical_angles", {}).items()}
    if not anatomical and data.get("landmarks_3d"):
        # Truth written before anatomical angles were: the same from its 3D joint centres.
        from formcheck.synth.groundtruth import anatomical_angles

        lm3 = np.asarray(
            [[p if p is not None else [np.nan] * 3 for p in f] for f in data["landmarks_3d"]],
            dtype=float,
        )
        anatomical = anatomical_angles(lm3)
    return LabelledClip(
        path=_video_beside(path),
        exercise=resolve_id(data["exercise"]),
        count=len(reps),
        reps=tuple(reps),
        faults=frozenset(f for r in reps for f in r.faults),
        fault_labels_known=True,
        angles=angles,
        anatomical=anatomical,
        camera={k: float(v) for k, v in (data.get("camera") or {}).items()},
        fps=float(data.get("fps", 30.0)),
        source="synthetic",
    )


def _floats(vals: list) -> np.ndarray:
    return np.asarray([np.nan if v is None else v for v in vals], dtype=float)


def load_hand_labels(path: Path) -> list[LabelledClip]:
    """Hand labels; exercises outside the programme are skipped."""
    items = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON list of clip labels")
    clips: list[LabelledClip] = []
    for item in items:
        try:
            exercise = resolve_id(str(item["exercise"]))
        except ConfigError:
            continue  # squat, plank, ...: not one of the five
        except KeyError:
            raise InputError(f"{path}: a label has no 'exercise'") from None
        if "file" not in item:
            raise InputError(f"{path}: a label has no 'file'")
        peaks = item.get("rep_peak_times_s") or []
        count = item.get("human_rep_count")
        reps = ()
        if count is not None and len(peaks) == count:
            reps = tuple(TrueRep(p, p, p) for p in peaks)
        faults = item.get("faults")
        clips.append(
            LabelledClip(
                path=(path.parent / item["file"]).resolve(),
                exercise=exercise,
                count=count,
                reps=reps,
                faults=frozenset(faults or []),
                fault_labels_known=isinstance(faults, list),
                fps=item.get("fps"),
                source="hand",
                note=str(item.get("rep_note", "")),
            )
        )
    return clips


def load_labels(path: Path) -> list[LabelledClip]:
    """Every labelled clip under ``path`` (a file or a folder)."""
    if not path.exists():
        raise InputError(f"labels not found: {path}")
    if path.is_dir():
        truth = sorted(path.rglob("*.truth.json"))
        hand = [p for p in sorted(path.glob("*.json")) if not p.name.endswith(".truth.json")]
        clips = [load_truth(p) for p in truth]
        for p in hand:
            try:
                clips += load_hand_labels(p)
            except (InputError, json.JSONDecodeError):
                continue  # other JSON in the folder (reports, results)
        if not clips:
            raise InputError(f"no labels found in {path} (*.truth.json or a labels .json list)")
        return clips
    try:
        if path.name.endswith(".truth.json"):
            return [load_truth(path)]
        return load_hand_labels(path)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None


__all__ = ["LabelledClip", "TrueRep", "load_labels"]
