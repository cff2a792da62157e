"""MediaPipe PoseLandmarker backend: the only module in formcheck that imports mediapipe.

Runs the Tasks API ``PoseLandmarker`` in VIDEO mode (it tracks the person from
frame to frame). The default model is the full BlazePose model from the
mediapipe wheel, bundled in memory (see :mod:`formcheck.pose.bundle`); any
official ``pose_landmarker_{lite,full,heavy}.task`` file can be given instead.
Models are never downloaded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType

import cv2
import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

from formcheck.errors import ModelError
from formcheck.landmarks import NUM_LANDMARKS
from formcheck.pose.bundle import build_default_bundle
from formcheck.types import Frame, PoseFrame

DEFAULT_MODEL_ID = f"mediapipe-pose-full@{mp.__version__}"


def model_id_for_file(path: Path, data: bytes) -> str:
    """``"<file stem>#<sha256[:12]>"``: names a user-given model by name and content."""
    return f"{path.stem}#{hashlib.sha256(data).hexdigest()[:12]}"


def _read_model_file(path: Path) -> bytes:
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        raise ModelError(f"{path} is not a PoseLandmarker .task bundle (a zip file)")
    return data


class MediaPipePoseEstimator:
    """MediaPipe PoseLandmarker in VIDEO mode, one person by default.

    Args:
        model_path: a ``.task`` bundle; ``None`` uses the full model from the wheel.
        num_poses: people to look for; only the first is returned in ``PoseFrame``.
        min_pose_detection_confidence, min_pose_presence_confidence,
        min_tracking_confidence: MediaPipe's thresholds, each in [0, 1].
        output_segmentation_masks: also compute a person mask per frame, read
            from :attr:`last_mask` after :meth:`estimate`.

    Attributes:
        last_mask: ``(height, width)`` float32 in [0, 1] for the last frame, or
            ``None`` (masks off, or nobody found).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        num_poses: int = 1,
        min_pose_detection_confidence: float = 0.5,
        min_pose_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        output_segmentation_masks: bool = False,
    ) -> None:
        if model_path is None:
            bundle = build_default_bundle()
            self._model_id = DEFAULT_MODEL_ID
        else:
            bundle = _read_model_file(Path(model_path))
            self._model_id = model_id_for_file(Path(model_path), bundle)
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=bundle),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=num_poses,
            min_pose_detection_confidence=min_pose_detection_confidence,
            min_pose_presence_confidence=min_pose_presence_confidence,
            min_tracking_confidence=min_tracking_confidence,
            output_segmentation_masks=output_segmentation_masks,
        )
        try:
            self._landmarker: vision.PoseLandmarker | None = (
                vision.PoseLandmarker.create_from_options(options)
            )
        except (RuntimeError, ValueError) as exc:
            raise ModelError(f"cannot load pose model {self._model_id}: {exc}") from exc
        self._last_ms = -1
        self.last_mask: np.ndarray | None = None

    @property
    def model_id(self) -> str:
        return self._model_id

    def _timestamp_ms(self, timestamp_s: float) -> int:
        # VIDEO mode refuses a timestamp that does not increase: bump repeats by 1 ms.
        ms = max(round(timestamp_s * 1000.0), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def estimate(self, frame: Frame) -> PoseFrame:
        """Pose of the first person in ``frame``; ``xy`` in pixels of ``frame.image``."""
        if self._landmarker is None:
            raise RuntimeError("MediaPipePoseEstimator is closed")
        rgb = np.ascontiguousarray(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB))
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        result = self._landmarker.detect_for_video(image, self._timestamp_ms(frame.timestamp_s))
        width, height = frame.size
        self.last_mask = None
        if not result.pose_landmarks:
            return PoseFrame(frame.timestamp_s, frame.index, (width, height))
        landmarks = result.pose_landmarks[0]
        if len(landmarks) != NUM_LANDMARKS:
            raise ModelError(f"pose model gave {len(landmarks)} landmarks, expected 33")
        raw = np.array(
            [(lm.x, lm.y, lm.z, lm.visibility or 0.0) for lm in landmarks], dtype=np.float32
        )
        world = np.array(
            [(lm.x, lm.y, lm.z) for lm in result.pose_world_landmarks[0]], dtype=np.float32
        )
        # Normalised x, y, z -> pixels; MediaPipe scales z like x.
        xy = raw[:, :2] * np.array([width, height], dtype=np.float32)
        if result.segmentation_masks:
            self.last_mask = np.array(result.segmentation_masks[0].numpy_view(), dtype=np.float32)
            self.last_mask = self.last_mask.reshape(height, width)
        return PoseFrame(
            timestamp_s=frame.timestamp_s,
            index=frame.index,
            image_size=(width, height),
            xy=xy,
            z=raw[:, 2] * np.float32(width),
            visibility=raw[:, 3].copy(),
            world=world,
        )

    def close(self) -> None:
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def __enter__(self) -> MediaPipePoseEstimator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
