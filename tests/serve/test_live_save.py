"""Live sets are saved whole, also two of one patient ending in the same second."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import select

from factories import bridge_rep, profile, sequence
from formcheck.exercises.loader import builtin
from formcheck.live.session import Outcome
from formcheck.serve.db import make_engine, session_factory, upgrade
from formcheck.serve.live import LiveSocketSession
from formcheck.serve.models import Patient, TrainingSession
from formcheck.serve.patient_pages import _save
from formcheck.serve.settings import ServeSettings
from formcheck.types import Frame, PoseFrame


class Replay:
    """A pose estimator that replays hand-built poses (two bridge reps)."""

    model_id = "replay"

    def __init__(self, poses: list[PoseFrame]) -> None:
        self.poses = iter(poses)
        self.closed = False

    def estimate(self, frame: Frame) -> PoseFrame:
        pose = next(self.poses)
        return dataclasses.replace(pose, timestamp_s=frame.timestamp_s, index=frame.index)

    def close(self) -> None:
        self.closed = True


def test_two_sets_saved_in_the_same_second_are_both_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'f.db'}"
    engine = make_engine(url)
    upgrade(engine)
    db = session_factory(engine)
    with db.begin() as s:
        s.add(Patient(id=1, name="Ann", token="t"))
    settings = ServeSettings(data_dir=tmp_path, db_url=url)
    f = profile(bridge_rep() * 2 + [(1.0, 125.0)], 125.0)
    poses = sequence(f, duration=f.duration)
    blank = np.zeros((480, 640, 3), np.uint8)
    started = datetime(2026, 5, 2, 9, 30, 0)
    sets, estimators = [], []
    for _ in range(2):
        estimators.append(Replay(poses))
        live = LiveSocketSession(builtin("bridge"), estimators[-1])
        live.started = started  # both began in the same second, as two tabs can
        for p in poses:
            live.step(p.timestamp_s, blank)
        sets.append(live)
    results: list[tuple[int | None, int]] = []
    barrier = threading.Barrier(2)

    def save(live: LiveSocketSession, estimator: Replay) -> None:
        barrier.wait()
        results.append(_save(db, settings, 1, "Ann", live, Outcome.QUIT, estimator))

    pairs = zip(sets, estimators, strict=True)
    threads = [threading.Thread(target=save, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(count for _, count in results) == [2, 2]
    with db() as s:
        rows = s.scalars(select(TrainingSession)).all()
        assert [r.rep_count for r in rows] == [2, 2]
        assert len({r.report_path for r in rows}) == 2
        assert all((tmp_path / r.report_path).is_file() for r in rows)
    assert all(e.closed for e in estimators)
    engine.dispose()
