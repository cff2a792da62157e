"""The in-memory PoseLandmarker bundle: deterministic bytes, aligned members, loads."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from formcheck.pose.bundle import (
    DETECTOR_MEMBER,
    LANDMARKER_MEMBER,
    build_default_bundle,
    deterministic_zip,
)


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


def test_default_bundle_is_byte_identical_every_build():
    first, second = build_default_bundle(), build_default_bundle()
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist() == [DETECTOR_MEMBER, LANDMARKER_MEMBER]
    assert all(offset % 64 == 0 for offset in data_offsets(first).values())
    # The landmark model now carries metadata, as the detector already did.
    assert b"TFLITE_METADATA" in archive.read(LANDMARKER_MEMBER)


@pytest.mark.slow
def test_default_bundle_loads_in_mediapipe():
    from formcheck.pose.mediapipe_backend import DEFAULT_MODEL_ID, MediaPipePoseEstimator

    with MediaPipePoseEstimator() as estimator:
        assert estimator.model_id == DEFAULT_MODEL_ID == "mediapipe-pose-full@0.10.21"
