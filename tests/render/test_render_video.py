"""VideoSink: WebM that decodes back, atomic output, clear errors."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import FormcheckError
from formcheck.render.video import VideoSink, VideoWriteError


def frames(n: int, w: int = 320, h: int = 240) -> list[np.ndarray]:
    out = []
    for i in range(n):
        f = np.full((h, w, 3), 40, np.uint8)
        cv2.circle(f, (20 + 8 * i, h // 2), 20, (0, 200, 255), -1)
        out.append(f)
    return out


def decode(path: Path) -> tuple[int, tuple[int, int], float]:
    cap = cv2.VideoCapture(str(path))
    n = 0
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    fps = cap.get(cv2.CAP_PROP_FPS)
    while cap.read()[0]:
        n += 1
    cap.release()
    return n, size, fps


@pytest.mark.parametrize("threaded", [True, False])
def test_webm_round_trip(tmp_path: Path, threaded: bool) -> None:
    out = tmp_path / "annotated.webm"
    with VideoSink(out, fps=25.0, threaded=threaded) as sink:
        for f in frames(30):
            sink.write(f)
    assert sink.codec == "vp8" and sink.frames_written == 30
    n, size, fps = decode(out)
    assert (n, size) == (30, (320, 240))
    assert fps == pytest.approx(25.0, abs=0.5)
    assert [p.name for p in tmp_path.iterdir()] == ["annotated.webm"]  # no temp file left


def test_vp9_and_mp4(tmp_path: Path) -> None:
    with VideoSink(tmp_path / "a.webm", fps=30.0, codec="vp9") as sink:
        for f in frames(5):
            sink.write(f)
    assert sink.codec == "vp9" and decode(tmp_path / "a.webm")[0] == 5
    with VideoSink(tmp_path / "b.mp4", fps=30.0) as sink:
        for f in frames(5):
            sink.write(f)
    assert decode(tmp_path / "b.mp4")[:2] == (5, (320, 240))


def test_error_mid_write_leaves_nothing_behind(tmp_path: Path) -> None:
    out = tmp_path / "x.webm"
    with pytest.raises(RuntimeError), VideoSink(out, fps=30.0) as sink:
        for i, f in enumerate(frames(10)):
            sink.write(f)
            if i == 4:
                raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "x.webm"
    out.write_bytes(b"old")
    with pytest.raises(FileExistsError, match="--force"):
        VideoSink(out, fps=30.0)
    with VideoSink(out, fps=30.0, force=True) as sink:
        sink.write(frames(1)[0])
    assert out.read_bytes() != b"old"


def test_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(VideoWriteError, match=r"\.webm"):
        VideoSink(tmp_path / "x.gif", fps=30.0)
    with (
        pytest.raises(VideoWriteError, match="does not exist"),
        VideoSink(tmp_path / "missing" / "x.webm", fps=30.0) as sink,
    ):
        sink.write(frames(1)[0])
    with pytest.raises(VideoWriteError, match="240"), VideoSink(tmp_path / "y.webm", 30.0) as sink:
        sink.write(frames(1)[0])
        sink.write(frames(1, 160, 120)[0])
    err = VideoWriteError("x")
    assert isinstance(err, OSError) and isinstance(err, FormcheckError)
    assert not (tmp_path / "y.webm").exists()


def test_no_frames_creates_no_file(tmp_path: Path) -> None:
    with VideoSink(tmp_path / "x.webm", fps=30.0) as sink:
        pass
    assert sink.close() is None
    assert list(tmp_path.iterdir()) == []
