"""Damaged-video corpus: frames formcheck recovers against what OpenCV can decode.

Usage::

    .venv/bin/python benchmarks/corrupt_corpus.py [CLIP]

Makes each damaged copy of CLIP (default ``sample_videos/bridge_clean.mp4``) in a
temporary folder (nothing is kept): 20 KB of random bytes over the middle of the
data, over the first frames, 2 KB over the index (``moov`` box), the clip under
a wrong extension (``.avi``), and the clip cut at 60% (its index, written last,
is lost). "OpenCV" counts every frame ``read()`` returns, reading on through up
to 500 failed reads in a row; "formcheck" is what ``open_source`` yields.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OPENCV_LOG_LEVEL", "SILENT")
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

import cv2
import numpy as np

from formcheck.errors import InputError
from formcheck.sources import open_source

REPO = Path(__file__).resolve().parents[1]


def variants(clip: Path) -> dict[str, tuple[str, bytes]]:
    data = clip.read_bytes()
    rng = np.random.default_rng(23)

    def over(offset: int, size: int) -> bytes:
        out = bytearray(data)
        out[offset : offset + size] = rng.bytes(size)
        return bytes(out)

    return {
        "damage in the middle (20 KB)": (".mp4", over(len(data) // 2, 20_000)),
        "damage at the start (20 KB)": (".mp4", over(data.find(b"mdat") + 8, 20_000)),
        "damage in the index (2 KB of moov)": (".mp4", over(data.find(b"moov") + 200, 2_000)),
        "wrong extension (.avi)": (".avi", data),
        "cut at 60% (index lost)": (".mp4", data[: len(data) * 6 // 10]),
    }


def opencv_decodable(path: Path, give_up: int = 500) -> int:
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    good = failed = 0
    while capture.isOpened() and failed <= give_up:
        ok, _ = capture.read()
        good, failed = (good + 1, 0) if ok else (good, failed + 1)
    capture.release()
    return good


def main() -> None:
    clip = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "sample_videos" / "bridge_clean.mp4"
    print(f"{clip.name}: {opencv_decodable(clip)} frames decodable when whole")
    print(f"{'case':38} {'OpenCV':>7} {'formcheck':>10}  what the user is told")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (suffix, data) in variants(clip).items():
            path = Path(tmp) / f"case{suffix}"
            path.write_bytes(data)
            decodable = opencv_decodable(path)
            try:
                with open_source(path) as source:
                    recovered = sum(1 for _ in source)
                said = "; ".join(source.warnings) or "(nothing: read whole)"
            except InputError as exc:
                recovered, said = 0, f"error: {exc}"
            print(f"{name:38} {decodable:7d} {recovered:10d}  {said.replace(str(path), 'PATH')}")


if __name__ == "__main__":
    main()
