"""Build a PoseLandmarker ``.task`` bundle in memory from the mediapipe wheel.

mediapipe 0.10.21 ships the two BlazePose networks as bare ``.tflite`` files.
The Tasks API wants a ``.task`` zip holding ``pose_detector.tflite`` and
``pose_landmarks_detector.tflite``; the landmark network lacks the input
normalisation metadata the Tasks API needs, so we add it with mediapipe's own
metadata writer. The zip is written deterministically (stored members, fixed
date, data aligned to 64 bytes) so every build is byte-identical.

This module imports mediapipe lazily, inside :func:`build_default_bundle`, so
that only the mediapipe backend pulls the library in.
"""

from __future__ import annotations

import io
import struct
import zipfile
from importlib import resources

from formcheck.errors import ModelError

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKER_MEMBER = "pose_landmarks_detector.tflite"

_DETECTOR_RESOURCE = ("mediapipe.modules.pose_detection", "pose_detection.tflite")
_LANDMARK_RESOURCE = ("mediapipe.modules.pose_landmark", "pose_landmark_full.tflite")

# A fixed timestamp keeps the zip bytes independent of the build time.
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)
_ALIGN = 64
# Zip extra-field header id for our padding (unassigned; readers skip unknown ids).
_PAD_HEADER_ID = 0xCAFE


def _read_wheel_model(package: str, name: str) -> bytes:
    try:
        return resources.files(package).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ModelError(
            f"pose model {name} is missing from the mediapipe package; "
            "reinstall mediapipe==0.10.21 or pass --model PATH.task"
        ) from exc


def add_landmark_metadata(model: bytes) -> bytes:
    """Return the landmark network with image-input metadata (RGB scaled to [0, 1])."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

    num_outputs = writer_utils.get_subgraph(bytearray(model)).OutputsLength()
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(
        "pose_landmark_full", "BlazePose GHUM 3D full landmark model (mediapipe 0.10.21 wheel)"
    )
    # The network expects RGB in [0, 1]: (pixel - 0) / 255.
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for _ in range(num_outputs):
        writer.add_feature_output()
    with_metadata, _json = writer.populate()
    return bytes(with_metadata)


def deterministic_zip(members: list[tuple[str, bytes]]) -> bytes:
    """Zip ``(name, data)`` pairs stored, dated ``_ZIP_DATE``, data aligned to 64 bytes.

    Alignment lets mediapipe map the models without copying them.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o644 << 16
            # Local header: 30 fixed bytes + name + extra; extra = 4-byte header + padding.
            header_end = buffer.tell() + 30 + len(name.encode()) + 4
            padding = -header_end % _ALIGN
            info.extra = struct.pack("<HH", _PAD_HEADER_ID, padding) + b"\0" * padding
            archive.writestr(info, data)
    return buffer.getvalue()


def build_default_bundle() -> bytes:
    """The full-model PoseLandmarker bundle as bytes (0.1-0.2 s, byte-identical each time)."""
    detector = _read_wheel_model(*_DETECTOR_RESOURCE)
    landmarks = _read_wheel_model(*_LANDMARK_RESOURCE)
    try:
        landmarks = add_landmark_metadata(landmarks)
    except Exception as exc:  # the writer raises assorted types on a foreign model
        raise ModelError(f"cannot add metadata to the pose landmark model: {exc}") from exc
    return deterministic_zip([(DETECTOR_MEMBER, detector), (LANDMARKER_MEMBER, landmarks)])
