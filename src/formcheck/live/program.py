"""Run one exercise or a whole programme live, saving each exercise as soon as it ends.

A programme is the exercises whose definitions name it under ``programmes``,
in their ``order`` (exercises/registry.py): the back-spasm programme goes from
the gentlest movement to the hardest, each with its own prescription. An
exercise ends when its target is met (after a short "well done"), or on ``n``;
``q``, Ctrl-C or the source ending stop the programme.
Each exercise is saved the moment it ends, so a camera lost in exercise four
keeps the first three.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from formcheck.exercises.schema import ExerciseSpec
from formcheck.live.session import ExerciseRun, LiveExercise, LiveOptions, Outcome

STOPS = frozenset({Outcome.QUIT, Outcome.INTERRUPTED, Outcome.ENDED, Outcome.LOST})


@dataclass(frozen=True)
class Finished:
    run: ExerciseRun
    exercise: LiveExercise  # for the end screen
    stamp: datetime  # wall time the exercise started (names its session files)


def run_exercises(
    specs: Sequence[ExerciseSpec],
    make: Callable[[ExerciseSpec, LiveOptions, str], LiveExercise],
    options: LiveOptions,
    *,
    programme: bool,
    now: Callable[[], datetime] = datetime.now,
    on_done: Callable[[Finished], None] = lambda finished: None,
) -> list[Finished]:
    """Run ``specs`` in order; ``make(spec, options, title)`` builds each exercise's loop.

    In a programme an exercise moves on when its target is met; a single
    exercise runs until the user stops it or the source ends.
    """
    done: list[Finished] = []
    for i, spec in enumerate(specs):
        title = f"{i + 1} of {len(specs)}: {spec.name}" if programme else spec.name
        opts = replace(options, move_on_at_target=programme)
        stamp = now()
        live = make(spec, opts, title)
        run = live.run()
        finished = Finished(run, live, stamp)
        done.append(finished)
        on_done(finished)
        if run.outcome in STOPS:
            break
    return done
