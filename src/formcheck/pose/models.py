"""Which PoseLandmarker bundle to run: a bundled model by name, or a ``.task`` file.

The lite and full bundles are package data (``formcheck/models/*.task``, built by
``scripts/build_pose_models.py``), found through :mod:`importlib.resources` so an
installed wheel works like a checkout. Heavy is too large to commit: the script
builds it on request into the same folder. Nothing is ever downloaded here.

This module does not import mediapipe, so the batch runner can name a model
without loading the library.
"""

from __future__ import annotations

import hashlib
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.errors import ModelError

if TYPE_CHECKING:  # importlib.resources.abc is 3.11+; only the annotation needs it
    from importlib.resources.abc import Traversable

MODEL_NAMES = ("lite", "full", "heavy")
DEFAULT_MODEL = "full"
MODELS_PACKAGE = "formcheck"
MODELS_FOLDER = "models"

HEAVY_HINT = (
    "the heavy pose model is not bundled (31 MB); build it with "
    "`python scripts/build_pose_models.py --heavy` from a formcheck checkout "
    "(fetches the Apache-2.0 npm package @mediapipe/pose), or pass --model PATH.task"
)


def bundle_file_name(name: str) -> str:
    return f"pose_landmarker_{name}.task"


def is_model_name(model: str | Path | None) -> bool:
    """True for ``lite``/``full``/``heavy`` given bare (a file called so needs ``./lite``)."""
    return model is not None and str(model) in MODEL_NAMES


def model_id_for_file(path: Path, data: bytes) -> str:
    """``"<file stem>#<sha256[:12]>"``: names a user-given model by name and content."""
    return f"{path.stem}#{hashlib.sha256(data).hexdigest()[:12]}"


def bundled_model_id(name: str) -> str:
    """``mediapipe-pose-<name>@<mediapipe version>``: the bundle and the runtime that ran it."""
    try:
        version = metadata.version("mediapipe")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"mediapipe-pose-{name}@{version}"


def read_model_file(path: Path) -> bytes:
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        raise ModelError(f"{path} is not a PoseLandmarker .task bundle (a zip file)")
    return data


def _bundled_resource(name: str) -> Traversable:
    """Where a bundled model lies; a missing one raises a one-line :class:`ModelError`."""
    if name not in MODEL_NAMES:
        raise ModelError(f"unknown pose model {name!r}: choose {', '.join(MODEL_NAMES)}")
    resource = resources.files(MODELS_PACKAGE).joinpath(MODELS_FOLDER, bundle_file_name(name))
    if not resource.is_file():
        if name == "heavy":
            raise ModelError(HEAVY_HINT)
        raise ModelError(
            f"the bundled pose model {bundle_file_name(name)} is missing from the formcheck "
            "package; reinstall formcheck or pass --model PATH.task"
        )
    return resource


def read_bundled_model(name: str) -> bytes:
    """The bytes of the bundled model ``name`` (lite, full or heavy)."""
    return _bundled_resource(name).read_bytes()


def load_model(model: str | Path | None) -> tuple[bytes, str]:
    """The bundle's bytes and its model id, for ``None`` (full), a name or a file."""
    if model is None or is_model_name(model):
        name = DEFAULT_MODEL if model is None else str(model)
        return read_bundled_model(name), bundled_model_id(name)
    path = Path(model)
    data = read_model_file(path)
    return data, model_id_for_file(path, data)


def model_id_of(model: str | Path | None) -> str:
    """The id :func:`load_model` would give, without reading a bundled model."""
    if model is None or is_model_name(model):
        name = DEFAULT_MODEL if model is None else str(model)
        _bundled_resource(name)  # a missing heavy model fails here, before any work starts
        return bundled_model_id(name)
    return load_model(model)[1]


def model_argument(model: str | Path | None) -> str | None:
    """The form to hand to another process: names as they are, files as absolute paths."""
    if model is None or is_model_name(model):
        return None if model is None else str(model)
    return str(Path(model).resolve())
