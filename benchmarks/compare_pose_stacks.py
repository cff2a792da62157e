"""Landmarks of one mediapipe stack against another's, IMAGE mode, the same frames.

Run ``dump`` once in each environment (e.g. the old mediapipe 0.10.21 / numpy 1.x
venv and the current one), then ``compare`` the two folders:

    OLD=/path/to/old/.venv/bin/python   # formcheck's src on its PYTHONPATH
    PYTHONPATH=src $OLD benchmarks/compare_pose_stacks.py dump old --model full CLIPS...
    .venv/bin/python benchmarks/compare_pose_stacks.py dump new --model full CLIPS...
    .venv/bin/python benchmarks/compare_pose_stacks.py compare old new

``tracked`` compares two ``formcheck eval --cache`` folders' VIDEO-mode recordings
(the analysis path, tracking included) of the same clips, e.g. tags ``full@0.10.21``
and ``full@1.2.3``.

IMAGE mode (no tracking) makes each frame independent, so a difference is the
runtime's, not a tracker that drifted. Every ``--every``-th frame is used; each
frame's decoded pixels are hashed, so ``compare`` also says whether the two
OpenCV builds decoded the same pixels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np


def dump(out: Path, model: str, clips: list[Path], every: int) -> None:
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import vision
    from mediapipe.tasks.python.core.base_options import BaseOptions

    from formcheck.pose.models import load_model
    from formcheck.sources import open_source

    bundle, model_id = load_model(model)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "mediapipe": mp.__version__,
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "model": model_id,
    }
    (out / "stack.json").write_text(json.dumps(meta, indent=1))  # first: a partial dump compares
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_buffer=bundle),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=1,
    )
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for clip in clips:
            rows, hashes, indices = [], [], []
            with open_source(clip) as source:
                for frame in source:
                    if frame.index % every:
                        continue
                    rgb = np.ascontiguousarray(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB))
                    hashes.append(hashlib.md5(rgb.tobytes()).hexdigest())
                    result = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
                    row = np.full((33, 4), np.nan, np.float64)
                    if result.pose_landmarks:
                        row[:] = [
                            (p.x, p.y, p.z, p.visibility or 0.0) for p in result.pose_landmarks[0]
                        ]
                    rows.append(row)
                    indices.append(frame.index)
                width, height = source.info.width, source.info.height
            np.savez_compressed(
                out / f"{clip.stem}.npz",
                landmarks=np.array(rows),
                indices=np.array(indices),
                hashes=np.array(hashes),
                size=np.array([width, height]),
            )
            print(f"{clip.name}: {len(rows)} frames", file=sys.stderr)


def _fmt(values: np.ndarray, statistic) -> str:
    return f"{statistic(values):.3f}" if values.size else "-"


def compare(old: Path, new: Path) -> None:
    meta_old, meta_new = (
        json.loads((d / "stack.json").read_text()) if (d / "stack.json").exists() else "?"
        for d in (old, new)
    )
    print(f"old: {meta_old}\nnew: {meta_new}\n")
    print(
        "| clip | frames | same pixels | pose in both / either | x,y diff px median | p99 | max "
        "| visibility diff max | z diff max (x-units) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    all_xy: list[np.ndarray] = []
    for path in sorted(old.glob("*.npz")):
        other = new / path.name
        if not other.exists():
            continue
        a, b = np.load(path), np.load(other)
        if not np.array_equal(a["indices"], b["indices"]):
            print(f"| {path.stem} | frame indices differ: not compared |")
            continue
        width, height = (int(v) for v in a["size"])
        la, lb = a["landmarks"], b["landmarks"]
        seen_a, seen_b = ~np.isnan(la[:, 0, 0]), ~np.isnan(lb[:, 0, 0])
        both = seen_a & seen_b
        same = int(np.sum(a["hashes"] == b["hashes"]))
        xy = np.abs(la[both, :, :2] - lb[both, :, :2]) * [width, height]
        xy = np.hypot(xy[..., 0], xy[..., 1]).ravel()
        all_xy.append(xy)
        vis = np.abs(la[both, :, 3] - lb[both, :, 3])
        z = np.abs(la[both, :, 2] - lb[both, :, 2]) * width
        print(
            f"| {path.stem} | {len(la)} | {same}/{len(la)} | {int(both.sum())}/"
            f"{int((seen_a | seen_b).sum())} | {_fmt(xy, np.median)} | "
            f"{_fmt(xy, lambda v: np.percentile(v, 99))} | {_fmt(xy, np.max)} | "
            f"{_fmt(vis, np.max)} | {_fmt(z, np.max)} |"
        )
    if all_xy:
        xy = np.concatenate(all_xy)
        print(
            f"\nall clips: {xy.size} landmark positions; x,y difference median "
            f"{np.median(xy):.4f} px, p99 {np.percentile(xy, 99):.4f} px, max {xy.max():.4f} px"
        )


def tracked(cache: Path, old_tag: str, new_tag: str) -> None:
    from formcheck.pose.recording import PoseRecording

    print("| clip (cache key) | frames | pose in both / either | x,y diff px median | p99 | max |")
    print("|---|---|---|---|---|---|")
    for old_file in sorted(cache.glob(f"*-{old_tag}.npz")):
        new_file = old_file.with_name(old_file.name.replace(old_tag, new_tag))
        if not new_file.exists():
            continue
        a, b = PoseRecording.load(old_file), PoseRecording.load(new_file)
        both = a.detected & b.detected
        xy = np.hypot(*np.moveaxis(a.xy[both] - b.xy[both], -1, 0)).ravel()
        print(
            f"| {a.source or old_file.stem} | {len(a)} | {int(both.sum())}/"
            f"{int((a.detected | b.detected).sum())} | {_fmt(xy, np.median)} | "
            f"{_fmt(xy, lambda v: np.percentile(v, 99))} | {_fmt(xy, np.max)} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="landmarks of every N-th frame of each clip")
    d.add_argument("out", type=Path)
    d.add_argument("clips", type=Path, nargs="+")
    d.add_argument("--model", default="full", help="lite, full, heavy or a .task file")
    d.add_argument("--every", type=int, default=5)
    c = sub.add_parser("compare", help="print the differences between two dumps")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    t = sub.add_parser("tracked", help="compare eval-cache recordings of two model tags")
    t.add_argument("cache", type=Path)
    t.add_argument("old_tag")
    t.add_argument("new_tag")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.model, args.clips, args.every)
    elif args.command == "tracked":
        tracked(args.cache, args.old_tag, args.new_tag)
    else:
        compare(args.old, args.new)


if __name__ == "__main__":
    main()
