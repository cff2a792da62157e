"""Where the annotated frames go: a window (with keys) or, headless, a video file.

``cv2.imshow`` with no display does not raise: Qt aborts the whole process.
So :class:`Window` checks for a display *before* touching any HighGUI call
and raises a one-line :class:`~formcheck.errors.FormcheckError` instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Protocol

import numpy as np

from formcheck.errors import FormcheckError

NO_DISPLAY = "no display: use --headless to write the annotated stream to a file"


class Key(str, Enum):
    QUIT = "quit"
    PAUSE = "pause"
    RESET = "reset"
    NEXT = "next"


KEYMAP: dict[int, Key] = {
    ord("q"): Key.QUIT,
    ord("Q"): Key.QUIT,
    27: Key.QUIT,  # Esc
    ord(" "): Key.PAUSE,
    ord("r"): Key.RESET,
    ord("R"): Key.RESET,
    ord("n"): Key.NEXT,
    ord("N"): Key.NEXT,
}

KeySource = Callable[[], Key | None]


def has_display(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> bool:
    """Whether a window can be opened: X11/Wayland on Linux; assumed elsewhere."""
    env = os.environ if env is None else env
    if platform.startswith("linux") or "bsd" in platform:
        return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    return True


class Output(Protocol):
    def show(self, image: np.ndarray) -> Key | None:
        """Present one annotated frame; returns a key the user pressed, if any."""
        ...

    def wait_key(self, ms: int) -> Key | None:
        """Wait up to ``ms`` for a key, the last frame staying up."""
        ...

    def set_title(self, title: str) -> None: ...

    def close(self) -> None: ...


class Window:
    """An OpenCV window shown 1:1 (or full screen); keys from ``waitKey(1)``.

    Raises:
        FormcheckError: when there is no display to open a window on.
    """

    def __init__(self, title: str = "formcheck live", *, fullscreen: bool = False) -> None:
        if not has_display():
            raise FormcheckError(NO_DISPLAY)
        import cv2  # only here: HighGUI must not be touched without a display

        self._cv2 = cv2
        self.name = "formcheck"
        flags = cv2.WINDOW_GUI_NORMAL | (cv2.WINDOW_NORMAL if fullscreen else cv2.WINDOW_AUTOSIZE)
        cv2.namedWindow(self.name, flags)
        if fullscreen:
            cv2.setWindowProperty(self.name, cv2.WND_PROP_FULLSCREEN, cv2.WINDOW_FULLSCREEN)
        self._title = ""
        self.set_title(title)
        self._shown = False
        self._open = True
        self.last_frame: np.ndarray | None = None

    def set_title(self, title: str) -> None:
        # The title carries the count too: the window list then says how the set is going.
        if title != self._title:
            self._cv2.setWindowTitle(self.name, title)
            self._title = title

    def show(self, image: np.ndarray) -> Key | None:
        cv2 = self._cv2
        if not self._open:
            return Key.QUIT
        cv2.imshow(self.name, image)
        code = cv2.waitKey(1)
        self._shown = True
        self.last_frame = image
        # Closing the window with the mouse counts as quitting.
        if cv2.getWindowProperty(self.name, cv2.WND_PROP_VISIBLE) < 1:
            self._open = False
            return Key.QUIT
        return KEYMAP.get(code & 0xFF) if code >= 0 else None

    def wait_key(self, ms: int) -> Key | None:
        """Wait up to ``ms`` for a key while the last frame stays up."""
        if not self._open:
            return Key.QUIT
        code = self._cv2.waitKey(ms)
        if self._cv2.getWindowProperty(self.name, self._cv2.WND_PROP_VISIBLE) < 1:
            self._open = False
            return Key.QUIT
        return KEYMAP.get(code & 0xFF) if code >= 0 else None

    def close(self) -> None:
        if self._open or self._shown:
            self._cv2.destroyWindow(self.name)
            self._cv2.waitKey(1)  # let the GUI thread process the close
        self._open = False


class Headless:
    """No window: frames go to an optional sink (e.g. a VideoSink); keys from ``keys``."""

    def __init__(self, sink: object | None = None, keys: KeySource | None = None) -> None:
        self.sink = sink
        self.keys = keys
        self.frames = 0

    def set_title(self, title: str) -> None:
        pass

    def show(self, image: np.ndarray) -> Key | None:
        if self.sink is not None:
            self.sink.write(image)  # type: ignore[attr-defined]
        self.frames += 1
        return self.keys() if self.keys is not None else None

    def wait_key(self, ms: int) -> Key | None:
        return self.keys() if self.keys is not None else None

    def close(self) -> None:
        pass


class Recorder:
    """Shows frames on ``inner`` and also writes them to ``sink`` (``--record`` with a window)."""

    def __init__(self, inner: Window | Headless, sink: object) -> None:
        self.inner = inner
        self.sink = sink

    def set_title(self, title: str) -> None:
        self.inner.set_title(title)

    def show(self, image: np.ndarray) -> Key | None:
        self.sink.write(image)  # type: ignore[attr-defined]
        return self.inner.show(image)

    def wait_key(self, ms: int) -> Key | None:
        return self.inner.wait_key(ms)

    def close(self) -> None:
        self.inner.close()
