"""One exercise, live: grab -> estimate -> analyse -> coach -> overlay -> show, until it ends.

The loop always works on the newest frame (see :mod:`formcheck.live.grabber`).
It ends on ``q``/window closed, ``n`` (next), the target being met (when the
programme asks for that), the end of a file, or a camera/stream that stops;
in every case the analysis so far is finished and returned, so the caller can
save it. Ctrl-C does the same and is re-raised afterwards by the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np

from formcheck.analysis.analyzer import AnalysisResult, ExerciseAnalyzer
from formcheck.analysis.state import FrameAnalysis, FrameStatus, Phase
from formcheck.exercises.schema import ExerciseSpec
from formcheck.live.audio import Audio, SilentAudio
from formcheck.live.coach import Coach, CoachConfig
from formcheck.live.display import Key, KeySource, Output
from formcheck.live.grabber import FrameGrabber
from formcheck.live.overlay import LiveOverlay, OverlayConfig, draw_panel
from formcheck.live.stats import LiveStats
from formcheck.pose.base import PoseEstimator

COUNTER_LABELS = {"rep": "Reps", "hold": "Holds", "cycle": "Cycles"}


class Outcome(str, Enum):
    TARGET = "target"  # prescription met and the programme moved on
    NEXT = "next"  # the user pressed n
    QUIT = "quit"  # q, Esc or the window closed
    INTERRUPTED = "interrupted"  # Ctrl-C
    ENDED = "ended"  # a video file ran out
    LOST = "lost"  # a camera or stream stopped sending frames


@dataclass(frozen=True)
class LiveOptions:
    """How one exercise is run.

    Attributes:
        move_on_at_target: end the exercise once the prescription is met (programme).
        done_s: seconds the "well done" panel stays before moving on.
        intro_s: seconds an intro panel (name, prescription) shows before analysis.
        source_kind: ``"camera"``, ``"stream"`` or ``"file"`` (for the end message).
        debug: show the fps/latency line.
        blur_faces: blur faces in the shown and recorded frames.
        pause_source: pausing also pauses the source (files; a camera keeps filming).
    """

    move_on_at_target: bool = False
    done_s: float = 2.0
    intro_s: float = 0.0
    source_kind: str = "file"
    debug: bool = False
    blur_faces: bool = False
    pause_source: bool = True
    coach: CoachConfig = field(default_factory=CoachConfig)


@dataclass
class ExerciseRun:
    """What one live exercise produced."""

    spec: ExerciseSpec
    result: AnalysisResult | None  # None when no frame was analysed
    outcome: Outcome
    message: str = ""
    started_at: float = 0.0


def target_met(spec: ExerciseSpec, analysis: FrameAnalysis, active_s: float) -> bool:
    p = spec.prescription
    if p.kind == "cycle":
        return p.duration_s is not None and active_s >= p.duration_s
    return p.target_count is not None and analysis.rep_count >= p.target_count


def counter_text(spec: ExerciseSpec, count: int) -> str:
    label = COUNTER_LABELS[spec.prescription.kind]
    target = spec.prescription.target_count
    return f"{label} {count}" + (f"/{target}" if target is not None else "")


class LiveExercise:
    """Runs one exercise over a running :class:`FrameGrabber`.

    Args:
        keys: extra key source polled once per frame (tests script keys here;
            the window's own keys come from ``output.show``).
        clock: monotonic seconds, the same clock as the grabber's.
    """

    def __init__(
        self,
        spec: ExerciseSpec,
        *,
        grabber: FrameGrabber,
        estimator: PoseEstimator,
        output: Output,
        stats: LiveStats,
        options: LiveOptions | None = None,
        audio: Audio | None = None,
        keys: KeySource | None = None,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] = lambda message: None,
        title: str = "",
    ) -> None:
        self.spec = spec
        self.grabber = grabber
        self.estimator = estimator
        self.output = output
        self.stats = stats
        self.options = options or LiveOptions()
        self.audio = audio or SilentAudio()
        self.keys = keys
        self.clock = clock
        self.log = log
        self.title = title or spec.name
        self.coach = Coach(self.options.coach)
        self.overlay = LiveOverlay(
            OverlayConfig(
                target=spec.prescription.target_count,
                counter_label=COUNTER_LABELS[spec.prescription.kind],
                blur_faces=self.options.blur_faces,
                debug=self.options.debug,
            ),
            stats,
        )
        self.analyzer = ExerciseAnalyzer(spec)
        self.last_image: np.ndarray | None = None
        # The last camera picture and its analysis, kept to redraw the end screen.
        self._last_raw: tuple[np.ndarray, FrameAnalysis] | None = None
        self.last_count = 0
        self.analysed = 0  # frames of the current set (a reset starts again at 0)

    # -- the loop ------------------------------------------------------------------
    def run(self) -> ExerciseRun:
        started = self.clock()
        try:
            outcome, message = self._loop(started)
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (formcheck.cli.signals)
            how = "SIGTERM" if type(exc).__name__ == "Terminated" else "Ctrl-C"
            outcome, message = Outcome.INTERRUPTED, f"interrupted ({how})"
        result = self.analyzer.finish() if self.analysed else None
        return ExerciseRun(self.spec, result, outcome, message, started)

    def _loop(self, started: float) -> tuple[Outcome, str]:
        paused = False
        self._done_at: float | None = None
        self._active_s, last_t = 0.0, None
        while True:
            key = self.keys() if self.keys is not None else None
            if paused:
                key = key or self.output.wait_key(30)
                if key is Key.PAUSE:
                    paused = False
                    self._set_paused(False)
                    self.log("resumed")
                elif key in (Key.QUIT, Key.NEXT, Key.RESET):
                    paused = False
                    self._set_paused(False)
                    if (stop := self._handle(key)) is not None:
                        return stop
                continue
            grabbed = self.grabber.latest(timeout=0.5)
            if grabbed is None:
                if self.grabber.ended:
                    return self._source_end()
                key = key or self.output.wait_key(1)  # camera slow to start: stay responsive
                if key is not None and (stop := self._handle(key)) is not None:
                    return stop
                continue
            frame = grabbed.frame
            image = frame.image
            now = self.clock()
            if now - started < self.options.intro_s:
                # Intro: the patient gets into place while the name and dose are shown.
                draw_panel(image, self.title, self.spec.prescription.text)
                key = key or self._present(image, grabbed.captured_at)
                if key is not None and (stop := self._handle(key)) is not None:
                    return stop
                continue

            pose = self.estimator.estimate(frame)
            analysis = self.analyzer.step(pose)
            self.analysed += 1
            t = analysis.timestamp_s
            ok = analysis.status is FrameStatus.OK and analysis.phase is not Phase.SETUP
            if last_t is not None and ok:
                self._active_s += max(0.0, t - last_t)
            last_t = t
            decision = self.coach.update(analysis, self.clock())
            if analysis.event is not None and analysis.event.complete:
                self.audio.tone()
            if decision.speak:
                self.audio.say(decision.speak)

            panel = None
            met = self.options.move_on_at_target and target_met(self.spec, analysis, self._active_s)
            if met and self._done_at is None:
                self._done_at = self.clock()
                self.audio.say("Well done")
                self.log(f"{self.spec.name}: target met")
            if self._done_at is not None:
                panel = ("WELL DONE", counter_text(self.spec, analysis.rep_count))
            self.last_count = analysis.rep_count
            self._last_raw = (image.copy(), analysis)
            image = self.overlay.draw(image, analysis, decision.shown, panel=panel)
            self.output.set_title(
                f"formcheck - {self.spec.name} - {counter_text(self.spec, analysis.rep_count)}"
            )
            key = key or self._present(image, grabbed.captured_at)
            if self._done_at is not None and self.clock() - self._done_at >= self.options.done_s:
                return Outcome.TARGET, "target met"
            if key is Key.PAUSE:
                paused = True
                self._set_paused(True)
                self.log("paused")
                if self.last_image is not None:
                    shot = self.last_image.copy()
                    draw_panel(shot, "PAUSED", "Press space to carry on")
                    self.output.show(shot)
                continue
            if key is not None and (stop := self._handle(key)) is not None:
                return stop

    def end_frame(self, run: ExerciseRun, hint: str = "") -> np.ndarray | None:
        """The last picture redrawn with the final count (a rep cut by the end counts)."""
        if self._last_raw is None:
            return None
        image, analysis = self._last_raw
        count = sum(1 for r in run.result.reps if r.complete) if run.result else 0
        final = replace(analysis, rep_count=count, hold_s=None, active_faults=(), event=None)
        shot = self.overlay.draw(image.copy(), final, None)
        draw_panel(shot, "FINISHED", counter_text(self.spec, count) + hint)
        return shot

    def _present(self, image: np.ndarray, captured_at: float) -> Key | None:
        key = self.output.show(image)
        self.stats.record(captured_at, self.clock())
        self.stats.dropped = self.grabber.dropped
        self.last_image = image
        return key

    def _set_paused(self, paused: bool) -> None:
        if not self.options.pause_source:
            return
        if paused:
            self.grabber.pause()
        else:
            self.grabber.resume()

    def _handle(self, key: Key) -> tuple[Outcome, str] | None:
        if key is Key.QUIT:
            return Outcome.QUIT, "stopped by the user"
        if key is Key.NEXT:
            return Outcome.NEXT, "moved on by the user"
        if key is Key.RESET:
            # A fresh set: the reps so far are discarded, not saved.
            self.analyzer = ExerciseAnalyzer(self.spec)
            self.analysed = 0
            self._done_at, self._active_s = None, 0.0
            self.coach.reset()
            self.overlay.reset()
            self.log(f"{self.spec.name}: set reset")
        return None

    def _source_end(self) -> tuple[Outcome, str]:
        error = self.grabber.error
        kind = self.options.source_kind
        if error is not None:
            return Outcome.LOST, f"the {kind} failed: {error}"
        if kind == "camera":
            return Outcome.LOST, "the camera stopped sending frames (unplugged?)"
        if kind == "stream":
            return Outcome.LOST, "the stream ended"
        return Outcome.ENDED, "end of the video"
