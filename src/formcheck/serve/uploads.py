"""Uploaded clips: size-limited, type sniffed from the bytes, stored under generated names."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class UploadRejectedError(Exception):
    """An upload that is not stored; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def sniff(head: bytes) -> str | None:
    """The container's suffix from its first bytes, or None when it is no video we read."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return ".mov" if brand == b"qt  " else ".mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ".mkv" if b"matroska" in head[:64] else ".webm"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return ".avi"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return ".gif"
    return None


def store_upload(stream: BinaryIO, folder: Path, max_bytes: int) -> tuple[Path, str]:
    """Copy ``stream`` to ``folder/<uuid><suffix>``; returns the path and its sha256.

    The name comes from a UUID and the suffix from the sniffed type: nothing of the
    user's file name reaches the file system. A rejected upload leaves nothing behind.
    """
    folder.mkdir(parents=True, exist_ok=True)
    head = stream.read(64)
    suffix = sniff(head)
    if suffix is None:
        raise UploadRejectedError(
            "not a video this app reads (mp4, mov, webm, mkv, avi or gif)", 415
        )
    final = folder / f"{uuid.uuid4().hex}{suffix}"
    tmp = folder / f".{final.name}.part"
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with open(tmp, "xb") as out:
            out.write(head)
            while block := stream.read(CHUNK):
                size += len(block)
                if size > max_bytes:
                    raise UploadRejectedError(
                        f"clip larger than the {max_bytes // (1 << 20)} MiB limit", 413
                    )
                digest.update(block)
                out.write(block)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final, digest.hexdigest()
