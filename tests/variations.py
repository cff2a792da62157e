"""A pose recording as another camera, or another patient's tempo, would have given it.

Each variation changes something a real clip can differ by while the exercise stays the
same, so its count must not change: the patient facing the other way (mirror), a phone
propped a little askew (roll), a slower or quicker patient (tempo), a clip that opens and
closes on seconds with nobody in view (framed), or on seconds lying still (rested).
"""

from __future__ import annotations

import numpy as np

from formcheck.landmarks import Landmark
from formcheck.pose.recording import ARRAY_NAMES, PoseRecording


def _left_right_swap() -> list[int]:
    order = list(range(len(Landmark)))
    for mark in Landmark:
        if mark.name.startswith("LEFT_"):
            other = Landmark["RIGHT_" + mark.name.removeprefix("LEFT_")]
            order[mark], order[other] = int(other), int(mark)
    return order


_SWAP = _left_right_swap()


def _arrays(recording: PoseRecording) -> dict[str, np.ndarray]:
    return {name: np.array(getattr(recording, name)) for name in ARRAY_NAMES}


def mirrored(recording: PoseRecording) -> PoseRecording:
    """The patient facing the other way: the picture flipped left-right, so the person's
    left side is now where the right was (landmark labels swap with it)."""
    a = _arrays(recording)
    width = a["image_sizes"][:, :1].astype(np.float32)
    for name in ("xy", "z", "visibility", "world"):
        a[name] = a[name][:, _SWAP]
    a["xy"][..., 0] = width - a["xy"][..., 0]
    a["world"][..., 0] *= -1.0  # the world frame is the camera's, centred on the hips
    return PoseRecording(**a, fps=recording.fps, model_id=recording.model_id)


def rolled(recording: PoseRecording, degrees: float) -> PoseRecording:
    """The camera turned about its own axis (a phone propped askew): the picture and the
    camera-aligned world landmarks rotate together, about the body's middle."""
    a = _arrays(recording)
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    turn = np.array([[c, -s], [s, c]], dtype=np.float32)
    centre = np.nanmedian(a["xy"].reshape(-1, 2), axis=0)
    a["xy"] = ((a["xy"] - centre) @ turn.T + centre).astype(np.float32)
    a["world"][..., :2] = a["world"][..., :2] @ turn.T
    return PoseRecording(**a, fps=recording.fps, model_id=recording.model_id)


def at_tempo(recording: PoseRecording, stretch: float) -> PoseRecording:
    """The same movement ``stretch`` times as long (above 1: a slower patient); the camera
    keeps its frames, so the frame rate changes with it."""
    a = _arrays(recording)
    a["timestamps"] = a["timestamps"] * stretch
    return PoseRecording(**a, fps=recording.fps / stretch, model_id=recording.model_id)


def framed(recording: PoseRecording, seconds: float) -> PoseRecording:
    """``seconds`` with nobody in view before and after the clip: a title card, the patient
    walking in and out of the picture, a fade."""
    a = _arrays(recording)
    k = round(seconds * recording.fps)
    n = len(a["timestamps"])
    pick = np.concatenate([np.zeros(k, dtype=int), np.arange(n), np.full(k, n - 1)])
    out = {name: values[pick] for name, values in a.items()}
    empty = np.r_[np.ones(k, dtype=bool), np.zeros(n, dtype=bool), np.ones(k, dtype=bool)]
    out["detected"][empty] = False
    for name in ("xy", "z", "visibility", "world"):
        out[name][empty] = np.nan
    step = 1.0 / recording.fps
    t = a["timestamps"] - a["timestamps"][0] + k * step
    out["timestamps"] = np.concatenate([step * np.arange(k), t, t[-1] + step * np.arange(1, k + 1)])
    out["indices"] = np.arange(len(pick), dtype=np.int64)
    return PoseRecording(**out, fps=recording.fps, model_id=recording.model_id)


def rested(recording: PoseRecording, seconds: float, rest: tuple[float, float]) -> PoseRecording:
    """``seconds`` of the patient lying still before and after the clip, as a real one opens
    and closes (a rendered set begins a fraction of a second in): the frames of ``rest``
    (start, end in seconds, a moment at rest), played back and forth."""
    a = _arrays(recording)
    t = a["timestamps"]
    still = np.flatnonzero((t >= rest[0]) & (t <= rest[1]))
    pad = np.resize(np.concatenate([still, still[::-1]]), round(seconds * recording.fps))
    pick = np.concatenate([pad, np.arange(len(t)), pad])
    out = {name: values[pick] for name, values in a.items()}
    out["timestamps"] = np.arange(len(pick)) / recording.fps
    out["indices"] = np.arange(len(pick), dtype=np.int64)
    return PoseRecording(**out, fps=recording.fps, model_id=recording.model_id)
