"""Pose estimation: the :class:`PoseEstimator` interface and pose recordings.

The MediaPipe backend lives in :mod:`formcheck.pose.mediapipe_backend` and is
not imported here, so code that only reads recordings never loads mediapipe.
"""

from formcheck.pose.base import PoseEstimator
from formcheck.pose.recording import PoseRecording

__all__ = ["PoseEstimator", "PoseRecording"]
