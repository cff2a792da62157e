"""Live logic without a camera or a model: coach, grabber, sessions, programme, CLI errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest
from live_helpers import ListSource, ReplayEstimator, analysis

from factories import bridge_rep, profile, sequence
from formcheck.analysis.state import FrameStatus, Phase
from formcheck.exercises.loader import builtin
from formcheck.exercises.registry import programmes
from formcheck.live.coach import Coach, CoachConfig, Cue, Priority, candidate
from formcheck.live.display import Headless, Key, has_display
from formcheck.live.grabber import FrameGrabber
from formcheck.live.program import run_exercises
from formcheck.live.save import save_run
from formcheck.live.session import LiveExercise, LiveOptions, Outcome
from formcheck.live.stats import LiveStats

FORMCHECK = Path(sys.executable).with_name("formcheck")
STAMP = datetime(2026, 1, 2, 3, 4, 5)


# -- coach -----------------------------------------------------------------------
def test_priorities_setup_over_fault_over_phase():
    assert candidate(analysis(phase=Phase.SETUP, cue="Lie down")) == Cue("Lie down", Priority.SETUP)
    lost = analysis(phase=Phase.TOP, status=FrameStatus.OUT_OF_FRAME, status_message="Feet!")
    assert candidate(lost) == Cue("Feet!", Priority.SETUP)
    fault = analysis(phase=Phase.TOP, cue="Lift higher", faults=("sagging_hips",))
    assert candidate(fault).priority is Priority.FAULT
    assert candidate(analysis(phase=Phase.TOP, cue="Hold")).priority is Priority.PHASE


def test_a_hold_carried_through_a_doubted_pose_keeps_its_cue():
    # Face down in child's pose the model may lose the body's shape: the hold goes on, and
    # the patient hears the hold cue, not a camera complaint; before the hold, the complaint.
    unclear = {"status": FrameStatus.UNCLEAR_POSE, "status_message": "Body shape unclear"}
    assert candidate(analysis(phase=Phase.TOP, cue="Breathe", **unclear)) == Cue(
        "Breathe", Priority.PHASE
    )
    assert candidate(analysis(phase=Phase.SETUP, cue="Breathe", **unclear)) == Cue(
        "Body shape unclear", Priority.SETUP
    )


def test_one_cue_at_a_time_with_minimum_display_and_cooldown():
    coach = Coach(CoachConfig(min_show_s=2.0, cooldown_s=6.0))
    lift, hold = Cue("Lift", Priority.PHASE), Cue("Hold", Priority.PHASE)
    first = coach.offer(lift, 0.0)
    assert first.shown == lift and first.speak == "Lift"
    # Same priority within the minimum display time: the first cue stays.
    assert coach.offer(hold, 1.0).shown == lift
    switched = coach.offer(hold, 2.5)
    assert switched.shown == hold and switched.speak == "Hold"
    # "Lift" left the screen at 2.5 s: not again before 8.5 s.
    assert coach.offer(lift, 5.0).shown is None
    back = coach.offer(lift, 9.0)
    assert back.shown == lift and back.speak == "Lift"


def test_higher_priority_interrupts_and_setup_ignores_cooldown():
    coach = Coach(CoachConfig(min_show_s=2.0, cooldown_s=6.0))
    coach.offer(Cue("Lift", Priority.PHASE), 0.0)
    fault = coach.offer(Cue("Feet flat", Priority.FAULT), 0.5)
    assert fault.shown == Cue("Feet flat", Priority.FAULT) and fault.speak == "Feet flat"
    setup = Cue("Turn side-on", Priority.SETUP)
    assert coach.offer(setup, 0.6).shown == setup
    coach.offer(Cue("Move back", Priority.SETUP), 3.0)
    again = coach.offer(setup, 5.5)  # back within the cooldown: shown, but not said again
    assert again.shown == setup and again.speak is None


# -- grabber -----------------------------------------------------------------------
def test_newest_frame_wins_and_drops_are_counted():
    src = ListSource(50)
    with FrameGrabber(src) as grabber:
        while not grabber._ended:  # a consumer that is far too slow: read after all 50
            threading.Event().wait(0.01)
        got = grabber.latest(timeout=1)
        assert got is not None and got.frame.index == 49
        assert grabber.latest(timeout=1) is None and grabber.ended
    assert grabber.frames_read == 50 and grabber.dropped == 49


def test_lossless_hands_over_every_frame():
    seen = []
    with FrameGrabber(ListSource(20), lossless=True) as grabber:
        while (g := grabber.latest(timeout=2)) is not None:
            seen.append(g.frame.index)
    assert seen == list(range(20)) and grabber.dropped == 0


def test_realtime_paces_a_file_by_its_timestamps():
    now = [100.0]
    waits: list[float] = []

    def sleep(dt: float) -> None:
        waits.append(dt)
        now[0] += dt

    grabber = FrameGrabber(ListSource(4, fps=10), realtime=True, lossless=True,
                           clock=lambda: now[0], sleep=sleep)  # fmt: skip
    with grabber:
        times = [g.captured_at for g in iter(lambda: grabber.latest(timeout=2), None)]
    assert times == pytest.approx([100.0, 100.1, 100.2, 100.3])
    assert waits == pytest.approx([0.1, 0.1, 0.1])


def test_source_error_ends_the_grabber_with_the_error():
    with FrameGrabber(ListSource(3, fail=OSError("unplugged")), lossless=True) as grabber:
        while grabber.latest(timeout=2) is not None:
            pass
    assert isinstance(grabber.error, OSError)


# -- sessions ----------------------------------------------------------------------
def _bridge_poses(reps: int):
    f = profile([seg for _ in range(reps) for seg in bridge_rep()] + [(1.0, 125.0)], 125.0)
    return sequence(f, duration=f.duration)  # type: ignore[attr-defined]


def _live(spec, grabber, estimator, keys=None, options=None):
    return LiveExercise(spec, grabber=grabber, estimator=estimator, output=Headless(keys=keys),
                        stats=LiveStats(), options=options or LiveOptions())  # fmt: skip


def test_camera_lost_mid_set_keeps_and_saves_the_reps(tmp_path):
    poses = _bridge_poses(3)
    cut = len(poses) * 2 // 3  # two reps done, then the camera is unplugged
    src = ListSource(cut, fail=OSError("device unplugged"), live=True)
    with FrameGrabber(src, lossless=True) as grabber:
        run = _live(builtin("bridge"), grabber, ReplayEstimator(poses),
                    options=LiveOptions(source_kind="camera")).run()  # fmt: skip
    assert run.outcome is Outcome.LOST and "unplugged" in run.message
    saved = save_run(run, folder=tmp_path, stamp=STAMP, model_id="replay", info=src.info)
    assert saved is not None
    assert saved.json_path.name == "20260102-030405-bridge.json" and saved.html_path.exists()
    data = json.loads(saved.json_path.read_text())
    assert data["summary"]["rep_count"] == 2
    assert any("cut short" in w for w in data["warnings"])


def test_end_of_file_finishes_the_exercise(tmp_path):
    poses = _bridge_poses(2)
    with FrameGrabber(ListSource(len(poses)), lossless=True) as grabber:
        run = _live(builtin("bridge"), grabber, ReplayEstimator(poses)).run()
    assert run.outcome is Outcome.ENDED and run.result is not None
    assert sum(r.complete for r in run.result.reps) == 2
    a = save_run(run, folder=tmp_path, stamp=STAMP, model_id="r", info=ListSource(1).info)
    b = save_run(run, folder=tmp_path, stamp=STAMP, model_id="r", info=ListSource(1).info)
    assert a and b and b.json_path.name == "20260102-030405-bridge-2.json"


def test_reset_discards_the_set_and_quit_stops():
    poses = _bridge_poses(3)
    n = len(poses)
    script = {n // 2: Key.RESET, n - 5: Key.QUIT}
    calls = [0]

    def keys():
        calls[0] += 1
        return script.get(calls[0])

    with FrameGrabber(ListSource(n), lossless=True) as grabber:
        live = _live(builtin("bridge"), grabber, ReplayEstimator(poses), keys=keys)
        run = live.run()
    assert run.outcome is Outcome.QUIT
    # Only the frames after the reset were analysed.
    assert run.result is not None and run.result.frames < n // 2 + 5


def test_programme_runs_in_order_and_n_moves_on():
    ids = programmes()["back-spasms"]
    assert ids == ("pelvic_tilt", "cat_cow", "childs_pose", "bird_dog", "bridge")
    specs = [builtin(i) for i in ids]
    made = []
    with FrameGrabber(ListSource(400), lossless=True) as grabber:
        est = ReplayEstimator(_bridge_poses(1))

        def make(spec, opts, title):
            made.append((spec.id, title, opts.move_on_at_target))
            count = [0]

            def keys():  # each exercise: 10 frames, then "n"
                count[0] += 1
                return Key.NEXT if count[0] == 10 else None

            return LiveExercise(spec, grabber=grabber, estimator=est, output=Headless(keys=keys),
                                stats=LiveStats(), options=opts, title=title)  # fmt: skip

        done = run_exercises(specs, make, LiveOptions(), programme=True, now=lambda: STAMP)
    assert [m[0] for m in made] == list(ids)
    assert made[0][1] == "1 of 5: Pelvic tilt" or made[0][1].startswith("1 of 5:")
    assert all(m[2] for m in made)
    assert [d.run.outcome for d in done] == [Outcome.NEXT] * 5
    assert all(d.run.result is not None and d.run.result.frames == 10 for d in done)


def test_programme_moves_on_when_the_target_is_met():
    spec = builtin("bridge").model_copy(
        update={"prescription": builtin("bridge").prescription.model_copy(
            update={"target_count": 2, "target_count_max": None})}
    )  # fmt: skip
    poses = _bridge_poses(3)
    with FrameGrabber(ListSource(len(poses)), lossless=True) as grabber:
        run = _live(spec, grabber, ReplayEstimator(poses),
                    options=LiveOptions(move_on_at_target=True, done_s=0.0)).run()  # fmt: skip
    assert run.outcome is Outcome.TARGET
    assert sum(r.complete for r in run.result.reps) == 2


# -- display / CLI -------------------------------------------------------------------
def test_has_display():
    assert not has_display({}, "linux")
    assert has_display({"DISPLAY": ":0"}, "linux")
    assert has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")


def test_no_display_is_a_one_line_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    proc = subprocess.run(
        [str(FORMCHECK), "live", "--exercise", "bridge", "--source", "0"],
        env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no display" in lines[0] and "--headless" in lines[0]
    assert not (tmp_path / "sessions").exists()


def test_needs_an_exercise_or_a_programme():
    proc = subprocess.run([str(FORMCHECK), "live", "--headless"], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1 and "--exercise or --program" in proc.stderr
