"""Frame sources: formats, timing, rotation, image folders and every bad input."""

from __future__ import annotations

import inspect
import itertools
import os
import struct
import tracemalloc
import wave
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.errors import FormcheckError, InputError
from formcheck.sources import (
    CaptureSource,
    FrameSource,
    TimestampClock,
    open_source,
)
from formcheck.sources.capture import normalise_rotation, upright
from formcheck.sources.images import natural_key
from formcheck.sources.sniff import Content, looks_like_mpeg_audio, sniff

SIZE = (96, 64)  # (width, height) of the synthetic clips
FPS = 25.0


def moving_square(index: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    """``(h, w, 3)`` BGR: a white square in the top-left corner region, moving right."""
    width, height = size
    image = np.zeros((height, width, 3), np.uint8)
    x = 4 + 3 * index % (width - 20)
    image[4:20, x : x + 16] = 255
    return image


def write_clip(
    path: Path, fourcc: str = "mp4v", frames: int = 20, fps: float = FPS, size=SIZE
) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
    assert writer.isOpened(), f"cannot write {fourcc} to {path.suffix}"
    for i in range(frames):
        writer.write(moving_square(i, size))
    writer.release()
    return path


def set_mp4_rotation(path: Path, degrees: int) -> None:
    """Write a display matrix into the mp4's track header, as phones do."""
    one = 1 << 16
    matrices = {
        90: (0, one, 0, -one, 0, 0, 0, 0, 1 << 30),
        180: (-one, 0, 0, 0, -one, 0, 0, 0, 1 << 30),
        270: (0, -one, 0, one, 0, 0, 0, 0, 1 << 30),
    }
    data = bytearray(path.read_bytes())
    tkhd = data.find(b"tkhd")
    assert tkhd > 0 and data[tkhd + 4] == 0  # version 0 header
    # 'tkhd' + version/flags + times, track id, reserved, duration + reserved, layer... = 44
    data[tkhd + 44 : tkhd + 80] = struct.pack(">9i", *matrices[degrees])
    path.write_bytes(bytes(data))


def assert_one_line_input_error(excinfo: pytest.ExceptionInfo, *words: str) -> None:
    message = str(excinfo.value)
    assert isinstance(excinfo.value, FormcheckError)
    assert "\n" not in message and message.strip() == message
    for word in words:
        assert word in message, message


# --- formats and timing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fourcc", "suffix"),
    [("mp4v", ".mp4"), ("mp4v", ".mov"), ("MJPG", ".avi"), ("VP80", ".webm"), ("XVID", ".mkv")],
)
def test_video_formats_give_all_frames_timed_at_fps(tmp_path: Path, fourcc: str, suffix: str):
    path = write_clip(tmp_path / f"clip{suffix}", fourcc, frames=20)
    with open_source(path) as source:
        assert isinstance(source, FrameSource)
        assert (source.info.width, source.info.height) == SIZE
        assert source.info.fps == pytest.approx(FPS)
        assert source.info.frame_count == 20
        assert source.info.extra["backend"] == "FFMPEG" and source.info.extra["codec"]
        frames = list(source)
    assert [f.index for f in frames] == list(range(20))
    times = np.array([f.timestamp_s for f in frames])
    np.testing.assert_allclose(times, np.arange(20) / FPS, atol=1e-6)
    assert all(f.image.shape == (SIZE[1], SIZE[0], 3) and f.image.dtype == np.uint8 for f in frames)
    assert not source.truncated and source.warnings == []


def test_animated_gif_keeps_its_variable_frame_times(tmp_path: Path):
    image_module = pytest.importorskip("PIL.Image")
    durations_ms = [100, 100, 200, 50, 100, 100]
    pictures = [image_module.fromarray(np.full((32, 48, 3), 40 * i, np.uint8)) for i in range(6)]
    path = tmp_path / "wave.gif"
    pictures[0].save(path, save_all=True, append_images=pictures[1:], duration=durations_ms)
    with open_source(path) as source:
        frames = list(source)
    assert len(frames) == 6
    expected = np.concatenate([[0], np.cumsum(durations_ms[:-1])]) / 1000
    np.testing.assert_allclose([f.timestamp_s for f in frames], expected, atol=1e-6)
    assert frames[0].size == (48, 32)


def test_iteration_is_a_generator_and_memory_does_not_grow(tmp_path: Path):
    size = (320, 240)
    path = write_clip(tmp_path / "long.avi", "MJPG", frames=120, size=size)
    frame_bytes = size[0] * size[1] * 3
    with open_source(path) as source:
        iterator = iter(source)
        assert inspect.isgenerator(iterator)
        tracemalloc.start()
        count = sum(1 for _ in iterator)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert count == 120
    assert peak < 10 * frame_bytes  # 120 frames held would be 12x more


def test_timestamp_clock_trusts_increasing_container_times():
    clock = TimestampClock(30.0)
    vfr_ms = [0.0, 33.3, 50.0, 120.0, 121.0]
    assert [clock.timestamp(i, t) for i, t in enumerate(vfr_ms)] == pytest.approx(
        [t / 1000 for t in vfr_ms]
    )
    assert clock.fallbacks == 0


def test_timestamp_clock_falls_back_on_zero_missing_or_backwards_times():
    clock = TimestampClock(10.0)
    got = [
        clock.timestamp(0, 0.0),
        clock.timestamp(1, 0.0),  # backend knows no time
        clock.timestamp(2, float("nan")),
        clock.timestamp(3, 500.0),  # container time jumps ahead: trusted
        clock.timestamp(4, 500.0),  # repeat: one period on
        clock.timestamp(5, -3.7e20),  # FFmpeg's "no time"
        clock.timestamp(6, None),
    ]
    assert got == pytest.approx([0.0, 0.1, 0.2, 0.5, 0.6, 0.7, 0.8])
    assert clock.fallbacks == 5
    assert all(b > a for a, b in itertools.pairwise(got))


def test_timestamp_clock_counts_from_the_first_frame():
    clock = TimestampClock(30.0)
    assert clock.timestamp(0, 5000.0) == 0.0
    assert clock.timestamp(1, 5040.0) == pytest.approx(0.04)


class FakeCapture:
    """Stands in for cv2.VideoCapture: frames with the given container times (ms)."""

    def __init__(self, times_ms: list[float], fps: float = 30.0, rotation: float = 0.0) -> None:
        self.times_ms = times_ms
        self.props = {
            cv2.CAP_PROP_FPS: fps,
            cv2.CAP_PROP_FRAME_COUNT: float(len(times_ms)),
            cv2.CAP_PROP_ORIENTATION_META: rotation,
        }
        self.position = -1
        self.released = False

    def read(self):
        self.position += 1
        if self.position >= len(self.times_ms):
            return False, None
        return True, moving_square(self.position)

    def get(self, prop_id: int) -> float:
        if prop_id == cv2.CAP_PROP_POS_MSEC:
            return self.times_ms[self.position]
        return self.props.get(prop_id, 0.0)

    def set(self, prop_id: int, value: float) -> bool:
        return prop_id == cv2.CAP_PROP_ORIENTATION_AUTO

    def release(self) -> None:
        self.released = True


def test_variable_frame_rate_times_come_from_the_container():
    times = [0.0, 30.0, 70.0, 70.0, 140.0, 0.0, 180.0]  # a repeat and a zero
    capture = FakeCapture(times, fps=25.0)
    source = CaptureSource.start(capture, "phone.mp4")
    assert source is not None
    with source:
        got = [f.timestamp_s for f in source]
    assert got == pytest.approx([0.0, 0.03, 0.07, 0.11, 0.14, 0.18, 0.22])
    assert capture.released
    assert any("timed at 25 fps" in w for w in source.warnings)


def test_camera_frames_are_timed_by_the_wall_clock():
    ticks = iter([100.0, 100.05, 100.2, 100.21])
    capture = FakeCapture([0.0] * 4)
    source = CaptureSource.start(capture, "camera 0", live=True, wall_clock=lambda: next(ticks))
    assert source is not None and source.info.frame_count is None
    got = [f.timestamp_s for f in source]
    assert got == pytest.approx([0.0, 0.05, 0.2, 0.21])
    assert not source.truncated


def test_fake_capture_rotation_metadata_is_applied():
    source = CaptureSource.start(FakeCapture([0.0, 40.0], rotation=-90.0), "x.mp4")
    assert source is not None
    assert source.info.rotation == 270
    assert (source.info.width, source.info.height) == (SIZE[1], SIZE[0])
    assert all(f.size == (SIZE[1], SIZE[0]) for f in source)


# --- rotation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("degrees", "expected"), [(0, 0), (90, 90), (-90, 270), (180, 180), (-180, 180), (450, 90)]
)
def test_normalise_rotation(degrees: float, expected: int):
    assert normalise_rotation(degrees) == expected


def test_upright_rotates_clockwise():
    image = np.zeros((2, 3, 3), np.uint8)
    image[0, 0] = 255  # top-left
    assert upright(image, 90)[0, 1, 0] == 255  # -> top-right of the (3, 2) image
    assert upright(image, 180)[1, 2, 0] == 255
    assert upright(image, 270)[2, 0, 0] == 255
    assert upright(image, 0) is image


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_phone_rotation_metadata_gives_upright_frames(tmp_path: Path, degrees: int):
    path = write_clip(tmp_path / "phone.mp4", frames=5)
    set_mp4_rotation(path, degrees)
    with open_source(path) as source:
        frames = list(source)
    info = source.info
    assert info.rotation == degrees
    expected = np.ascontiguousarray(upright(moving_square(0), degrees))
    assert (info.width, info.height) == (expected.shape[1], expected.shape[0])
    assert all(f.size == (info.width, info.height) for f in frames)
    # The square (the only bright area) lands where a clockwise turn puts it.
    bright = np.argwhere(frames[0].image[:, :, 1] > 128).mean(axis=0)
    want = np.argwhere(expected[:, :, 1] > 128).mean(axis=0)
    np.testing.assert_allclose(bright, want, atol=2)


# --- image folders, single images, odd paths ------------------------------------------


def write_images(folder: Path, names: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        image = np.full((24, 32, 3), 10 * (i + 1), np.uint8)
        ok, data = cv2.imencode(Path(name).suffix, image)
        assert ok
        (folder / name).write_bytes(data.tobytes())


def test_image_folder_is_sorted_naturally_and_timed_from_fps(tmp_path: Path):
    # Written in this order, so image i has grey level 10 * (i + 1).
    names = ["frame1.png", "frame2.png", "frame10.png", "Frame11.jpg"]
    write_images(tmp_path / "shots", names)
    (tmp_path / "shots" / "notes.txt").write_text("not an image")
    with open_source(tmp_path / "shots", fps=10) as source:
        frames = list(source)
    assert source.info.frame_count == 4 and source.info.fps == 10
    assert [int(f.image[0, 0, 0]) for f in frames] == [10, 20, 30, 40]
    assert [f.timestamp_s for f in frames] == pytest.approx([0.0, 0.1, 0.2, 0.3])


def test_image_folder_defaults_to_30_fps_and_skips_broken_images(tmp_path: Path):
    write_images(tmp_path / "shots", ["a1.png", "a3.png"])
    (tmp_path / "shots" / "a2.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    with open_source(tmp_path / "shots") as source:
        frames = list(source)
    assert [f.index for f in frames] == [0, 2]
    assert [f.timestamp_s for f in frames] == pytest.approx([0.0, 2 / 30])
    assert len(source.warnings) == 1 and "a2.png" in source.warnings[0]


def test_natural_key_orders_numbers_by_value():
    names = ["img10.png", "img2.png", "IMG1.png", "img2b.png"]
    assert sorted(names, key=natural_key) == ["IMG1.png", "img2.png", "img2b.png", "img10.png"]


def test_a_single_image_is_a_one_frame_source(tmp_path: Path):
    write_images(tmp_path, ["pose.jpg"])
    with open_source(str(tmp_path / "pose.jpg")) as source:
        frames = list(source)
    assert len(frames) == 1 and frames[0].size == (32, 24) and frames[0].timestamp_s == 0.0


def test_paths_with_spaces_and_non_ascii_names(tmp_path: Path):
    folder = tmp_path / "moje klipy" / "cvičení žluť"
    folder.mkdir(parents=True)
    clip = write_clip(folder / "most mostík ř 1.mp4", frames=6)
    with open_source(str(clip)) as source:
        assert len(list(source)) == 6
    write_images(folder / "snímky s mezerou", ["š 1.png", "š 2.png"])
    with open_source(folder / "snímky s mezerou") as source:
        assert len(list(source)) == 2


# --- truncated files --------------------------------------------------------------------


@pytest.mark.parametrize(("fourcc", "suffix"), [("MJPG", ".avi"), ("XVID", ".mkv")])
def test_truncated_file_yields_what_it_can_and_flags_it(tmp_path: Path, fourcc, suffix):
    full = write_clip(tmp_path / f"full{suffix}", fourcc, frames=40)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with open_source(cut) as source:
        frames = list(source)  # must not raise mid-stream
    assert 0 < len(frames) < 40
    assert source.truncated
    assert any("truncated" in w for w in source.warnings)


def test_truncated_mp4_without_index_raises(tmp_path: Path):
    full = write_clip(tmp_path / "full.mp4", frames=40)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(InputError) as excinfo:
        open_source(cut)
    assert_one_line_input_error(excinfo, "cut.mp4", "truncated")


# --- bad inputs --------------------------------------------------------------------------


def write_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x01" * 800)
    return path


def png_bytes() -> bytes:
    ok, data = cv2.imencode(".png", moving_square(0))
    assert ok
    return data.tobytes()


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def empty_folder(path: Path) -> Path:
    path.mkdir()
    return path


BAD_INPUTS = {
    "missing": (lambda d: d / "nope.mp4", ("file not found", "nope.mp4")),
    "empty folder": (lambda d: empty_folder(d / "empty"), ("no images",)),
    "zero bytes": (lambda d: put(d / "z.mp4", b""), ("empty (0 bytes)",)),
    "text": (lambda d: put(d / "t.mp4", b"hello\n" * 20), ("text file",)),
    "image renamed": (lambda d: put(d / "pic.mp4", png_bytes()), ("PNG image, not a video",)),
    "wav": (lambda d: write_wav(d / "voice.wav"), ("audio only",)),
    "wav renamed": (lambda d: write_wav(d / "voice.mp4"), ("audio only",)),
    "m4a": (lambda d: put(d / "memo.m4a", b"\0\0\0\x20ftypM4A " + bytes(100)), ("audio only",)),
    "mp3": (lambda d: put(d / "song.mp4", (b"\xff\xfb\x90\x64" + bytes(413)) * 9), ("audio only",)),
    "random bytes": (
        # Seed 1 starts with an MPEG-audio-like sync; it must not be called audio.
        lambda d: put(d / "r.mp4", np.random.default_rng(1).bytes(4000)),
        ("not a video",),
    ),
    "mkv header only": (
        lambda d: put(d / "h.mkv", write_clip(d / "whole.mkv", "XVID").read_bytes()[:200]),
        ("damaged, truncated or uses an unsupported codec",),
    ),
    "unknown codec": (
        lambda d: put(
            d / "codec.avi",
            write_clip(d / "whole.avi", "MJPG").read_bytes().replace(b"MJPG", b"ZZZZ"),
        ),
        ("unsupported codec",),
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_inputs_raise_one_line_input_error(tmp_path: Path, case: str):
    make, words = BAD_INPUTS[case]
    path = make(tmp_path)
    with pytest.raises(InputError) as excinfo:
        open_source(path)
    assert_one_line_input_error(excinfo, *words)


def test_unreadable_file_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_clip(tmp_path / "locked.mp4", frames=3)
    real_access = os.access
    # Root can read anything, so fake the permission check rather than chmod.
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(InputError) as excinfo:
        open_source(path)
    assert_one_line_input_error(excinfo, "no permission", "locked.mp4")


def test_missing_camera_raises():
    with pytest.raises(InputError) as excinfo:
        open_source(97)
    assert_one_line_input_error(excinfo, "camera 97")


def test_digit_string_that_is_not_a_file_means_a_camera(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as excinfo:
        open_source("96")
    assert_one_line_input_error(excinfo, "camera 96")


def test_unreachable_stream_raises_without_showing_the_password():
    with pytest.raises(InputError) as excinfo:
        open_source("rtsp://user:secret@127.0.0.1:9/live")
    assert_one_line_input_error(excinfo, "cannot open stream", "user:***@127.0.0.1:9")
    assert "secret" not in str(excinfo.value)


def test_bad_fps_raises():
    with pytest.raises(InputError):
        open_source("whatever.mp4", fps=0)


@pytest.mark.parametrize(
    ("head", "content"),
    [
        (b"\x89PNG\r\n\x1a\n", Content.IMAGE),
        (b"\xff\xd8\xff\xe0", Content.IMAGE),
        (b"RIFF\0\0\0\0AVI LIST", Content.VIDEO),
        (b"RIFF\0\0\0\0WAVEfmt ", Content.AUDIO),
        (b"\0\0\0\x18ftypisom", Content.VIDEO),
        (b"\x1a\x45\xdf\xa3", Content.VIDEO),
        (b"GIF89a", Content.VIDEO),
        (b"ID3\x03", Content.AUDIO),
        ("ahoj světe\n".encode(), Content.TEXT),
        (b"\x00\x01\x02\x03", Content.UNKNOWN),
    ],
)
def test_sniff(head: bytes, content: Content):
    assert sniff(head)[0] is content


def test_mpeg_audio_guess_needs_a_plausible_header():
    def frames(header: bytes) -> bytes:
        return (header + bytes(200)) * 4

    assert looks_like_mpeg_audio(frames(b"\xff\xfb\x90\x64"))  # MPEG-1 layer III, 128 kb/s
    assert looks_like_mpeg_audio(frames(b"\xff\xf1\x50\x80"))  # ADTS AAC
    assert not looks_like_mpeg_audio(b"\xff\xfb\x90\x64" + bytes(800))  # one header only
    assert not looks_like_mpeg_audio(frames(b"\xff\xfb\xf0\x64"))  # bad bitrate index
    assert not looks_like_mpeg_audio(frames(b"\xff\xd8\xff"))  # JPEG
