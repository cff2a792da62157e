"""Shared fixtures: short synthetic clips and MediaPipe's view of them, made once per session."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from formcheck.landmarks import Landmark, Side
from formcheck.synth import ClipSpec, plan_clip
from formcheck.synth.groundtruth import image_angles
from formcheck.synth.render import Clip
from formcheck.types import Frame

NEAR_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")

# Short clips at a low frame rate: the whole movement, few frames. One per exercise.
EVAL_SPECS: dict[str, ClipSpec] = {
    "bridge": ClipSpec("bridge", reps=1, fps=10, seed=101),
    "pelvic_tilt": ClipSpec("pelvic_tilt", reps=1, fps=10, seed=102, hold_s=1.0),
    "cat_cow": ClipSpec("cat_cow", reps=1, fps=8, seed=103),
    "childs_pose": ClipSpec("childs_pose", reps=1, fps=8, seed=104, hold_s=1.0),
    "bird_dog": ClipSpec("bird_dog", reps=2, fps=8, seed=105, hold_s=1.0),
}


@dataclass(frozen=True)
class Detection:
    clip: Clip
    predicted: np.ndarray  # (n, 33, 2) pixels, NaN where nobody was found

    @property
    def detection_rate(self) -> float:
        return float(np.mean(~np.isnan(self.predicted[:, 0, 0])))

    @property
    def near(self) -> Side:
        return Side(self.clip.truth.near_side)

    def joint_errors(self) -> dict[str, np.ndarray]:
        """Per near-side joint, per-frame pixel error."""
        out = {}
        for part in NEAR_JOINTS:
            lm = Landmark.sided(part, self.near)
            diff = self.predicted[:, lm] - self.clip.truth.landmarks_2d[:, lm]
            out[part] = np.linalg.norm(diff, axis=-1)
        return out

    def torso_px(self) -> float:
        t = self.clip.truth.landmarks_2d
        s, h = Landmark.sided("shoulder", self.near), Landmark.sided("hip", self.near)
        return float(np.median(np.linalg.norm(t[:, s] - t[:, h], axis=-1)))

    def angle_errors(self) -> dict[str, np.ndarray]:
        predicted = image_angles(self.predicted, self.near)
        truth = self.clip.truth.angles
        return {k: np.abs(predicted[k] - truth[k]) for k in predicted if k.startswith("near_")}


def run_mediapipe(clip: Clip) -> np.ndarray:
    """The bundled full model in VIDEO mode (tracking), as the analysis runs it."""
    backend = pytest.importorskip("formcheck.pose.mediapipe_backend")

    out = np.full((len(clip.poses), 33, 2), np.nan)
    with backend.MediaPipePoseEstimator(watch_every_s=None) as estimator:
        for i, image in enumerate(clip.frames()):
            pose = estimator.estimate(Frame(image, i / clip.spec.fps, i))
            if pose.detected:
                # MediaPipe's normalised coordinates put pixel centres at +0.5.
                out[i] = pose.xy - 0.5
    return out


@pytest.fixture(scope="session")
def detections() -> dict[str, Detection]:
    """MediaPipe run over one short clip per exercise (rendered once per session)."""
    cache: dict[str, Detection] = {}
    for name, spec in EVAL_SPECS.items():
        clip = plan_clip(spec)
        cache[name] = Detection(clip, run_mediapipe(clip))
    return cache
