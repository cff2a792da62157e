"""Read frames on their own thread so the live loop never waits on the camera.

The newest frame wins: the grabber keeps one slot, and a frame still in it
when the next one arrives is dropped (and counted). A slow pose model then
sees fresh frames a little less often instead of falling further and further
behind. Each frame carries the monotonic time it was captured, so the loop can
measure frame-to-overlay latency.

A video file has no camera clock, so ``realtime=True`` paces it by its frame
timestamps: the file behaves like a camera filming the recorded scene.
``lossless=True`` hands over every frame instead (the producer waits for the
consumer): for tests and throughput runs, never for a real camera.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from formcheck.sources.base import FrameSource
from formcheck.types import Frame

Clock = Callable[[], float]


@dataclass(frozen=True)
class Grabbed:
    """A frame and the monotonic time (s) it left the source."""

    frame: Frame
    captured_at: float


class FrameGrabber:
    """Iterates a :class:`FrameSource` on a daemon thread; :meth:`latest` gets the newest frame.

    Args:
        source: an opened source; the grabber reads it but does not close it.
        realtime: sleep so frames come out at the pace of their timestamps
            (files); a camera is paced by the camera, so leave it False.
        lossless: hand over every frame, blocking the reader until taken.
        clock: monotonic seconds (tests inject a fake).
        sleep: how to wait (tests inject a fake).

    Attributes:
        frames_read: frames taken from the source.
        dropped: frames replaced by a newer one before the consumer took them.
        error: the exception that stopped the source, if one did.
    """

    def __init__(
        self,
        source: FrameSource,
        *,
        realtime: bool = False,
        lossless: bool = False,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.source = source
        self.realtime = realtime
        self.lossless = lossless
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._slot: Grabbed | None = None
        self._ended = False
        self._stop = False
        self._paused = False
        self.frames_read = 0
        self.dropped = 0
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="FrameGrabber", daemon=True)

    # -- life cycle ----------------------------------------------------------------
    def start(self) -> FrameGrabber:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the reader to stop; wait a little (a blocked camera read may never return)."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> FrameGrabber:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def ended(self) -> bool:
        """True once the source has no more frames and the last one was taken."""
        with self._cond:
            return self._ended and self._slot is None

    # -- pause (files only: a camera keeps filming, its frames are just not used) ---
    def pause(self) -> None:
        with self._cond:
            self._paused = True

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    # -- consumer --------------------------------------------------------------------
    def latest(self, timeout: float | None = None) -> Grabbed | None:
        """The newest frame not yet taken; waits up to ``timeout`` s (None: until one comes).

        Returns None when the source has ended (see :attr:`ended`) or on timeout.
        """
        with self._cond:
            if not self._cond.wait_for(lambda: self._slot is not None or self._ended, timeout):
                return None
            grabbed, self._slot = self._slot, None
            self._cond.notify_all()  # a lossless producer waits for the slot to empty
            return grabbed

    # -- producer --------------------------------------------------------------------
    def _run(self) -> None:
        frames: Iterator[Frame] = iter(self.source)
        origin: tuple[float, float] | None = None  # (wall time, frame time) pacing anchor
        try:
            while True:
                paused_at = self._wait_if_paused()
                if paused_at is not None and origin is not None:
                    # Shift the pacing anchor by the pause so the file does not race ahead.
                    origin = (origin[0] + self._clock() - paused_at, origin[1])
                if self._stopping():
                    return
                frame = next(frames, None)
                if frame is None:
                    return
                if self.realtime:
                    if origin is None:
                        origin = (self._clock(), frame.timestamp_s)
                    due = origin[0] + (frame.timestamp_s - origin[1])
                    wait = due - self._clock()
                    if wait > 0:
                        self._sleep(wait)
                self._put(Grabbed(frame, self._clock()))
        except BaseException as exc:  # a camera or stream failing mid-read: report, end
            self.error = exc
        finally:
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    def _stopping(self) -> bool:
        with self._cond:
            return self._stop

    def _wait_if_paused(self) -> float | None:
        with self._cond:
            if not self._paused:
                return None
            since = self._clock()
            self._cond.wait_for(lambda: not self._paused or self._stop)
            return since

    def _put(self, grabbed: Grabbed) -> None:
        with self._cond:
            if self.lossless:
                self._cond.wait_for(lambda: self._slot is None or self._stop)
            if self._slot is not None:
                self.dropped += 1
            self._slot = grabbed
            self.frames_read += 1
            self._cond.notify_all()
