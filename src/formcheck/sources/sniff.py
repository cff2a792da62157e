"""Guess what a file holds from its first bytes, so errors can say why it is not a video."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path

# How much of each end of an MP4/MOV to scan for track handlers.
_MP4_SCAN_BYTES = 4 * 1024 * 1024


class Content(str, Enum):
    VIDEO = "video"
    IMAGE = "image"
    AUDIO = "audio"
    TEXT = "text"
    UNKNOWN = "unknown"


_AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B ")


def sniff(head: bytes) -> tuple[Content, str]:
    """``(content, format name)`` from a file's first bytes (64 are enough)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Content.IMAGE, "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return Content.IMAGE, "JPEG"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return Content.IMAGE, "TIFF"
    if head.startswith(b"BM") and len(head) >= 14:
        return Content.IMAGE, "BMP"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Content.VIDEO, "GIF"  # possibly animated; OpenCV's FFmpeg reads both kinds
    if head[:4] == b"RIFF":
        kind = head[8:12]
        if kind == b"WEBP":
            return Content.IMAGE, "WebP"
        if kind.startswith(b"AVI"):
            return Content.VIDEO, "AVI"
        if kind == b"WAVE":
            return Content.AUDIO, "WAV"
    if head[4:8] == b"ftyp":
        if head[8:12] in _AUDIO_MP4_BRANDS:
            return Content.AUDIO, "M4A"
        return Content.VIDEO, "MP4/MOV"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Content.VIDEO, "Matroska/WebM"
    if head.startswith((b"FLV", b"\x00\x00\x01\xba", b"\x30\x26\xb2\x75")):
        return Content.VIDEO, "FLV/MPEG/ASF"
    if head[:1] == b"\x47" and len(head) > 188 and head[188:189] == b"\x47":
        return Content.VIDEO, "MPEG-TS"
    if head.startswith((b"ID3", b"fLaC", b"caff")):
        return Content.AUDIO, "audio"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return Content.AUDIO, "AIFF"
    if _looks_like_text(head):
        return Content.TEXT, "text"
    return Content.UNKNOWN, "unknown"


def looks_like_mpeg_audio(head: bytes) -> bool:
    """Bare MP3 / ADTS AAC frames at the start (no ID3 tag); give it ~4 KB.

    Asks for a plausible first frame header whose first two bytes come back at
    least twice more (the following frames), so random data is not taken for
    audio. Callers use it only to explain a file OpenCV failed to open.
    """
    if len(head) < 3 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    if head.count(head[:2]) < 3:
        return False
    if head[1] & 0xF6 == 0xF0:  # ADTS: sync 12 bits, layer 00
        return True
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return printable >= 0.95 * len(text)


def _mp4_ends(path: Path) -> list[bytes]:
    """The first and last few MB of a file: where an MP4's index (``moov``) sits."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        chunks = [handle.read(_MP4_SCAN_BYTES)]
        if size > _MP4_SCAN_BYTES:
            handle.seek(max(_MP4_SCAN_BYTES, size - _MP4_SCAN_BYTES))
            chunks.append(handle.read())
    return chunks


def mp4_has_index_box(path: Path) -> bool:
    """Whether a ``moov`` box header is there at all (damaged or not)."""
    return any(b"moov" in chunk for chunk in _mp4_ends(path))


def mp4_track_kinds(path: Path) -> set[str]:
    """Handler types (``"vide"``, ``"soun"``, ...) of an MP4/MOV's tracks.

    Scans both ends of the file for ``hdlr`` boxes: the index (``moov``) sits
    at the start or the end. An empty set means no index was found, which is
    what a recording cut off before it was finalised looks like.
    """
    kinds: set[str] = set()
    for chunk in _mp4_ends(path):
        start = chunk.find(b"hdlr")
        while start != -1:
            # hdlr box: 'hdlr', version/flags (4), pre_defined (4), handler_type (4).
            handler = chunk[start + 12 : start + 16]
            if len(handler) == 4 and handler.isalpha():
                kinds.add(handler.decode("ascii"))
            start = chunk.find(b"hdlr", start + 4)
    return kinds & {"vide", "soun", "text", "sbtl", "subt", "meta", "hint", "tmcd"}


# mvhd times count seconds from 1904-01-01 UTC; a muxer that knows no time writes 0.
_MP4_EPOCH = datetime(1904, 1, 1, tzinfo=timezone.utc)
_PLAUSIBLE_FROM = datetime(2000, 1, 1, tzinfo=timezone.utc)


def mp4_creation_time(path: Path) -> datetime | None:
    """The creation time in an MP4/MOV's movie header (``mvhd``), UTC; None if absent or 0."""
    try:
        with path.open("rb") as handle:
            if handle.read(8)[4:] not in (b"ftyp", b"moov", b"mdat", b"wide", b"free"):
                return None  # not an MP4/MOV
        chunks = _mp4_ends(path)
    except OSError:
        return None
    for chunk in chunks:
        at = chunk.find(b"mvhd")
        if at == -1:
            continue
        version = chunk[at + 4 : at + 5]
        width = 8 if version == b"\x01" else 4  # version 1 has 64-bit times
        raw = chunk[at + 8 : at + 8 + width]
        if len(raw) != width:
            continue
        when = _MP4_EPOCH + timedelta(seconds=int.from_bytes(raw, "big"))
        if _PLAUSIBLE_FROM <= when <= datetime.now(timezone.utc) + timedelta(days=1):
            return when
    return None
