"""Damaged videos: decoding goes on past unreadable frames, with their real times.

The corpus is made here from a bundled rendered clip (405 frames, 3 bridge
reps): 20 KB of random bytes over the middle of the data, over its first
frames, over the index (``moov`` box), and the whole clip under a wrong
extension. Each is checked against what plain OpenCV can decode from it (every
frame ``read()`` returns, however many reads fail in between), so "recovered"
is measured against what is there to recover, not against a number typed in.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from robust_helpers import assert_one_line_error, invoke, read_json

from formcheck.errors import InputError
from formcheck.exercises.loader import load_config
from formcheck.pipeline import analyze_clip
from formcheck.report.build import DAMAGED_REASON
from formcheck.sources import open_source
from formcheck.types import Frame, PoseFrame

REPO = Path(__file__).resolve().parents[2]
CLIP = REPO / "sample_videos" / "bridge_clean.mp4"
DAMAGE_BYTES = 20_000


def damaged(folder: Path, where: str) -> Path:
    """A copy of the clip with 20 KB of random bytes at ``where``."""
    data = bytearray(CLIP.read_bytes())
    offset = {
        "middle": len(data) // 2,
        "start": data.find(b"mdat") + 8,  # the first frames' data
        "index": data.find(b"moov") + 200,
    }[where]
    size = DAMAGE_BYTES if where != "index" else 2_000  # the whole moov box is ~2.6 KB
    data[offset : offset + size] = np.random.default_rng(23).bytes(size)
    path = folder / f"{where}.mp4"
    path.write_bytes(bytes(data))
    return path


def opencv_decodable(path: Path, give_up: int = 500) -> int:
    """Frames plain OpenCV returns from ``path``, reading on through failed reads."""
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    good = failed = 0
    while capture.isOpened() and failed <= give_up:
        ok, _ = capture.read()
        good, failed = (good + 1, 0) if ok else (good, failed + 1)
    capture.release()
    return good


def read_all(path: Path) -> tuple[list[float], object]:
    with open_source(path) as source:
        times = [frame.timestamp_s for frame in source]
    return times, source


def test_a_damaged_middle_is_skipped_and_decoding_goes_on_to_the_end(tmp_path: Path) -> None:
    clip = damaged(tmp_path, "middle")
    times, source = read_all(clip)
    decodable = opencv_decodable(clip)
    assert 300 < decodable < 405  # the damage costs frames, and some are left after it
    assert len(times) == decodable  # before the fix: 205, the first failed read ended it
    assert times[-1] == pytest.approx(404 / 30, abs=0.05)  # to the real end of the clip
    (after, before, lost), *more = source.gaps
    assert not more and lost == 405 - decodable
    # Real times: the frames after the gap keep theirs (not index / fps).
    assert before - after == pytest.approx((lost + 1) / 30, abs=1e-3)
    assert times == sorted(set(times))
    assert not source.truncated
    assert any("damaged frame(s) could not be decoded" in w for w in source.warnings)
    assert not any("stopped after" in w for w in source.warnings)


def test_damaged_opening_frames_keep_their_time(tmp_path: Path) -> None:
    clip = damaged(tmp_path, "start")
    times, source = read_all(clip)
    assert len(times) == opencv_decodable(clip)
    (after, before, lost), *_ = source.gaps
    # The first decodable frame is shown at its own time, not moved to 0.
    assert after == 0.0 and times[0] == pytest.approx(before) == pytest.approx(lost / 30)


def test_the_end_of_a_clip_is_not_taken_for_damage(tmp_path: Path) -> None:
    times, source = read_all(CLIP)
    assert len(times) == 405 and source.gaps == [] and source.warnings == []


def test_a_damaged_index_is_one_line_naming_it(tmp_path: Path) -> None:
    clip = damaged(tmp_path, "index")
    assert opencv_decodable(clip) == 0  # nothing to recover without the index
    with pytest.raises(InputError, match="damaged index"):
        open_source(clip)
    result = invoke("analyze", clip, "--exercise", "bridge", "-q")
    assert_one_line_error(result, "damaged index ('moov' box)")


def test_a_wrong_extension_is_read_by_its_content(tmp_path: Path) -> None:
    clip = tmp_path / "clip.avi"
    clip.write_bytes(CLIP.read_bytes())
    times, source = read_all(clip)
    assert len(times) == opencv_decodable(clip) == 405 and source.gaps == []


class NoPerson:
    """A stand-in estimator (no model): nobody in any frame."""

    model_id = "none"

    def estimate(self, frame: Frame) -> PoseFrame:
        h, w = frame.image.shape[:2]
        return PoseFrame(timestamp_s=frame.timestamp_s, index=frame.index, image_size=(w, h))

    def __enter__(self) -> NoPerson:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_the_gap_is_reported_as_unjudged_time(tmp_path: Path) -> None:
    clip = damaged(tmp_path, "middle")
    report = analyze_clip(
        clip, exercise="bridge", config=load_config(None), estimator_factory=NoPerson
    ).report
    gaps = [u for u in report.unjudged if u.reason == DAMAGED_REASON]
    assert [(g.start_s, g.end_s) for g in gaps] == [(6.8, pytest.approx(7.233, abs=1e-3))]
    assert report.source is not None and report.source.duration_s == pytest.approx(13.467)
    assert any("damaged frame(s)" in w for w in report.warnings)


@pytest.mark.slow
def test_the_rep_after_the_damage_is_counted(tmp_path: Path) -> None:
    """MediaPipe on the damaged clip: all three reps (before the fix: two, exit 0)."""
    clip = damaged(tmp_path, "middle")
    out = tmp_path / "r.json"
    result = invoke("analyze", clip, "--exercise", "bridge", "--json", out, "-q")
    assert result.exit_code == 0, result.output
    report = read_json(out)
    assert report["summary"]["rep_count"] == 3
    assert any(u["reason"] == DAMAGED_REASON for u in report["unjudged"])


class ReorderingCapture:
    """A decoder with a reorder delay (H.264): reads fail on a damaged stretch, then the
    frames it held before the damage come out, and only then the jump in time.

    Frames 0-9 decode, 3 reads fail, frames 10-11 (held) come out, frames 12-35 are
    lost, and 36-59 decode: 30 fps, 60 frames announced.
    """

    def __init__(self) -> None:
        kept = [*range(12), *range(36, 60)]
        self.script: list[int | None] = [*kept[:10], None, None, None, *kept[10:]]
        self.at = -1
        self.frame = -1

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.at += 1
        if self.at >= len(self.script) or self.script[self.at] is None:
            return False, None
        self.frame = self.script[self.at]  # type: ignore[assignment]
        return True, np.zeros((24, 32, 3), np.uint8)

    def get(self, prop_id: int) -> float:
        return {
            cv2.CAP_PROP_POS_MSEC: self.frame * 1000 / 30,
            cv2.CAP_PROP_FPS: 30.0,
            cv2.CAP_PROP_FRAME_COUNT: 60.0,
        }.get(prop_id, 0.0)

    def set(self, prop_id: int, value: float) -> bool:
        return False

    def release(self) -> None:
        pass


def test_a_gap_is_placed_where_the_time_jumps_after_the_failed_reads() -> None:
    from formcheck.sources.capture import CaptureSource

    source = CaptureSource.start(ReorderingCapture(), "h264.mp4")
    assert source is not None
    with source:
        times = [f.timestamp_s for f in source]
    assert len(times) == 36
    # Not 9-10 (where the reads failed): 11-36, where the frames are missing.
    assert source.gaps == [(pytest.approx(11 / 30), pytest.approx(36 / 30), 24)]
