"""A live set over a WebSocket: frames in, the state to draw out, the session saved at the end.

Per frame this is the path of ``formcheck live`` (:class:`formcheck.live.session.LiveExercise`):
the pose model, then the analyzer's ``step()``, then the coach that picks one cue at a
time and says when to speak it; the end is saved with :func:`formcheck.live.save.save_run`.
Only the camera and the screen are elsewhere (the patient's browser).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from formcheck.analysis.analyzer import ExerciseAnalyzer
from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase
from formcheck.exercises.schema import ExerciseSpec
from formcheck.landmarks import SKELETON
from formcheck.live.coach import Coach
from formcheck.live.save import SavedSession, save_run
from formcheck.live.session import (
    COUNTER_LABELS,
    ExerciseRun,
    Outcome,
    counter_text,
    target_met,
)
from formcheck.pose.base import PoseEstimator
from formcheck.render.skeleton import SkeletonStyle
from formcheck.types import Frame, VideoInfo

EDGES: list[tuple[int, int]] = [(int(a), int(b)) for a, b in SKELETON]
MAX_SIDE = 1280  # a bigger frame is refused: the page sends about 480 px


class BadFrameError(ValueError):
    """A message that is not a frame this session takes."""


def decode_frame(message: bytes) -> tuple[float, np.ndarray]:
    """``<float64 capture time, s, little-endian><JPEG>`` -> (time, BGR image)."""
    if len(message) < 16:
        raise BadFrameError("frame message too short")
    t = float(np.frombuffer(message[:8], dtype="<f8")[0])
    if not math.isfinite(t) or t < 0:
        raise BadFrameError("bad frame time")
    image = cv2.imdecode(np.frombuffer(message[8:], dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise BadFrameError("not a JPEG image")
    if max(image.shape[:2]) > MAX_SIDE:
        raise BadFrameError("frame too large")
    return t, image


class LiveSocketSession:
    """One patient's live set. Not thread-safe: one frame at a time."""

    def __init__(
        self,
        spec: ExerciseSpec,
        estimator: PoseEstimator,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.spec = spec
        self.estimator = estimator
        self.clock = clock
        self.analyzer = ExerciseAnalyzer(spec)
        self.coach = Coach()
        self.frames = 0
        self.size = (0, 0)
        self._last_t: float | None = None
        self._active_s = 0.0
        self.started = datetime.now()

    def step(self, t: float, image: np.ndarray) -> dict[str, object]:
        """Analyse one frame captured at ``t`` seconds; the state for the page."""
        prev = self._last_t
        if prev is not None and t <= prev:
            t = prev + 0.001  # the model needs increasing times
        self._last_t = t
        h, w = image.shape[:2]
        self.size = (w, h)
        pose = self.estimator.estimate(Frame(image, t, self.frames))
        analysis = self.analyzer.step(pose)
        self.frames += 1
        # Active time as formcheck live counts it (a cat-cow set is prescribed in minutes).
        if (
            prev is not None
            and analysis.status is FrameStatus.OK
            and analysis.phase is not Phase.SETUP
        ):
            self._active_s += t - prev
        decision = self.coach.update(analysis, self.clock())
        return self._state(
            analysis, decision.shown.text if decision.shown else None, decision.speak
        )

    def _state(self, a: FrameAnalysis, cue: str | None, speak: str | None) -> dict[str, object]:
        points = None
        if a.pose.xy is not None:
            w, h = a.pose.image_size
            # As the video annotator draws it: landmarks the model barely sees are left out.
            seen = np.isfinite(a.pose.xy).all(axis=1) & (
                a.pose.visibility_or_ones() >= SkeletonStyle().min_visibility
            )
            points = [
                [round(float(x) / w, 4), round(float(y) / h, 4)] if ok else None
                for (x, y), ok in zip(a.pose.xy, seen, strict=True)
            ]
        kind = self.spec.prescription.kind
        return {
            "count": a.rep_count,
            "label": COUNTER_LABELS[kind],
            "counter": counter_text(self.spec, a.rep_count),
            "target": self.spec.prescription.target_count,
            "hold_s": None if a.hold_s is None else round(a.hold_s, 1),
            "cue": cue,
            "speak": speak,
            "status": a.status.name.lower(),
            "message": a.status_message,
            "faults": list(a.active_faults),
            "rep_done": a.event is not None and a.event.complete,
            "done": target_met(self.spec, a, self._active_s),
            "points": points,
        }

    def save(
        self, folder: Path, *, model_id: str, patient: str | None, outcome: Outcome
    ) -> SavedSession | None:
        """Finish the analysis and write the report (None when no frame was analysed)."""
        result = self.analyzer.finish() if self.frames else None
        run = ExerciseRun(self.spec, result, outcome, "saved from the browser")
        fps = self.frames / self._last_t if self._last_t else 0.0
        info = VideoInfo(
            width=self.size[0],
            height=self.size[1],
            fps=fps,
            frame_count=self.frames,
            source="browser camera",
        )
        return save_run(
            run, folder=folder, stamp=self.started, model_id=model_id, info=info, patient=patient
        )
