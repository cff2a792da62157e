"""``open_source``: decide what a spec names, check it cheaply, then open it.

Every failure is an :class:`~formcheck.errors.InputError` with one line that
says what is wrong with the input, checked in order of cost: path exists, is a
file, is readable, is not empty, starts like a video; then OpenCV opens it and
decodes the first frame.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import cv2

from formcheck.errors import InputError
from formcheck.sources.base import FrameSource
from formcheck.sources.capture import DEFAULT_FPS, CaptureSource
from formcheck.sources.images import IMAGE_EXTENSIONS, ImageSequenceSource, list_images
from formcheck.sources.sniff import (
    Content,
    looks_like_mpeg_audio,
    mp4_has_index_box,
    mp4_track_kinds,
    sniff,
)

VIDEO_EXTENSIONS = frozenset(
    {".mp4", ".m4v", ".mov", ".avi", ".webm", ".mkv", ".gif", ".mpg", ".mpeg", ".ts", ".wmv"}
)

_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
# Give up on an unreachable stream after this long instead of FFmpeg's default minutes.
_STREAM_TIMEOUT_MS = 10_000
_SNIFF_BYTES = 4096


def open_source(spec: str | Path | int, *, fps: float | None = None) -> FrameSource:
    """Open a video file, image folder, single image, camera or stream.

    Args:
        spec: a path (video file, folder of images, or one image, which becomes
            a 1-frame source); an ``int`` or a string of digits that is not an
            existing path (camera index); or a URL such as ``rtsp://...``.
        fps: frame rate for images (default 30), and the rate used to time
            frames whose container gives no usable time.

    Raises:
        InputError: one line saying why the input cannot be used.
    """
    if fps is not None and not fps > 0:
        raise InputError(f"--fps must be a positive number, got {fps}")
    if isinstance(spec, bool):
        raise TypeError("spec must be a path, a camera index or a URL")
    if isinstance(spec, int):
        return open_camera(spec, fps=fps)
    if isinstance(spec, str) and _URL.match(spec):
        return open_stream(spec, fps=fps)
    path = Path(spec)
    if isinstance(spec, str) and spec.isdigit() and not path.exists():
        return open_camera(int(spec), fps=fps)
    return open_path(path, fps=fps)


def open_path(path: Path, *, fps: float | None = None) -> FrameSource:
    """Open a video file, a folder of images or a single image."""
    if not path.exists():
        raise InputError(f"file not found: {path}")
    if path.is_dir():
        return _open_image_folder(path, fps or DEFAULT_FPS)
    if not path.is_file():
        raise InputError(f"{path} is not a regular file")
    if not os.access(path, os.R_OK):
        raise InputError(f"no permission to read {path}")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path} is empty (0 bytes)")
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    content, kind = sniff(head)
    suffix = path.suffix.lower()
    if content is Content.IMAGE:
        if suffix in IMAGE_EXTENSIONS:
            return _open_images([path], str(path), fps or DEFAULT_FPS)
        raise InputError(
            f"{path} is a {kind} image, not a video; to analyse one picture, "
            f"give it its image extension (e.g. .{kind.lower()})"
        )
    if content is Content.AUDIO:
        raise InputError(f"{path} holds audio only ({kind}), no video track")
    if content is Content.TEXT:
        raise InputError(f"{path} is a text file, not a video")
    return _open_video_file(path, head, fps)


def _open_video_file(path: Path, head: bytes, fps: float | None) -> FrameSource:
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        capture.release()
        raise InputError(_why_not_opened(path, head))
    if capture.get(cv2.CAP_PROP_FRAME_WIDTH) <= 0:
        capture.release()
        if sniff(head) == (Content.VIDEO, "MP4/MOV") and "vide" in mp4_track_kinds(path):
            raise InputError(
                f"{path} has a damaged index ('moov' box): its video track is unreadable"
            )
        raise InputError(f"{path} has no video track (audio only?)")
    source = CaptureSource.start(capture, str(path), fps=fps)
    if source is None:
        capture.release()
        raise InputError(f"cannot decode any frame of {path}: unsupported codec or damaged file")
    return source


def _why_not_opened(path: Path, head: bytes) -> str:
    content, kind = sniff(head)
    if content is Content.VIDEO and kind == "MP4/MOV":
        tracks = mp4_track_kinds(path)
        if not tracks and mp4_has_index_box(path):
            return (
                f"{path} has a damaged index ('moov' box): its frames cannot be located "
                "(the file may be repairable with a tool that rebuilds the index)"
            )
        if not tracks:
            return (
                f"{path} has no index ('moov' box): the recording was cut off "
                "before it was finished (truncated file)"
            )
        if "vide" not in tracks:
            return f"{path} holds audio only, no video track"
    if content is Content.VIDEO:
        return (
            f"cannot open {path}: the {kind} file is damaged, truncated "
            "or uses an unsupported codec"
        )
    if looks_like_mpeg_audio(head):
        return f"{path} holds audio only (MP3/AAC), no video track"
    return f"{path} is not a video file (or one OpenCV cannot read)"


def _open_image_folder(folder: Path, fps: float) -> FrameSource:
    try:
        images = list_images(folder)
    except PermissionError:
        raise InputError(f"no permission to read folder {folder}") from None
    if not images:
        shown = ", ".join(sorted(IMAGE_EXTENSIONS)[:4])
        raise InputError(
            f"{folder} is a folder with no images in it ({shown}, ...); "
            "give a video file or a folder of images"
        )
    return _open_images(images, str(folder), fps)


def _open_images(paths: list[Path], name: str, fps: float) -> FrameSource:
    source = ImageSequenceSource.start(paths, name, fps)
    if source is None:
        raise InputError(f"cannot decode image {paths[0]}")
    return source


def open_camera(index: int, *, fps: float | None = None) -> FrameSource:
    """Open webcam ``index``; frames are timed by the clock as they arrive."""
    capture = cv2.VideoCapture(index)
    if not capture.isOpened():
        capture.release()
        raise InputError(f"cannot open camera {index}: no such camera, or it is in use")
    source = CaptureSource.start(capture, f"camera {index}", fps=fps, live=True)
    if source is None:
        capture.release()
        raise InputError(f"camera {index} opened but gave no picture")
    return source


def _redact(url: str) -> str:
    """The URL without a password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def open_stream(url: str, *, fps: float | None = None) -> FrameSource:
    """Open a network stream (rtsp, http, ...) with OpenCV's FFmpeg backend."""
    shown = _redact(url)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        _STREAM_TIMEOUT_MS,
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        _STREAM_TIMEOUT_MS,
    ]
    capture = cv2.VideoCapture(url, cv2.CAP_FFMPEG, params)
    if not capture.isOpened():
        capture.release()
        raise InputError(f"cannot open stream {shown}: unreachable, or not a video stream")
    source = CaptureSource.start(capture, shown, fps=fps, stream=True)
    if source is None:
        capture.release()
        raise InputError(f"stream {shown} opened but gave no picture")
    return source
