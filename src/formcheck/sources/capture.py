"""Frames from OpenCV's ``VideoCapture``: video files, cameras and streams."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Protocol

import cv2
import numpy as np

from formcheck.sources.base import FrameSource
from formcheck.sources.damage import MAX_BAD_READS, DamageLog, read_past_damage
from formcheck.sources.timing import TimestampClock
from formcheck.types import Frame, VideoInfo

DEFAULT_FPS = 30.0

# A source is truncated when it yields fewer frames than announced, beyond this
# slack: Matroska/WebM counts are estimated from the duration and may be off by one.
_TRUNCATION_SLACK = 0.02

_ROTATIONS = {
    90: cv2.ROTATE_90_CLOCKWISE,
    180: cv2.ROTATE_180,
    270: cv2.ROTATE_90_COUNTERCLOCKWISE,
}


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` a source uses (tests pass fakes)."""

    def read(self) -> tuple[bool, np.ndarray | None]: ...

    def grab(self) -> bool: ...

    def get(self, prop_id: int) -> float: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def release(self) -> None: ...


def normalise_rotation(degrees: float) -> int:
    """Nearest of 0, 90, 180, 270 to a container's rotation (any sign, any turn)."""
    if not np.isfinite(degrees):
        return 0
    return round(degrees / 90.0) % 4 * 90


def upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate a ``(h, w, 3)`` image ``rotation`` degrees clockwise (0, 90, 180, 270)."""
    if rotation == 0:
        return image
    return cv2.rotate(image, _ROTATIONS[rotation])


def take_over_rotation(capture: Capture) -> int:
    """Turn OpenCV's own auto-rotation off and return the rotation to apply ourselves.

    OpenCV 4.11's pip wheel leaves ``CAP_PROP_ORIENTATION_AUTO`` off (checked:
    a 90-degree phone clip comes out sideways), and later versions turn it on.
    Doing the rotation here gives one behaviour whatever the version. Where
    the backend cannot switch it (cameras), nothing is rotated.
    """
    if not capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0):
        return 0
    return normalise_rotation(capture.get(cv2.CAP_PROP_ORIENTATION_META))


def _now_ms(wall_clock: Callable[[], float]) -> float:
    return wall_clock() * 1000.0


def _describe(capture: Capture) -> dict[str, str]:
    """Backend and codec, for reports (empty for captures that cannot say)."""
    extra: dict[str, str] = {}
    backend = getattr(capture, "getBackendName", None)
    if backend is not None:
        with contextlib.suppress(cv2.error):
            extra["backend"] = str(backend())
    code = capture.get(cv2.CAP_PROP_FOURCC)
    if np.isfinite(code) and 0 < code < 2**32:
        codec = int(code).to_bytes(4, "little").decode("ascii", "replace").strip("\0 ")
        if codec and codec.isprintable():
            extra["codec"] = codec
    return extra


def _positive_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) and value > 0 else None


class CaptureSource(FrameSource):
    """Frames read from a :class:`Capture`, turned upright and timed.

    Build one with :meth:`start`, which reads the first frame so that a file
    that opens but cannot be decoded fails before iteration starts.
    """

    def __init__(
        self,
        capture: Capture,
        info: VideoInfo,
        first_image: np.ndarray,
        first_time_ms: float | None,
        *,
        clock: TimestampClock,
        wall_clock: Callable[[], float] | None = None,
        skip_damage: bool = False,
    ) -> None:
        super().__init__(info)
        self._capture: Capture | None = capture
        self._pending: tuple[np.ndarray, float | None] | None = (first_image, first_time_ms)
        self._clock = clock
        self._wall_clock = wall_clock
        self._next_index = 0
        # Files only: a camera or stream that stops giving frames has ended.
        self._skip_damage = skip_damage
        self._damage = DamageLog(clock.fps)
        self.gaps = self._damage.gaps

    @classmethod
    def start(
        cls,
        capture: Capture,
        source: str,
        *,
        fps: float | None = None,
        live: bool = False,
        stream: bool = False,
        wall_clock: Callable[[], float] = time.monotonic,
    ) -> CaptureSource | None:
        """Read the first frame and describe the source; ``None`` if no frame decodes.

        Args:
            capture: an opened capture.
            source: the name shown to the user.
            fps: rate used when the container gives none (and for fallback times).
            live: a camera: time frames by the wall clock, not the container.
            stream: a network stream: its frame count means nothing (so it is
                never called truncated) but its container times are used.
        """
        rotation = 0 if live else take_over_rotation(capture)
        skip_damage = not (live or stream)
        # A file whose opening frames are damaged starts at its first decodable one.
        budget = 0
        if skip_damage:
            count = _positive_or_none(capture.get(cv2.CAP_PROP_FRAME_COUNT))
            budget = int(count) if count and count < 1e12 else MAX_BAD_READS
        image, failed = read_past_damage(capture, budget)
        if image is None or image.ndim != 3 or image.shape[2] != 3:
            return None
        first_ms = _now_ms(wall_clock) if live else capture.get(cv2.CAP_PROP_POS_MSEC)
        image = upright(image, rotation)
        container_fps = _positive_or_none(capture.get(cv2.CAP_PROP_FPS))
        frame_count = _positive_or_none(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        # ~1e19 means "unknown" (FFmpeg's AV_NOPTS_VALUE leaking through).
        unknown = live or stream or frame_count is None or frame_count > 1e12
        known_count = None if unknown else frame_count
        info = VideoInfo(
            width=int(image.shape[1]),  # the upright frame, whatever the container says
            height=int(image.shape[0]),
            fps=container_fps or fps or DEFAULT_FPS,
            frame_count=None if known_count is None else int(known_count),
            rotation=rotation,
            source=source,
            extra=_describe(capture),
        )
        rate = fps or container_fps or DEFAULT_FPS
        # Lost opening frames keep their time: the clock starts where the first one was.
        origin = first_ms / 1000.0 - failed / rate if failed and np.isfinite(first_ms) else None
        source = cls(
            capture,
            info,
            image,
            first_ms,
            clock=TimestampClock(rate, origin_s=origin),
            wall_clock=wall_clock if live else None,
            skip_damage=skip_damage,
        )
        source._damage.opening(failed)
        return source

    def __iter__(self) -> Iterator[Frame]:
        while self._capture is not None:
            if self._pending is not None:
                image, container_ms = self._pending
                self._pending = None
                failed = 0
            else:
                raw, failed = self._read()
                if raw is None:
                    self._finish()
                    return
                # Cameras: the time of the read; the clock counts from the first frame.
                if self._wall_clock is not None:
                    container_ms = _now_ms(self._wall_clock)
                else:
                    container_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC)
                image = upright(raw, self.info.rotation)
            index = self._next_index
            self._next_index += 1
            t = self._clock.timestamp(index, container_ms)
            self._damage.frame(t, failed)
            yield Frame(image, t, index)

    def _read(self) -> tuple[np.ndarray | None, int]:
        ok, raw, failed = self._advance(decode=True)
        return (raw if ok else None), failed

    def _advance(self, decode: bool) -> tuple[bool, np.ndarray | None, int]:
        """Move to the next frame, reading it (``decode``) or only grabbing it; in a file,
        past damaged frames. Returns whether a frame was reached, its image if read, and
        how many reads failed before it."""
        capture = self._capture
        assert capture is not None
        budget = 0
        if self._skip_damage:
            expected = self.info.frame_count
            left = (
                expected - self._next_index - self._damage.bad_reads if expected else MAX_BAD_READS
            )
            budget = max(0, left)
        if decode:
            raw, failed = read_past_damage(capture, budget)
            return raw is not None, raw, failed
        failed = 0
        while not capture.grab():
            failed += 1
            if failed > budget:
                return False, None, failed
        return True, None, failed

    def sampled(self, stride: int) -> Iterator[Frame]:
        """Every ``stride``-th frame; the ones between are grabbed, never converted to BGR.

        ``grab()`` still decodes (inter-coded video needs every frame), but skips the
        YUV->BGR conversion and the copy out (see benchmarks/bench_throughput.py); the clock still
        sees each skipped frame's container time, so times stay the container's.
        """
        if stride <= 1:
            for frame in self:
                self.frames_seen += 1
                self.last_time_s = frame.timestamp_s
                yield frame
            return
        if self._pending is not None:  # the first frame, read by start()
            image, container_ms = self._pending
            self._pending = None
            self._next_index = self.frames_seen = 1
            self.last_time_s = self._clock.timestamp(0, container_ms)
            self._damage.frame(self.last_time_s, 0)
            yield Frame(image, self.last_time_s, 0)
        while self._capture is not None:
            index = self._next_index
            ok, raw, failed = self._advance(decode=index % stride == 0)
            if not ok:
                self._finish()
                return
            container_ms = (
                _now_ms(self._wall_clock)
                if self._wall_clock is not None
                else self._capture.get(cv2.CAP_PROP_POS_MSEC)
            )
            t = self._clock.timestamp(index, container_ms)
            self._damage.frame(t, failed)
            self._next_index += 1
            self.frames_seen, self.last_time_s = self._next_index, t
            if raw is not None:
                yield Frame(upright(raw, self.info.rotation), t, index)

    def _finish(self) -> None:
        self._damage.finish()
        expected = self.info.frame_count
        got = self._next_index
        # Frames lost to damage that decoding read past were not cut off.
        lost = self._damage.bad_reads
        if expected is not None and got + lost < expected * (1 - _TRUNCATION_SLACK) - 1:
            self.truncated = True
            self.warnings.append(
                f"{self.info.source}: stopped after {got} of {expected} frames; "
                "the file may be truncated or damaged"
            )
        if (damaged := self._damage.warning(self.info.source)) is not None:
            self.warnings.append(damaged)
        if self._clock.fallbacks:
            self.warnings.append(
                f"{self.info.source}: {self._clock.fallbacks} frame(s) had no usable time "
                f"in the container and were timed at {self._clock.fps:g} fps"
            )
        self.close()

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None
