"""Sound for the live coach: a short tone per rep and spoken cues, never blocking the loop.

Uses the system's own players through fixed argument lists (never a shell):
``paplay``/``aplay``/``pw-play`` for the tone, ``espeak-ng`` (or ``espeak``)
for speech. Whatever is missing is silent; so is a machine with no sound card
(the players fail quietly, their output goes to /dev/null). ``--quiet`` gives
:class:`SilentAudio`.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

TONE_HZ = 880.0
TONE_S = 0.15
RATE = 22_050
_PLAYERS = ("paplay", "aplay", "pw-play")
_SPEAKERS = ("espeak-ng", "espeak")


class Audio(Protocol):
    def tone(self) -> None: ...

    def say(self, text: str) -> None: ...

    def close(self) -> None: ...


class SilentAudio:
    """No sound (``--quiet``, or nothing to play it with)."""

    def tone(self) -> None:
        pass

    def say(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def write_tone(path: Path, hz: float = TONE_HZ, seconds: float = TONE_S) -> Path:
    """A 16-bit mono WAV beep with 10 ms fades (no click at either end)."""
    n = int(RATE * seconds)
    t = np.arange(n) / RATE
    wave_ = np.sin(2 * np.pi * hz * t)
    fade = min(n // 2, int(RATE * 0.01))
    ramp = np.linspace(0.0, 1.0, fade)
    wave_[:fade] *= ramp
    wave_[n - fade :] *= ramp[::-1]
    samples = (wave_ * 0.5 * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())
    return path


class SystemAudio:
    """Plays through external programs; each call starts a process and returns at once.

    Args:
        player: path of a WAV player, or None for no tone.
        speaker: path of espeak-ng/espeak, or None for no speech.
    """

    def __init__(self, player: str | None, speaker: str | None) -> None:
        self.player = player
        self.speaker = speaker
        self._dir = tempfile.TemporaryDirectory(prefix="formcheck-audio-")
        self._tone = write_tone(Path(self._dir.name) / "rep.wav") if player else None
        self._procs: list[subprocess.Popen[bytes]] = []
        self._speech: subprocess.Popen[bytes] | None = None

    def _start(self, args: list[str]) -> subprocess.Popen[bytes] | None:
        self._reap()
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            return None  # the player vanished or cannot run: stay silent
        self._procs.append(proc)
        return proc

    def tone(self) -> None:
        if self.player and self._tone is not None:
            self._start([self.player, str(self._tone)])

    def say(self, text: str) -> None:
        if not self.speaker or not text.strip():
            return
        if self._speech is not None and self._speech.poll() is None:
            return  # still speaking: one voice at a time, the coach will offer the next cue
        # "--" ends the options, so a cue can never be read as one.
        self._speech = self._start([self.speaker, "-s", "150", "--", text])

    def _reap(self) -> None:
        self._procs = [p for p in self._procs if p.poll() is None]

    def close(self) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=3.0)
            if proc.poll() is None:
                proc.kill()
        self._procs.clear()
        self._dir.cleanup()


def make_audio(quiet: bool) -> Audio:
    """Sound through whatever the system has; silent when ``quiet`` or nothing is found."""
    if quiet:
        return SilentAudio()
    player = next((p for p in map(shutil.which, _PLAYERS) if p), None)
    speaker = next((p for p in map(shutil.which, _SPEAKERS) if p), None)
    if player is None and speaker is None:
        return SilentAudio()
    return SystemAudio(player, speaker)
