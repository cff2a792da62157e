"""Build a PoseLandmarker ``.task`` bundle from a detector and a landmark network.

Used once, by ``scripts/build_pose_models.py``, to make the bundles shipped in
``formcheck/models/``; nothing calls it at run time. The Tasks API wants a
``.task`` zip holding ``pose_detector.tflite`` and ``pose_landmarks_detector.tflite``.
The bare landmark networks (mediapipe 0.10.21 wheel, npm ``@mediapipe/pose``)
lack the input normalisation metadata the Tasks API needs, so we add it with
mediapipe's own metadata writer (still in mediapipe 1.x). The zip is written
deterministically (stored members, fixed date, data aligned to 64 bytes) so
every build is byte-identical.

mediapipe is imported lazily, inside :func:`add_landmark_metadata`.
"""

from __future__ import annotations

import importlib
import io
import struct
import sys
import types
import zipfile

from formcheck.errors import ModelError

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKER_MEMBER = "pose_landmarks_detector.tflite"

# A fixed timestamp keeps the zip bytes independent of the build time.
_ZIP_DATE = (2025, 1, 1, 0, 0, 0)
_ALIGN = 64
# Zip extra-field header id for our padding (unassigned; readers skip unknown ids).
_PAD_HEADER_ID = 0xCAFE


# The metadata parser version our metadata needs, as mediapipe 0.10.21's native
# GetMinimumMetadataParserVersion computes it for these fields.
_MIN_PARSER_VERSION = "1.0.0"


def _provide_parser_version() -> None:
    """Stand in for the native module the mediapipe 1.x wheel no longer ships.

    mediapipe 1.x keeps the pure-Python metadata writer but not
    ``_pywrap_metadata_version``, which only computes the minimum parser version.
    For the fields written here that is 1.0.0; with it the writer's output is
    byte-identical to mediapipe 0.10.21's (tests/pose/test_pose_bundle.py).
    """
    name = "mediapipe.tasks.cc.metadata.python._pywrap_metadata_version"
    try:
        importlib.import_module(name)
        return
    except ImportError:
        pass
    # The module and the packages above it that 1.x lacks (mediapipe.tasks.cc, ...).
    parts = name.split(".")
    for depth in range(3, len(parts) + 1):
        dotted = ".".join(parts[:depth])
        if dotted in sys.modules:
            continue
        try:
            importlib.import_module(dotted)
        except ImportError:
            module = types.ModuleType(dotted)
            module.__path__ = []  # a package, so the import system looks no further
            sys.modules[dotted] = module
            setattr(sys.modules[".".join(parts[: depth - 1])], parts[depth - 1], module)
    stand_in = sys.modules[name]
    stand_in.GetMinimumMetadataParserVersion = lambda _buffer: _MIN_PARSER_VERSION  # type: ignore[attr-defined]


def add_landmark_metadata(model: bytes, name: str, description: str) -> bytes:
    """Return the landmark network with image-input metadata (RGB scaled to [0, 1])."""
    _provide_parser_version()
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

    num_outputs = writer_utils.get_subgraph(bytearray(model)).OutputsLength()
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    # The network expects RGB in [0, 1]: (pixel - 0) / 255.
    writer.add_image_input(norm_mean=[0.0], norm_std=[255.0])
    for _ in range(num_outputs):
        writer.add_feature_output()
    with_metadata, _json = writer.populate()
    del writer  # its __del__ removes a temporary folder: now, not at interpreter exit
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


def build_bundle(detector: bytes, landmarks: bytes, name: str, description: str) -> bytes:
    """A PoseLandmarker bundle from the two bare networks (byte-identical on every build).

    ``name`` and ``description`` go into the landmark network's metadata.
    """
    try:
        landmarks = add_landmark_metadata(landmarks, name, description)
    except Exception as exc:  # the writer raises assorted types on a foreign model
        raise ModelError(f"cannot add metadata to the pose landmark model: {exc}") from exc
    return deterministic_zip([(DETECTOR_MEMBER, detector), (LANDMARKER_MEMBER, landmarks)])
