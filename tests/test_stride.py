"""``--stride``: which frames the model sees, how skipped frames are passed over and drawn."""

from __future__ import annotations

import types
from pathlib import Path

import cv2
import numpy as np
import pytest

from formcheck.batch.jobs import job_key
from formcheck.errors import ConfigError
from formcheck.exercises.loader import PatientConfig, builtin
from formcheck.exercises.registry import exercise_ids
from formcheck.pipeline import aligned, analyze_clip, poses_from_video, resolve_stride
from formcheck.pose.interpolate import between
from formcheck.pose.recording import PoseRecording
from formcheck.sources import CaptureSource, open_source
from formcheck.sources.stride import parse_stride, stride_for
from formcheck.types import Frame, PoseFrame


def test_stride_keeps_at_least_the_rate_asked_for():
    assert stride_for(30.0, [10.0]) == 3
    assert stride_for(29.97, [10.0]) == 2  # k=3 would model 9.99 frames a second
    assert stride_for(25.0, [10.0]) == 2
    assert stride_for(60.0, [15.0]) == 4
    assert stride_for(8.0, [10.0]) == 1  # a clip slower than the rate: every frame
    assert stride_for(30.0, [5.0, 15.0, 10.0]) == 2  # several exercises: the fastest need
    assert stride_for(30.0, [10.0, None]) == 1  # one without a rate: every frame
    assert stride_for(0.0, [10.0]) == 1


def test_every_builtin_exercise_names_its_rate_and_auto_takes_the_fastest():
    specs = [builtin(i) for i in exercise_ids()]
    assert all(s.sample_fps for s in specs)
    fastest = max(s.sample_fps for s in specs if s.sample_fps)
    assert resolve_stride(None, 30.0, specs) == int(30.0 // fastest)
    assert resolve_stride(None, 30.0, [builtin("childs_pose")]) == 6
    assert resolve_stride(1, 30.0, specs) == 1
    assert resolve_stride(4, 30.0, specs) == 4


@pytest.mark.parametrize("text", ["0", "-1", "two", "1.5", ""])
def test_bad_stride_is_one_clear_error(text):
    with pytest.raises(ConfigError, match="--stride"):
        parse_stride(text)


def test_stride_values():
    assert parse_stride("auto") is None
    assert parse_stride(" AUTO ") is None
    assert parse_stride("3") == 3


class GrabbingCapture:
    """A cv2.VideoCapture stand-in that counts reads (decode + convert) and grabs."""

    def __init__(self, times_ms: list[float], announced: int | None = None) -> None:
        self.times_ms = times_ms
        self.announced = len(times_ms) if announced is None else announced
        self.position = -1
        self.reads = self.grabs = 0

    def _advance(self) -> bool:
        self.position += 1
        return self.position < len(self.times_ms)

    def read(self):
        self.reads += 1
        if not self._advance():
            return False, None
        image = np.zeros((8, 8, 3), np.uint8)
        image[0, 0] = self.position  # says which frame it is
        return True, image

    def grab(self) -> bool:
        self.grabs += 1
        return self._advance()

    def get(self, prop_id: int) -> float:
        if prop_id == cv2.CAP_PROP_POS_MSEC:
            return self.times_ms[self.position]
        return {cv2.CAP_PROP_FPS: 30.0, cv2.CAP_PROP_FRAME_COUNT: float(self.announced)}.get(
            prop_id, 0.0
        )

    def set(self, prop_id: int, value: float) -> bool:
        return prop_id == cv2.CAP_PROP_ORIENTATION_AUTO

    def release(self) -> None:
        pass


def test_skipped_frames_are_grabbed_not_read_and_times_stay_the_containers():
    times = [0.0, 31.0, 70.0, 99.0, 140.0, 171.0, 205.0, 231.0, 270.0, 301.0]  # variable rate
    capture = GrabbingCapture(times)
    source = CaptureSource.start(capture, "phone.mp4")
    assert source is not None
    frames = list(source.sampled(3))
    assert [f.index for f in frames] == [0, 3, 6, 9]
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 3, 6, 9]
    assert [f.timestamp_s for f in frames] == pytest.approx([0.0, 0.099, 0.205, 0.301])
    # One read per kept frame (the first by start()); the six between, and the end, grabbed.
    assert capture.reads == 4
    assert capture.grabs == 7
    assert source.frames_seen == 10
    assert not source.truncated


def test_a_truncated_clip_is_still_noticed_while_striding():
    capture = GrabbingCapture([40.0 * i for i in range(10)], announced=30)
    source = CaptureSource.start(capture, "cut.mp4")
    assert source is not None
    assert len(list(source.sampled(4))) == 3
    assert source.truncated
    assert any("stopped after 10 of 30 frames" in w for w in source.warnings)


def _write_clip(path: Path, frames: int, size=(96, 64), fps: float = 30.0) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    for i in range(frames):
        image = np.zeros((size[1], size[0], 3), np.uint8)
        image[10:30, 2 + 3 * i : 22 + 3 * i] = 255
        writer.write(image)
    writer.release()
    return path


def test_sampled_frames_of_a_real_file_equal_those_read_one_by_one(tmp_path):
    clip = _write_clip(tmp_path / "clip.mp4", 20)
    with open_source(clip) as source:
        every = list(source)
    with open_source(clip) as source:
        sampled = list(source.sampled(3))
        seen = source.frames_seen
    assert [f.index for f in sampled] == list(range(0, 20, 3))
    assert seen == 20
    for frame in sampled:
        full = every[frame.index]
        assert frame.timestamp_s == pytest.approx(full.timestamp_s)
        assert np.array_equal(frame.image, full.image)


def _pose(t: float, index: int, x: float | None) -> PoseFrame:
    if x is None:
        return PoseFrame(t, index, (100, 100))
    xy = np.full((33, 2), x, np.float32)
    return PoseFrame(t, index, (100, 100), xy=xy, visibility=np.ones(33, np.float32))


def test_skipped_frames_get_landmarks_between_the_modelled_ones():
    before, after = _pose(1.0, 30, 10.0), _pose(1.1, 33, 40.0)
    mid = between(before, after, 1.0 + 0.1 / 3, 31)
    assert (mid.timestamp_s, mid.index) == (pytest.approx(1.0 + 0.1 / 3), 31)
    assert mid.xy == pytest.approx(np.full((33, 2), 20.0))
    # Nothing invented: no later pose, or no person on either side, holds the earlier pose.
    assert between(before, None, 1.2, 36).xy == pytest.approx(before.xy)
    assert between(before, _pose(1.1, 33, None), 1.05, 31).xy == pytest.approx(before.xy)
    assert between(_pose(1.0, 30, None), after, 1.05, 31).xy is None


class SquareFinder:
    """A pose 'model' that puts every landmark on the white square's centre; logs image sizes."""

    model_id = "square-finder"

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def estimate(self, frame: Frame) -> PoseFrame:
        self.sizes.append(frame.size)
        ys, xs = np.nonzero(frame.image[:, :, 0] > 127)
        if len(xs) == 0:
            return PoseFrame(frame.timestamp_s, frame.index, frame.size)
        xy = np.tile(np.array([xs.mean(), ys.mean()], np.float32), (33, 1))
        z = np.full(33, 5.0, np.float32)
        return PoseFrame(frame.timestamp_s, frame.index, frame.size, xy=xy, z=z)

    def close(self) -> None:
        pass

    def __enter__(self) -> SquareFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def test_large_frames_are_shrunk_for_the_model_and_landmarks_come_back_in_frame_pixels():
    image = np.zeros((1080, 1920, 3), np.uint8)
    image[780:820, 1480:1520] = 255  # centre (1499.5, 799.5)
    finder = SquareFinder()
    frames = [Frame(image, 0.0, 0), Frame(image, 1 / 30, 1)]
    pairs = list(poses_from_video(iter(frames), finder, stride=2, max_side=960))
    [(_, pose), (_, skipped)] = pairs
    assert finder.sizes == [(960, 540)]
    assert skipped is None
    assert pose is not None and pose.image_size == (1920, 1080)
    assert pose.xy[0] == pytest.approx([1499.5, 799.5], abs=1.0)
    assert pose.z is not None and pose.z[0] == pytest.approx(10.0)  # x's scale, like xy
    # By default 1080p goes to the model as it is; a 4K frame is shrunk to 1920 px.
    list(poses_from_video(iter([frames[0]]), finder))
    assert finder.sizes[-1] == (1920, 1080)
    big = Frame(np.zeros((2160, 3840, 3), np.uint8), 0.0, 0)
    list(poses_from_video(iter([big]), finder))
    assert finder.sizes[-1] == (1920, 1080)


def test_annotated_video_keeps_every_frame_while_the_model_sees_every_third(tmp_path):
    clip = _write_clip(tmp_path / "clip.mp4", 30)
    finder = SquareFinder()
    video = tmp_path / "annotated.mp4"
    outcome = analyze_clip(
        clip,
        exercise="bridge",
        config=PatientConfig(),
        estimator_factory=lambda: finder,
        video_out=video,
        stride=3,
    )
    assert len(finder.sizes) == 10
    assert outcome.report.summary.frames == 10  # the analysis sees the modelled frames
    assert outcome.report.source is not None and outcome.report.source.frames == 30
    assert outcome.report.source.model_stride == 3
    written = cv2.VideoCapture(str(video))
    count = 0
    while written.grab():
        count += 1
    assert count == 30


def test_without_a_video_the_skipped_frames_are_not_decoded_into_images(tmp_path, monkeypatch):
    clip = _write_clip(tmp_path / "clip.mp4", 30)
    finder = SquareFinder()
    converted = []
    original = CaptureSource.sampled

    def spy(self, stride):
        for frame in original(self, stride):
            converted.append(frame.index)
            yield frame

    monkeypatch.setattr(CaptureSource, "sampled", spy)
    outcome = analyze_clip(
        clip, exercise="bridge", config=PatientConfig(), estimator_factory=lambda: finder
    )
    k = resolve_stride(None, 30.0, [builtin("bridge")])
    assert converted == list(range(0, 30, k))
    assert outcome.report.source is not None and outcome.report.source.frames == 30


def test_a_strided_recording_pairs_with_its_own_frames():
    frames = [Frame(np.zeros((4, 4, 3), np.uint8), i / 30, i) for i in range(7)]
    poses = [_pose(i / 30, i, 1.0) for i in (0, 3, 6)]
    pairs = list(aligned(iter(frames), iter(poses)))
    assert [(f.index, p.index if p else None) for f, p in pairs] == [
        (0, 0), (1, None), (2, None), (3, 3), (4, None), (5, None), (6, 6),
    ]  # fmt: skip
    recording = PoseRecording.from_frames(poses, fps=30.0, model_id="m")
    assert recording.stride == 3


def test_the_stride_setting_is_part_of_a_batch_jobs_key():
    common = types.SimpleNamespace(
        content_sha="c", exercise="bridge", config_sha="", patient=None, model_id="m"
    )
    keys = {job_key(**vars(common), stride=s) for s in (None, 1, 3)}
    assert len(keys) == 3


@pytest.mark.parametrize(("command", "code"), [("analyze", 1), ("batch", 2)])
def test_a_bad_stride_on_the_command_line_is_one_line_and_no_work(tmp_path, command, code):
    from typer.testing import CliRunner

    from formcheck.cli import app

    clip = _write_clip(tmp_path / "clip.mp4", 3)
    args = [command, str(clip), "--stride", "0"]
    if command == "batch":
        args += ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == code
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--stride must be 'auto' or a whole number" in lines[0]
    assert not (tmp_path / "out").exists()
