"""Write annotated frames to a video file, atomically.

Formats, chosen by the file's suffix:

* ``.webm`` - VP8 by default; plays in every browser, so the HTML report and
  a patient portal can show it. VP9 ('VP90') is available with
  ``codec="vp9"`` but OpenCV's build encodes it about 6x slower than VP8 here
  (2 shared cores: VP8 ~105 fps at 640x480 and ~41 fps at 1280x720, VP9 ~16
  and ~5.5 fps), which would throttle the ~45 fps analysis. If one VP codec
  cannot be opened the other is tried.
* ``.mp4`` - MPEG-4 Part 2 ('mp4v'), very fast but **does not play in
  browsers**; OpenCV's bundled FFmpeg has no H.264 encoder. Use it for
  desktop players only.
* ``.avi`` - Motion JPEG, for debugging.

Encoding runs on a background thread (``threaded=True``): OpenCV releases
the GIL while encoding, so on two cores the encoder overlaps with pose
estimation instead of adding to it. Measured with a 44 fps single-core
stand-in for the analysis: 640x480 VP8 42 fps threaded (32 inline); 1280x720
28 fps threaded (21 inline) - at 720p the two cores are simply full.

The file appears only when the sink closes without error; until then
frames go to a temporary file beside it, which is removed on failure.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal

import cv2
import numpy as np

from formcheck.errors import FormcheckError
from formcheck.pose.native_logs import native_logs_quieted
from formcheck.report.atomic import StrPath, commit, refuse_existing, temp_path_for

log = logging.getLogger(__name__)

Codec = Literal["vp8", "vp9", "mp4v", "mjpg"]

_FOURCC: dict[str, str] = {"vp8": "VP80", "vp9": "VP90", "mp4v": "mp4v", "mjpg": "MJPG"}
# Per suffix: codecs to try, in order. VP8 first for .webm: see the module docstring.
_CODECS: dict[str, tuple[Codec, ...]] = {
    ".webm": ("vp8", "vp9"),
    ".mp4": ("mp4v",),
    ".avi": ("mjpg",),
}


class VideoWriteError(FormcheckError, OSError):
    """The video file cannot be written; the message is one line for the user."""


@dataclass(frozen=True)
class _Stop:
    pass


class VideoSink:
    """Context manager that encodes frames to ``path``.

    >>> with VideoSink("out.webm", fps=30.0) as sink:  # doctest: +SKIP
    ...     for frame in frames:
    ...         sink.write(annotate(frame))

    Args:
        path: output file; the suffix picks the container (see module docstring).
        fps: frames per second; pass the source's fps so time is kept.
        size: ``(width, height)``; None takes it from the first frame.
        codec: force a codec for the suffix (``"vp9"`` for a smaller .webm).
        force: overwrite an existing file.
        threaded: encode on a background thread (frames are queued, at most
            ``queue_size`` of them; the sink keeps its own reference, so do
            not modify a frame after writing it).
    """

    def __init__(
        self,
        path: StrPath,
        fps: float,
        size: tuple[int, int] | None = None,
        *,
        codec: Codec | None = None,
        force: bool = False,
        threaded: bool = True,
        queue_size: int = 8,
    ) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in _CODECS:
            raise VideoWriteError(
                f"cannot write video {self.path.name}: use .webm (plays in browsers), .mp4 or .avi"
            )
        if not (fps > 0):
            raise VideoWriteError(
                f"cannot write video {self.path.name}: fps must be > 0, got {fps}"
            )
        if codec is not None and codec not in _FOURCC:
            raise VideoWriteError(f"unknown codec {codec!r}; choose from {', '.join(_FOURCC)}")
        self.fps = float(fps)
        self.size = size
        self.force = force
        order = _CODECS[suffix]
        self._codecs: tuple[Codec, ...] = (
            (codec, *(c for c in order if c != codec)) if codec else order
        )
        self.codec: Codec | None = None  # the one actually used, once open
        self.frames_written = 0
        self._threaded = threaded
        self._queue_size = queue_size
        self._writer: cv2.VideoWriter | None = None
        self._tmp: Path | None = None
        self._queue: queue.Queue[np.ndarray | _Stop] | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._closed = False
        refuse_existing(self.path, force)

    # -- context manager -------------------------------------------------
    def __enter__(self) -> VideoSink:
        if self.size is not None:
            self._open(self.size)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    # -- writing -----------------------------------------------------------
    def write(self, image: np.ndarray) -> None:
        """Queue one BGR ``(h, w, 3)`` uint8 frame; its size must match the video's."""
        if self._closed:
            raise VideoWriteError(f"{self.path.name}: write after close")
        self._raise_thread_error()
        h, w = image.shape[:2]
        if self._writer is None:
            self._open(self.size or (w, h))
        if (w, h) != self.size:
            raise VideoWriteError(
                f"{self.path.name}: frame is {w}x{h} but the video is {self.size[0]}x{self.size[1]}"
            )
        if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
            raise VideoWriteError(f"{self.path.name}: frames must be uint8 BGR (h, w, 3)")
        if self._queue is not None:
            self._queue.put(image)
        else:
            assert self._writer is not None
            self._writer.write(image)
        self.frames_written += 1

    def close(self) -> Path | None:
        """Finish the file and move it into place; returns its path (None if no frames)."""
        if self._closed:
            return self.path if self.path.exists() else None
        try:
            self._finish_writer()
            self._raise_thread_error()
            if self.frames_written == 0 or self._tmp is None:
                log.warning("no frames were written; %s was not created", self.path)
                self._remove_tmp()
                return None
            commit(self._tmp, self.path, force=self.force)
            self._tmp = None
            return self.path
        except BaseException:
            self._remove_tmp()
            raise
        finally:
            self._closed = True

    def abort(self) -> None:
        """Stop and delete the partial file; the target is left untouched."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._finish_writer()
        self._remove_tmp()

    # -- internals -------------------------------------------------------------
    def _open(self, size: tuple[int, int]) -> None:
        w, h = int(size[0]), int(size[1])
        if w <= 0 or h <= 0:
            raise VideoWriteError(f"cannot write video {self.path.name}: bad size {w}x{h}")
        if not self.path.parent.is_dir():
            raise VideoWriteError(f"cannot write video: folder {self.path.parent} does not exist")
        self.size = (w, h)
        try:
            self._tmp = temp_path_for(self.path)
        except OSError as e:
            raise VideoWriteError(f"cannot write video {self.path}: {e.strerror or e}") from e
        for codec in self._codecs:
            # OpenCV prints "tag 'VP80' is not supported with ... 'webm'" with a bare
            # fprintf (it then uses VP8 anyway): keep it off the user's terminal.
            with native_logs_quieted():
                writer = cv2.VideoWriter(
                    str(self._tmp), cv2.VideoWriter_fourcc(*_FOURCC[codec]), self.fps, (w, h)
                )
            if writer.isOpened():
                self._writer, self.codec = writer, codec
                break
            writer.release()
            log.info("codec %s could not be opened for %s", codec, self.path.name)
        if self._writer is None:
            self._remove_tmp()
            tried = ", ".join(_FOURCC[c] for c in self._codecs)
            raise VideoWriteError(
                f"cannot write video {self.path.name}: OpenCV could not open an encoder ({tried})"
            )
        if self._threaded:
            self._queue = queue.Queue(maxsize=self._queue_size)
            self._thread = threading.Thread(target=self._run, name="VideoSink", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._queue is not None and self._writer is not None
        while True:
            item = self._queue.get()
            if isinstance(item, _Stop):
                return
            if self._error is None:
                try:
                    self._writer.write(item)
                except BaseException as e:  # reported on the caller's next write/close
                    self._error = e

    def _finish_writer(self) -> None:
        if self._thread is not None and self._queue is not None:
            self._queue.put(_Stop())
            self._thread.join()
            self._thread = None
        if self._writer is not None:
            self._writer.release()
            self._writer = None

    def _raise_thread_error(self) -> None:
        if self._error is not None:
            err, self._error = self._error, None
            raise VideoWriteError(f"encoding {self.path.name} failed: {err}") from err

    def _remove_tmp(self) -> None:
        if self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()
            self._tmp = None
