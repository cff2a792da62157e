"""The pose cache: a clip's landmarks, kept per (clip content, model).

The pose model is most of the cost of scoring; the analysis after it is cheap.
Keyed by content hash and model only (not exercise or thresholds), so
re-scoring the same clips with a new patient config, or as another exercise,
reads the landmarks back and never runs the model. Landmarks modelled at another
``--stride`` than the run wants are not used (the worker runs the model again). Files are
``<out>/.poses/<content-sha>-<model-slug>.npz``, written atomically by
:meth:`PoseRecording.save`; a damaged one is ignored and rewritten.
"""

from __future__ import annotations

import re
from pathlib import Path

from formcheck.errors import InputError
from formcheck.pose.recording import PoseRecording

CACHE_DIR = ".poses"


def model_slug(model_id: str) -> str:
    """A file-name-safe form of a model id (``mediapipe-pose-full@0.10.21`` -> ``...-0.10.21``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", model_id).strip("-")


def cache_path(out: Path, content_sha: str, model_id: str) -> Path:
    return Path(out) / CACHE_DIR / f"{content_sha}-{model_slug(model_id)}.npz"


def load_cached(path: Path, model_id: str) -> PoseRecording | None:
    """The cached recording, or None if absent, unreadable or from another model."""
    if not path.is_file():
        return None
    try:
        recording = PoseRecording.load(path)
    except InputError:
        return None
    return recording if recording.model_id == model_id else None
