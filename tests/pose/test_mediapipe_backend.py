"""The MediaPipe backend on real and synthetic frames (slow: runs the model)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from formcheck.errors import ModelError
from formcheck.pose import PoseEstimator, PoseRecording
from formcheck.sources import open_source
from formcheck.types import Frame

pytestmark = pytest.mark.slow

mediapipe_backend = pytest.importorskip("formcheck.pose.mediapipe_backend")
MediaPipePoseEstimator = mediapipe_backend.MediaPipePoseEstimator


def blank_frame(index: int, timestamp_s: float, size=(160, 120)) -> Frame:
    return Frame(np.zeros((size[1], size[0], 3), np.uint8), timestamp_s, index)


@pytest.mark.shared
def test_finds_the_person_in_a_real_clip_and_records_it(glute_bridge_clip: Path, tmp_path):
    with open_source(glute_bridge_clip) as source, MediaPipePoseEstimator() as estimator:
        assert isinstance(estimator, PoseEstimator)
        poses = [estimator.estimate(frame) for frame in source]
        info = source.info
    assert len(poses) == info.frame_count
    detected = [p for p in poses if p.detected]
    assert len(detected) >= 0.9 * len(poses)
    for pose in detected:
        assert pose.image_size == (info.width, info.height)
        assert pose.xy.dtype == np.float32 and pose.world.shape == (33, 3)
        assert np.all((pose.visibility >= 0) & (pose.visibility <= 1))
        # Most joints land inside the frame (pixels, not normalised).
        inside = ((pose.xy >= -50) & (pose.xy <= [info.width + 50, info.height + 50])).all(axis=1)
        assert inside.mean() > 0.5
    # Record, save, load, replay: identical frames, without the model.
    recording = PoseRecording.from_frames(
        poses, fps=info.fps, model_id=estimator.model_id, source=glute_bridge_clip.name
    )
    recording.save(tmp_path / "bridge.pose.npz")
    replayed = list(PoseRecording.load(tmp_path / "bridge.pose.npz").frames())
    assert len(replayed) == len(poses)
    for original, again in zip(poses, replayed, strict=True):
        assert again.timestamp_s == original.timestamp_s and again.index == original.index
        assert again.image_size == original.image_size
        for name in ("xy", "z", "visibility", "world"):
            a, b = getattr(original, name), getattr(again, name)
            assert (a is None and b is None) or np.array_equal(a, b)


def test_blank_frames_give_no_pose_and_repeated_times_are_accepted():
    with MediaPipePoseEstimator() as estimator:
        # The same timestamp twice would make VIDEO mode fail without the 1 ms bump.
        poses = [estimator.estimate(blank_frame(i, 0.5)) for i in range(3)]
    assert [p.detected for p in poses] == [False, False, False]
    assert poses[0].image_size == (160, 120) and poses[0].xy is None


def test_model_start_up_chatter_stays_off_the_terminal(capfd):
    # MediaPipe's C++ side prints absl/TFLite info lines on fd 2 when a graph is built
    # and on its first frame; the user should see none of it.
    with MediaPipePoseEstimator() as estimator:
        for i in range(2):
            estimator.estimate(blank_frame(i, i / 30))
    err = capfd.readouterr().err
    assert "absl" not in err and "XNNPACK" not in err and "I0000" not in err, err
    # Nor when it closes (mediapipe 1.x: "INFO: [accelerator_registry.cc:43] DestroyAccelerator").
    assert "INFO" not in err and "Accelerator" not in err, err


def test_closed_estimator_refuses_frames_and_closes_twice():
    estimator = MediaPipePoseEstimator()
    estimator.close()
    estimator.close()
    with pytest.raises(RuntimeError):
        estimator.estimate(blank_frame(0, 0.0))


@pytest.mark.shared
def test_segmentation_mask_matches_the_frame(glute_bridge_clip: Path):
    with (
        open_source(glute_bridge_clip) as source,
        MediaPipePoseEstimator(output_segmentation_masks=True) as estimator,
    ):
        for frame in source:
            pose = estimator.estimate(frame)
            if frame.index == 5:
                break
    assert pose.detected and estimator.last_mask is not None
    assert estimator.last_mask.shape == (frame.image.shape[0], frame.image.shape[1])
    assert estimator.last_mask.min() >= 0.0 and estimator.last_mask.max() <= 1.0
    assert estimator.last_mask.mean() > 0.01  # the person covers part of the frame


def test_a_model_file_is_named_by_stem_and_hash(tmp_path: Path):
    from formcheck.pose.models import read_bundled_model

    bundle = read_bundled_model("lite")
    path = tmp_path / "pose_landmarker_custom.task"
    path.write_bytes(bundle)
    with MediaPipePoseEstimator(path) as estimator:
        digest = hashlib.sha256(bundle).hexdigest()[:12]
        assert estimator.model_id == f"pose_landmarker_custom#{digest}"
        assert not estimator.estimate(blank_frame(0, 0.0)).detected


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("missing.task", None, "not found"),
        ("notes.task", b"just text", "not a PoseLandmarker .task bundle"),
        ("empty_zip.task", b"PK\x05\x06" + bytes(18), "cannot load pose model"),
    ],
)
def test_bad_model_files_raise_model_error(tmp_path: Path, name: str, data, words: str):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ModelError, match=words):
        MediaPipePoseEstimator(path)
