"""Compare the default stride and model input size with every frame at full size.

Usage::

    .venv/bin/python scripts/compare_stride.py [--out results.json] [CLIPS...]

Without CLIPS it runs the rendered samples (``sample_videos/*.mp4``, exercise from
their truth JSON) and the shared real clips of the five exercises
(``../shared/clips``, ``../shared/clips/dev2``, exercise from ``labels.json``).
Each clip is analysed twice: ``--stride 1`` with the model seeing full-size frames
(the behaviour before striding), and the default (``--stride auto``, frames shrunk
to 960 px before the model). It prints what each run counted and flagged and
whether the two agree; docs/accuracy.md ("Frame striding") holds the results.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from formcheck.exercises.loader import load_config
from formcheck.pipeline import analyze_clip
from formcheck.pose.mediapipe_backend import MediaPipePoseEstimator

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "clips"
LABEL_IDS = {
    "glute_bridge": "bridge",
    "bird_dog": "bird_dog",
    "cat_cow": "cat_cow",
    "childs_pose": "childs_pose",
    "pelvic_tilt": "pelvic_tilt",
}


def default_clips() -> list[tuple[Path, str]]:
    clips = []
    for truth in sorted((REPO / "sample_videos").glob("*.truth.json")):
        exercise = json.loads(truth.read_text())["exercise"]
        clips.append((truth.with_name(truth.name.replace(".truth.json", ".mp4")), exercise))
    for folder in (SHARED, SHARED / "dev2"):
        labels = folder / "labels.json"
        if not labels.is_file():
            continue
        for entry in json.loads(labels.read_text()):
            exercise = LABEL_IDS.get(entry["exercise"])
            if exercise and (folder / entry["file"]).is_file():
                clips.append((folder / entry["file"], exercise))
    return clips


def outcome(clip: Path, exercise: str, **settings: object) -> dict[str, object]:
    start = time.perf_counter()
    result = analyze_clip(
        clip,
        exercise=exercise,
        config=load_config(None),
        estimator_factory=MediaPipePoseEstimator,
        **settings,  # type: ignore[arg-type]
    )
    r = result.report
    return {
        "count": r.summary.rep_count,
        "partial": r.summary.partial_reps,
        "per_side": dict(sorted(r.summary.reps_per_side.items())),
        "judgeable": r.summary.judgeable,
        "rep_faults": [sorted(rep.faults) for rep in r.reps],
        "peaks_s": [round(rep.peak_s, 2) for rep in r.reps],
        "frames_analysed": r.summary.frames,
        "seconds": round(time.perf_counter() - start, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clips", nargs="*", type=Path)
    parser.add_argument("--exercise", help="for CLIPS given on the command line")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    clips = [(c, args.exercise) for c in args.clips] if args.clips else default_clips()
    rows = []
    for clip, exercise in clips:
        full = outcome(clip, exercise, stride=1, model_max_side=None)
        default = outcome(clip, exercise)
        keys = ("count", "partial", "per_side", "judgeable", "rep_faults")
        same = all(full[k] == default[k] for k in keys)
        rows.append({"clip": clip.name, "exercise": exercise, "full": full, "default": default})
        print(
            f"{'same' if same else 'DIFF'}  {clip.name}  {exercise}: "
            f"stride 1 {full['count']} ({full['partial']} partial) {full['rep_faults']} "
            f"in {full['seconds']}s | default {default['count']} ({default['partial']} partial) "
            f"{default['rep_faults']} in {default['seconds']}s",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
