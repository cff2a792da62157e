"""Pose recordings: a clip's landmarks saved once, analysed again without the model.

A recording is a compressed ``.npz`` (no pickles) holding the per-frame arrays
and a ``meta`` entry with JSON metadata. Frames without a person are stored as
NaN with ``detected`` False. Loading and iterating :meth:`PoseRecording.frames`
gives back exactly the :class:`~formcheck.types.PoseFrame` objects that were
recorded (landmark values are stored as float32, MediaPipe's own precision).
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from formcheck.errors import InputError
from formcheck.landmarks import NUM_LANDMARKS
from formcheck.types import PoseFrame

FORMAT_NAME = "formcheck-pose-recording"
FORMAT_VERSION = 1

ARRAY_NAMES = ("timestamps", "indices", "image_sizes", "detected", "xy", "z", "visibility", "world")


def _frozen(array: np.ndarray, dtype: type) -> np.ndarray:
    out = np.array(array, dtype=dtype)  # a private copy, so read-only is safe
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class PoseRecording:
    """Per-frame pose of one clip; ``T`` is the number of frames.

    Attributes:
        timestamps: ``(T,)`` float64 seconds, increasing.
        indices: ``(T,)`` int64 frame numbers in the source.
        image_sizes: ``(T, 2)`` int64 ``(width, height)`` of each analysed image.
        detected: ``(T,)`` bool, whether a person was found.
        xy: ``(T, 33, 2)`` float32 pixels; NaN where not detected.
        z: ``(T, 33)`` float32 depth in x's pixel scale; NaN where not detected.
        visibility: ``(T, 33)`` float32 in [0, 1]; NaN where not detected.
        world: ``(T, 33, 3)`` float32 metres; NaN where not detected.
        fps: nominal frame rate of the source.
        model_id: the pose model that produced it.
        source: name of the clip it came from.
        format_version: version of the file format it was read from or will be saved as.
    """

    timestamps: np.ndarray
    indices: np.ndarray
    image_sizes: np.ndarray
    detected: np.ndarray
    xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    world: np.ndarray
    fps: float
    model_id: str
    source: str = ""
    format_version: int = FORMAT_VERSION

    def __post_init__(self) -> None:
        n = len(self.timestamps)
        expected = {
            "timestamps": ((n,), np.float64),
            "indices": ((n,), np.int64),
            "image_sizes": ((n, 2), np.int64),
            "detected": ((n,), np.bool_),
            "xy": ((n, NUM_LANDMARKS, 2), np.float32),
            "z": ((n, NUM_LANDMARKS), np.float32),
            "visibility": ((n, NUM_LANDMARKS), np.float32),
            "world": ((n, NUM_LANDMARKS, 3), np.float32),
        }
        for name, (shape, dtype) in expected.items():
            array = np.asarray(getattr(self, name))
            if array.shape != shape:
                raise ValueError(f"PoseRecording.{name} must have shape {shape}, got {array.shape}")
            object.__setattr__(self, name, _frozen(array, dtype))

    @property
    def stride(self) -> int:
        """Every how many frames the poses were modelled (``--stride``).

        Every modelled frame is recorded, with or without a person, so the first two
        frame numbers say it.
        """
        if len(self.indices) < 2:
            return 1
        return max(1, int(self.indices[1] - self.indices[0]))

    def __len__(self) -> int:
        return len(self.timestamps)

    @property
    def image_size(self) -> tuple[int, int]:
        """``(width, height)`` of the first frame (``(0, 0)`` for an empty recording)."""
        if len(self) == 0:
            return (0, 0)
        return int(self.image_sizes[0, 0]), int(self.image_sizes[0, 1])

    @classmethod
    def from_frames(
        cls, frames: Iterable[PoseFrame], *, fps: float, model_id: str, source: str = ""
    ) -> PoseRecording:
        """Collect pose frames (in time order) into a recording."""
        rows: dict[str, list[Any]] = {name: [] for name in ARRAY_NAMES}
        nan_xy = np.full((NUM_LANDMARKS, 2), np.nan, dtype=np.float32)
        nan_z = np.full(NUM_LANDMARKS, np.nan, dtype=np.float32)
        nan_world = np.full((NUM_LANDMARKS, 3), np.nan, dtype=np.float32)
        for frame in frames:
            rows["timestamps"].append(frame.timestamp_s)
            rows["indices"].append(frame.index)
            rows["image_sizes"].append(frame.image_size)
            rows["detected"].append(frame.detected)
            rows["xy"].append(nan_xy if frame.xy is None else frame.xy)
            # A detected frame without z/visibility/world keeps NaNs: read back as None.
            rows["z"].append(nan_z if frame.z is None else frame.z)
            rows["visibility"].append(nan_z if frame.visibility is None else frame.visibility)
            rows["world"].append(nan_world if frame.world is None else frame.world)
        empty_shapes = {
            "image_sizes": (0, 2),
            "xy": (0, NUM_LANDMARKS, 2),
            "z": (0, NUM_LANDMARKS),
            "visibility": (0, NUM_LANDMARKS),
            "world": (0, NUM_LANDMARKS, 3),
        }
        arrays = {
            name: np.array(values) if values else np.zeros(empty_shapes.get(name, (0,)))
            for name, values in rows.items()
        }
        return cls(**arrays, fps=float(fps), model_id=model_id, source=source)

    def frames(self) -> Iterator[PoseFrame]:
        """The recorded :class:`PoseFrame` objects, in order (arrays are fresh copies)."""
        for i in range(len(self)):
            width, height = (int(v) for v in self.image_sizes[i])
            common = {
                "timestamp_s": float(self.timestamps[i]),
                "index": int(self.indices[i]),
                "image_size": (width, height),
            }
            if not self.detected[i]:
                yield PoseFrame(**common)
                continue
            yield PoseFrame(
                **common,
                xy=self.xy[i].copy(),
                z=_none_if_nan(self.z[i]),
                visibility=_none_if_nan(self.visibility[i]),
                world=_none_if_nan(self.world[i]),
            )

    def metadata(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "fps": self.fps,
            "model_id": self.model_id,
            "source": self.source,
            "frames": len(self),
        }

    def save(self, path: Path) -> None:
        """Write to ``path`` atomically: a temporary file in the same folder, then a rename."""
        path = Path(path)
        meta = np.frombuffer(json.dumps(self.metadata()).encode("utf-8"), dtype=np.uint8)
        arrays = {name: getattr(self, name) for name in ARRAY_NAMES}
        fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez_compressed(handle, meta=meta, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp_name, 0o644)  # mkstemp makes it private; a recording is not secret
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> PoseRecording:
        """Read a recording saved by :meth:`save`; a bad or foreign file raises InputError."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"pose recording not found: {path}")
        try:
            with np.load(path, allow_pickle=False) as data:
                contents = {name: data[name] for name in data.files}
        except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise InputError(f"{path} is not a pose recording (cannot read it as .npz)") from exc
        meta = _read_meta(path, contents.get("meta"))
        missing = [name for name in ARRAY_NAMES if name not in contents]
        if missing:
            raise InputError(f"{path} is a damaged pose recording: missing {', '.join(missing)}")
        try:
            return cls(
                **{name: contents[name] for name in ARRAY_NAMES},
                fps=float(meta["fps"]),
                model_id=str(meta["model_id"]),
                source=str(meta.get("source", "")),
                format_version=int(meta["format_version"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"{path} is a damaged pose recording: {exc}") from exc


def _none_if_nan(values: np.ndarray) -> np.ndarray | None:
    return None if np.isnan(values).all() else values.copy()


def _read_meta(path: Path, raw: np.ndarray | None) -> dict[str, Any]:
    if raw is None:
        raise InputError(f"{path} is not a formcheck pose recording (no metadata)")
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is a damaged pose recording (bad metadata)") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise InputError(f"{path} is not a formcheck pose recording")
    version = meta.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InputError(
            f"{path} is a pose recording of format version {version}; "
            f"this formcheck reads up to version {FORMAT_VERSION}, please upgrade"
        )
    return meta
