"""Pose recordings: exact round trips, atomic saves, clear errors on foreign files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import InputError
from formcheck.pose.recording import ARRAY_NAMES, FORMAT_VERSION, PoseRecording
from formcheck.types import PoseFrame


def synthetic_frames() -> list[PoseFrame]:
    rng = np.random.default_rng(7)

    def f32(*shape: int) -> np.ndarray:
        return rng.random(shape, dtype=np.float32) * 500

    return [
        PoseFrame(0.0, 0, (640, 480), f32(33, 2), f32(33), f32(33) / 500, f32(33, 3)),
        PoseFrame(0.0333, 1, (640, 480)),  # nobody found
        PoseFrame(0.07, 3, (640, 480), f32(33, 2), f32(33), f32(33) / 500, f32(33, 3)),
        PoseFrame(0.1, 4, (320, 240), f32(33, 2)),  # a backend without z/visibility/world
    ]


def assert_same_frames(expected: list[PoseFrame], got: list[PoseFrame]) -> None:
    assert len(got) == len(expected)
    for a, b in zip(expected, got, strict=True):
        assert (a.timestamp_s, a.index, a.image_size) == (b.timestamp_s, b.index, b.image_size)
        for name in ("xy", "z", "visibility", "world"):
            x, y = getattr(a, name), getattr(b, name)
            assert (x is None and y is None) or (x.dtype == y.dtype and np.array_equal(x, y))


def make_recording(frames: list[PoseFrame] | None = None) -> PoseRecording:
    return PoseRecording.from_frames(
        synthetic_frames() if frames is None else frames,
        fps=30.0,
        model_id="mediapipe-pose-full@0.10.21",
        source="clip.mp4",
    )


def test_round_trip_reproduces_the_frames_exactly(tmp_path: Path):
    frames = synthetic_frames()
    recording = make_recording(frames)
    assert_same_frames(frames, list(recording.frames()))
    path = tmp_path / "clip.pose.npz"
    recording.save(path)
    loaded = PoseRecording.load(path)
    assert_same_frames(frames, list(loaded.frames()))
    assert (loaded.fps, loaded.model_id, loaded.source) == (30.0, recording.model_id, "clip.mp4")
    assert loaded.format_version == FORMAT_VERSION
    assert loaded.image_size == (640, 480)
    assert loaded.detected.tolist() == [True, False, True, True]
    assert np.isnan(loaded.xy[1]).all() and np.isnan(loaded.world[3]).all()


def test_arrays_are_read_only_and_frames_get_copies():
    recording = make_recording()
    with pytest.raises(ValueError):
        recording.xy[0, 0, 0] = 1.0
    frame = next(recording.frames())
    frame.xy[0, 0] = -1.0  # does not touch the recording
    assert recording.xy[0, 0, 0] != -1.0


def test_empty_recording_round_trips(tmp_path: Path):
    recording = make_recording([])
    assert len(recording) == 0 and recording.xy.shape == (0, 33, 2)
    recording.save(tmp_path / "empty.npz")
    assert list(PoseRecording.load(tmp_path / "empty.npz").frames()) == []


def test_save_is_atomic_and_replaces_an_old_file(tmp_path: Path):
    path = tmp_path / "out.npz"
    path.write_bytes(b"old")
    make_recording().save(path)
    assert len(PoseRecording.load(path)) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.npz"]  # no temp left


def test_wrong_shapes_are_refused():
    recording = make_recording()
    with pytest.raises(ValueError, match=r"PoseRecording\.xy must have shape"):
        PoseRecording(
            timestamps=recording.timestamps,
            indices=recording.indices,
            image_sizes=recording.image_sizes,
            detected=recording.detected,
            xy=recording.xy[:, :10],
            z=recording.z,
            visibility=recording.visibility,
            world=recording.world,
            fps=30.0,
            model_id="x",
        )


def write_npz(path: Path, meta: object | None, drop: str | None = None) -> Path:
    recording = make_recording()
    arrays = {name: getattr(recording, name) for name in ARRAY_NAMES if name != drop}
    if meta is not None:
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez_compressed(path, **arrays)
    return path


GOOD_META = {"format": "formcheck-pose-recording", "format_version": 1, "fps": 30.0}
GOOD_META |= {"model_id": "m", "source": ""}


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "none.npz", "not found"),
        (lambda d: (d / "t.npz").write_text("hello") and d / "t.npz", "not a pose recording"),
        (lambda d: write_npz(d / "plain.npz", None), "no metadata"),
        (lambda d: write_npz(d / "foreign.npz", {"format": "other"}), "not a formcheck pose"),
        (lambda d: write_npz(d / "new.npz", GOOD_META | {"format_version": 99}), "upgrade"),
        (lambda d: write_npz(d / "part.npz", GOOD_META, drop="world"), "missing world"),
        (lambda d: write_npz(d / "nofps.npz", {**GOOD_META, "fps": None}), "damaged"),
    ],
)
def test_bad_files_raise_one_line_input_error(tmp_path: Path, make, words: str):
    with pytest.raises(InputError, match=words) as excinfo:
        PoseRecording.load(make(tmp_path))
    assert "\n" not in str(excinfo.value)


def test_truncated_recording_raises_input_error(tmp_path: Path):
    path = tmp_path / "cut.npz"
    make_recording().save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputError):
        PoseRecording.load(path)
    assert not zipfile.is_zipfile(path)
