"""The PoseLandmarker bundles: deterministic bytes, aligned members, the builder's metadata."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from formcheck.pose.bundle import (
    DETECTOR_MEMBER,
    LANDMARKER_MEMBER,
    build_bundle,
    deterministic_zip,
)
from formcheck.pose.models import read_bundled_model


def data_offsets(bundle: bytes) -> dict[str, int]:
    """Where each member's data starts (from its local header)."""
    offsets = {}
    for info in zipfile.ZipFile(io.BytesIO(bundle)).infolist():
        start = info.header_offset
        name_len, extra_len = struct.unpack("<HH", bundle[start + 26 : start + 30])
        offsets[info.filename] = start + 30 + name_len + extra_len
    return offsets


def test_deterministic_zip_is_stored_dated_and_aligned():
    members = [("a.bin", b"x" * 5), ("longer_name.bin", b"y" * 1000), ("c", b"")]
    bundle = deterministic_zip(members)
    assert bundle == deterministic_zip(members)
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    assert archive.testzip() is None
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.date_time == (2025, 1, 1, 0, 0, 0)
    assert all(offset % 64 == 0 for offset in data_offsets(bundle).values())
    assert archive.read("longer_name.bin") == b"y" * 1000


def members(bundle: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    return {name: archive.read(name) for name in archive.namelist()}


def _tflite(model: bytes):
    from mediapipe.tasks.metadata import schema_py_generated as schema

    return schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model, 0))


def metadata_buffer(model: bytes) -> bytes:
    """The TFLITE_METADATA flatbuffer inside a .tflite model."""
    tflite = _tflite(model)
    (entry,) = [m for m in tflite.metadata or [] if m.name == b"TFLITE_METADATA"]
    return bytes(tflite.buffers[entry.buffer].data)


def strip_metadata(model: bytes) -> bytes:
    """The landmark network without its metadata (the bare network the builder starts from)."""
    import flatbuffers

    tflite = _tflite(model)
    for entry in tflite.metadata or []:
        if entry.name == b"TFLITE_METADATA":
            tflite.buffers[entry.buffer].data = None
    tflite.metadata = [m for m in tflite.metadata or [] if m.name != b"TFLITE_METADATA"]
    builder = flatbuffers.Builder(1024)
    builder.Finish(tflite.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


@pytest.mark.parametrize("variant", ["lite", "full"])
def test_bundled_models_are_stored_aligned_and_carry_input_metadata(variant: str):
    bundle = read_bundled_model(variant)
    assert list(members(bundle)) == [DETECTOR_MEMBER, LANDMARKER_MEMBER]
    archive = zipfile.ZipFile(io.BytesIO(bundle))
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    assert all(offset % 64 == 0 for offset in data_offsets(bundle).values())
    # The landmark model carries metadata, as the detector already did.
    assert b"TFLITE_METADATA" in members(bundle)[LANDMARKER_MEMBER]
    assert f"pose_landmark_{variant}".encode() in members(bundle)[LANDMARKER_MEMBER]


def test_builder_on_this_mediapipe_writes_the_committed_metadata():
    # The committed bundles are byte-identical whether built with mediapipe 0.10.21's native
    # metadata writer or 1.x's Python one with the parser-version stand-in (models/README.md).
    # Here: the writer on the installed mediapipe, given the bare full network, writes the
    # very metadata bytes the committed bundle carries, and the detector is passed through.
    committed = members(read_bundled_model("full"))
    bare = strip_metadata(committed[LANDMARKER_MEMBER])
    assert b"TFLITE_METADATA" not in bare
    rebuilt = members(
        build_bundle(
            committed[DETECTOR_MEMBER],
            bare,
            "pose_landmark_full",
            "BlazePose GHUM 3D full landmark model (mediapipe 0.10.21 wheel)",
        )
    )
    assert rebuilt[DETECTOR_MEMBER] == committed[DETECTOR_MEMBER]
    assert metadata_buffer(rebuilt[LANDMARKER_MEMBER]) == metadata_buffer(
        committed[LANDMARKER_MEMBER]
    )


@pytest.mark.slow
def test_default_bundle_loads_in_mediapipe():
    from importlib.metadata import version

    from formcheck.pose.mediapipe_backend import DEFAULT_MODEL_ID, MediaPipePoseEstimator

    with MediaPipePoseEstimator() as estimator:
        assert estimator.model_id == DEFAULT_MODEL_ID
        assert f"mediapipe-pose-full@{version('mediapipe')}" == DEFAULT_MODEL_ID
