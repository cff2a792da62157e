"""Which single cue to show (and say) now: priorities, a minimum display time and a cooldown.

A patient on the floor cannot read a message that changes every frame, and a
voice repeating "Squeeze and lift" every rep becomes noise. So:

* priorities: placement/status (setup) > a form fault > the phase cue;
* a cue stays up at least ``min_show_s`` unless a higher-priority one arrives;
* once a cue has gone, the same text does not come back for ``cooldown_s``
  (placement messages are exempt on screen: they must stay while they apply);
* a text is spoken at most once per ``cooldown_s``.

Pure logic: the clock is passed in, so it is unit-tested without waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase


class Priority(IntEnum):
    PHASE = 1
    FAULT = 2
    SETUP = 3


@dataclass(frozen=True)
class CoachConfig:
    min_show_s: float = 2.0
    cooldown_s: float = 6.0
    speak_phase_cues: bool = True  # False: speak only setup and fault cues


@dataclass(frozen=True)
class Cue:
    text: str
    priority: Priority


@dataclass(frozen=True)
class CoachDecision:
    """What to show now (None: no cue) and what to say now (None: stay quiet)."""

    shown: Cue | None
    speak: str | None = None


def candidate(analysis: FrameAnalysis) -> Cue | None:
    """The cue this frame asks for, with its priority (the analyzer already chose the text)."""
    if analysis.status is FrameStatus.UNCLEAR_POSE and analysis.phase is Phase.TOP:
        # A hold carried through a doubted pose (face down in child's pose): the patient is
        # doing it right, so keep cueing the hold rather than talk about the camera.
        return Cue(analysis.cue, Priority.PHASE) if analysis.cue else None
    if analysis.status is not FrameStatus.OK:
        text = analysis.status_message or analysis.cue
        return Cue(text, Priority.SETUP) if text else None
    if analysis.phase is Phase.SETUP:
        return Cue(analysis.cue, Priority.SETUP) if analysis.cue else None
    if analysis.active_faults and analysis.cue:
        return Cue(analysis.cue, Priority.FAULT)
    return Cue(analysis.cue, Priority.PHASE) if analysis.cue else None


@dataclass
class Coach:
    """Stateful cue selection; call :meth:`update` once per analysed frame."""

    config: CoachConfig = field(default_factory=CoachConfig)
    _current: Cue | None = None
    _since: float = 0.0
    _last_seen: dict[str, float] = field(default_factory=dict)
    _last_spoken: dict[str, float] = field(default_factory=dict)

    def reset(self) -> None:
        self._current = None
        self._last_seen.clear()
        self._last_spoken.clear()

    def update(self, analysis: FrameAnalysis, now: float) -> CoachDecision:
        return self.offer(candidate(analysis), now)

    def offer(self, cue: Cue | None, now: float) -> CoachDecision:
        """Decide given the frame's candidate cue (separate from :meth:`update` for tests)."""
        cfg = self.config
        cur = self._current
        if cur is not None:
            self._last_seen[cur.text] = now
        held = cur is not None and now - self._since < cfg.min_show_s
        if cue is None:
            if cur is not None and not held:
                self._current = None
            return CoachDecision(self._current)
        if cur is not None and cue.text == cur.text:
            self._current = cue  # same words, maybe a new priority
            return CoachDecision(cue)
        outranks = cur is None or cue.priority > cur.priority
        if held and not outranks:
            return CoachDecision(cur)
        last = self._last_seen.get(cue.text)
        cooling = last is not None and now - last < cfg.cooldown_s
        if cooling and cue.priority < Priority.SETUP:
            # Not again so soon: drop the old cue once its time is up, show nothing new.
            if not held:
                self._current = None
            return CoachDecision(self._current)
        self._current, self._since = cue, now
        self._last_seen[cue.text] = now
        return CoachDecision(cue, self._speech(cue, now))

    def _speech(self, cue: Cue, now: float) -> str | None:
        if cue.priority is Priority.PHASE and not self.config.speak_phase_cues:
            return None
        last = self._last_spoken.get(cue.text)
        if last is not None and now - last < self.config.cooldown_s:
            return None
        self._last_spoken[cue.text] = now
        return cue.text
