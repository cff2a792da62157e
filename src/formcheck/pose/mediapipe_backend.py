"""MediaPipe PoseLandmarker backend: the only module in formcheck that imports mediapipe.

Runs the Tasks API ``PoseLandmarker`` in VIDEO mode (it tracks the person from
frame to frame). The model is one of the bundles shipped with formcheck
(``lite``, ``full`` by default, ``heavy`` once built; see
:mod:`formcheck.pose.models`) or any PoseLandmarker ``.task`` file.
Models are never downloaded.

Two people: tracking one person (``num_poses=1``) costs least (44 fps here on
the 960x540 glute-bridge clip, 2 shared cores), but it cannot see a second
person, and looking for two on every frame costs about 47% more per frame
(30 fps) even when only one is there. So a second, IMAGE-mode landmarker
looks for two people on one frame a second (a few percent); only once it has
seen a second person does the tracker switch to ``num_poses=2``, from then on
following the person nearest the previous hip centre, and :attr:`warnings`
says so.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from types import TracebackType

import cv2
import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions

from formcheck.errors import ModelError
from formcheck.landmarks import NUM_LANDMARKS
from formcheck.pose.models import DEFAULT_MODEL, bundled_model_id, load_model
from formcheck.pose.native_logs import native_logs_quieted
from formcheck.types import Frame, PoseFrame

DEFAULT_MODEL_ID = bundled_model_id(DEFAULT_MODEL)

_LEFT_HIP, _RIGHT_HIP = 23, 24
# Two poses whose hip centres are closer than this (share of the image width)
# are one person found twice, not two people.
_SAME_PERSON = 0.08
# Warn about a second person only when seen this often: one stray detection
# (a poster, a shadow) is not worth a warning.
_MIN_SECOND_PERSON_CHECKS = 2


def _hip_centre(landmarks: list) -> np.ndarray:
    """Normalised ``(x, y)`` midpoint of the hips of one MediaPipe pose."""
    left, right = landmarks[_LEFT_HIP], landmarks[_RIGHT_HIP]
    return np.array([(left.x + right.x) / 2.0, (left.y + right.y) / 2.0])


def _distinct_people(poses: list) -> int:
    """How many of MediaPipe's poses are different people (duplicates merged)."""
    centres: list[np.ndarray] = []
    for landmarks in poses:
        c = _hip_centre(landmarks)
        if all(float(np.linalg.norm(c - o)) > _SAME_PERSON for o in centres):
            centres.append(c)
    return len(centres)


class MediaPipePoseEstimator:
    """MediaPipe PoseLandmarker in VIDEO mode, one person by default.

    Args:
        model_path: ``"lite"``, ``"full"`` or ``"heavy"`` (a bundled model) or a
            ``.task`` file; ``None`` is the bundled full model.
        num_poses: people to look for; only the first is returned in ``PoseFrame``.
        min_pose_detection_confidence, min_pose_presence_confidence,
        min_tracking_confidence: MediaPipe's thresholds, each in [0, 1].
        output_segmentation_masks: also compute a person mask per frame, read
            from :attr:`last_mask` after :meth:`estimate`.
        watch_every_s: with ``num_poses=1``, look for a second person on one
            frame every this many seconds (``None``: never; see module docstring).

    Attributes:
        last_mask: ``(height, width)`` float32 in [0, 1] for the last frame, or
            ``None`` (masks off, or nobody found).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        num_poses: int = 1,
        min_pose_detection_confidence: float = 0.5,
        min_pose_presence_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        output_segmentation_masks: bool = False,
        watch_every_s: float | None = 1.0,
    ) -> None:
        bundle, self._model_id = load_model(model_path)
        self._settings = {
            "base_options": BaseOptions(model_asset_buffer=bundle),
            "min_pose_detection_confidence": min_pose_detection_confidence,
            "min_pose_presence_confidence": min_pose_presence_confidence,
            "min_tracking_confidence": min_tracking_confidence,
        }
        self._masks = output_segmentation_masks
        self._num_poses = num_poses
        self._landmarker: vision.PoseLandmarker | None = self._create(
            vision.RunningMode.VIDEO, num_poses, masks=output_segmentation_masks
        )
        self._watcher: vision.PoseLandmarker | None = None
        self._watch_every_s = watch_every_s if num_poses == 1 else None
        self._next_watch_s: float | None = None
        self._second_person_checks = 0
        self._second_person_from_s: float | None = None
        self._last_hip: np.ndarray | None = None
        self._last_ms = -1
        self.last_mask: np.ndarray | None = None

    def _create(
        self, mode: vision.RunningMode, num_poses: int, masks: bool
    ) -> vision.PoseLandmarker:
        options = vision.PoseLandmarkerOptions(
            running_mode=mode,
            num_poses=num_poses,
            output_segmentation_masks=masks,
            **self._settings,
        )
        # A new graph prints its start-up lines when built and on its first frame.
        self._quiet_frames = 1
        try:
            with native_logs_quieted():
                return vision.PoseLandmarker.create_from_options(options)
        # mediapipe 1.x raises FileNotFoundError for a bundle without the expected members.
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"cannot load pose model {self._model_id}: {exc}") from exc

    @property
    def warnings(self) -> list[str]:
        """One-line notes for the report (a second person in view)."""
        if (
            self._second_person_checks < _MIN_SECOND_PERSON_CHECKS
            or self._second_person_from_s is None
        ):
            return []
        return [
            f"Two people in view from {self._second_person_from_s:.1f} s: "
            "following the one nearest the previous position"
        ]

    def _watch(self, image: mp.Image, timestamp_s: float) -> None:
        """Look for a second person now and then; track two once one is seen."""
        if self._watch_every_s is None or self._num_poses > 1:
            return
        if self._next_watch_s is not None and timestamp_s < self._next_watch_s:
            return
        self._next_watch_s = timestamp_s + self._watch_every_s
        if self._watcher is None:
            self._watcher = self._create(vision.RunningMode.IMAGE, 2, masks=False)
        if _distinct_people(self._watcher.detect(image).pose_landmarks) < 2:
            return
        self._second_person_checks += 1
        if self._second_person_from_s is None:
            self._second_person_from_s = timestamp_s
        if self._second_person_checks >= _MIN_SECOND_PERSON_CHECKS:
            # From now on track both and keep the one nearest the last position.
            assert self._landmarker is not None
            with native_logs_quieted():
                self._landmarker.close()
            self._landmarker = self._create(vision.RunningMode.VIDEO, 2, masks=self._masks)
            self._num_poses = 2
            with native_logs_quieted():
                self._watcher.close()
            self._watcher = None

    def _pick(self, poses: list) -> int:
        """Index of the pose nearest the previous hip centre (the first when none)."""
        if len(poses) < 2 or self._last_hip is None:
            return 0
        gaps = [float(np.linalg.norm(_hip_centre(p) - self._last_hip)) for p in poses]
        return int(np.argmin(gaps))

    @property
    def model_id(self) -> str:
        return self._model_id

    def _timestamp_ms(self, timestamp_s: float) -> int:
        # VIDEO mode refuses a timestamp that does not increase: bump repeats by 1 ms.
        ms = max(round(timestamp_s * 1000.0), self._last_ms + 1)
        self._last_ms = ms
        return ms

    def _detect(self, image: mp.Image, timestamp_s: float) -> vision.PoseLandmarkerResult:
        assert self._landmarker is not None
        self._watch(image, timestamp_s)
        return self._landmarker.detect_for_video(image, self._timestamp_ms(timestamp_s))

    def estimate(self, frame: Frame) -> PoseFrame:
        """Pose of the person followed in ``frame``; ``xy`` in pixels of ``frame.image``."""
        if self._landmarker is None:
            raise RuntimeError("MediaPipePoseEstimator is closed")
        rgb = np.ascontiguousarray(cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB))
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
        quiet = native_logs_quieted() if self._quiet_frames > 0 else nullcontext()
        self._quiet_frames = max(self._quiet_frames - 1, 0)
        with quiet:
            result = self._detect(image, frame.timestamp_s)
        width, height = frame.size
        self.last_mask = None
        if not result.pose_landmarks:
            return PoseFrame(frame.timestamp_s, frame.index, (width, height))
        chosen = self._pick(result.pose_landmarks)
        landmarks = result.pose_landmarks[chosen]
        self._last_hip = _hip_centre(landmarks)
        if len(landmarks) != NUM_LANDMARKS:
            raise ModelError(f"pose model gave {len(landmarks)} landmarks, expected 33")
        raw = np.array(
            [(lm.x, lm.y, lm.z, lm.visibility or 0.0) for lm in landmarks], dtype=np.float32
        )
        world = np.array(
            [(lm.x, lm.y, lm.z) for lm in result.pose_world_landmarks[chosen]], dtype=np.float32
        )
        # Normalised x, y, z -> pixels; MediaPipe scales z like x.
        xy = raw[:, :2] * np.array([width, height], dtype=np.float32)
        if result.segmentation_masks:
            self.last_mask = np.array(
                result.segmentation_masks[chosen].numpy_view(), dtype=np.float32
            )
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
        # mediapipe 1.x prints "INFO: ... DestroyAccelerator" lines when a graph closes.
        with native_logs_quieted():
            if self._landmarker is not None:
                self._landmarker.close()
                self._landmarker = None
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None

    def __enter__(self) -> MediaPipePoseEstimator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
