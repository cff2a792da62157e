"""A batch killed or stopped leaves no process behind and loses or doubles nothing.

Every run here scores from a pose cache made by the test (the clips have
nobody in them, so their recordings hold no pose), so no worker loads the
model and a run takes a second or two. The processes a
run starts are found by a marker in their environment (workers and
multiprocessing's resource tracker inherit it), read from /proc.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from batch_helpers import CLI, cache_nobody, last_run, write_clip

from formcheck.batch.cache import CACHE_DIR
from formcheck.batch.rows import TIMING_COLUMNS

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to find left-over processes"
)

TABLES = ("clips.csv", "clips.jsonl", "reps.csv", "reps.jsonl")


def tagged(tag: str) -> list[int]:
    """Pids of live processes whose environment carries ``tag``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if tag.encode() in (entry / "environ").read_bytes():
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":  # a zombie has ended; only its exit status is left
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_until_none_left(tag: str, seconds: float = 10.0) -> list[int]:
    """The processes still there after ``seconds`` (killed then, so a failure leaves none)."""
    deadline = time.monotonic() + seconds
    while (left := tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def start(clips: Path, out: Path, tag: str) -> subprocess.Popen[bytes]:
    args = [*CLI, "batch", str(clips), "--out", str(out), "--workers", "2", "-q"]
    env = {**os.environ, "FORMCHECK_TEST_TAG": tag}
    return subprocess.Popen(
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def markers(out: Path) -> int:
    folder = out / ".done"
    return sum(1 for p in folder.glob("*.json")) if folder.is_dir() else 0


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """20 tiny clips and an uninterrupted batch over them: ``(clips, out)``."""
    root = tmp_path_factory.mktemp("signals")
    clips = root / "clips"
    clips.mkdir()
    made = [
        write_clip(clips / f"c{i:02d}.mp4", seed=i % 7, seconds=0.3 + 0.05 * i) for i in range(20)
    ]
    cache = root / "cache"
    cache_nobody(made, cache)
    out = root / "reference"
    warm(cache, out)
    proc = start(clips, out, uuid.uuid4().hex)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return clips, out


def warm(reference: Path, out: Path) -> None:
    """Give ``out`` the pose cache, so no run loads the model."""
    shutil.copytree(reference / CACHE_DIR, out / CACHE_DIR)


def table(path: Path, *, drop: tuple[str, ...] = ()) -> list[str]:
    """A table's lines; ``drop``: columns to leave out (CSV)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    keep = [i for i, c in enumerate(header) if c not in drop]
    return [",".join(line.split(",")[i] for i in keep) for line in lines]


def test_sigkill_at_random_points_then_resume_matches_an_uninterrupted_run(
    reference: tuple[Path, Path], tmp_path: Path
) -> None:
    clips, ref = reference
    out = tmp_path / "out"
    warm(ref, out)
    rng = random.Random(23)
    for kill in range(5):
        tag = uuid.uuid4().hex
        before = markers(out)
        proc = start(clips, out, tag)
        # Once the workers are up (the coordinator imports for a few seconds first), a
        # few clips in: some kills land while workers score, some between clips.
        deadline = time.monotonic() + 60
        while len(tagged(tag)) < 3 and proc.poll() is None:  # coordinator + 2 workers
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.01)
        target = before + rng.randint(0, 3)
        deadline = time.monotonic() + rng.uniform(0.05, 2.0)
        while markers(out) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # the coordinator only: its workers must follow
        proc.wait(timeout=30)
        left = wait_until_none_left(tag)
        assert not left, f"kill {kill + 1}: processes left behind: {left}"
    tag = uuid.uuid4().hex
    resumed = start(clips, out, tag)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert not wait_until_none_left(tag)
    summary = last_run(out)
    assert summary["scored"] + summary["skipped"] == 20 and summary["failed"] == 0
    # Once more, as the reference is run once more: every clip "skipped" on both sides.
    for folder in (out, ref):
        again = start(clips, folder, uuid.uuid4().hex)
        assert again.wait(timeout=300) == 0
    for name in ("reps.csv", "reps.jsonl"):
        assert (out / name).read_bytes() == (ref / name).read_bytes(), name
    # The clips table also holds how long each clip took on this machine.
    assert table(out / "clips.csv", drop=TIMING_COLUMNS) == table(
        ref / "clips.csv", drop=TIMING_COLUMNS
    )
    rows = table(out / "clips.csv")[1:]
    assert len(rows) == 20 and len({r.split(",")[0] for r in rows}) == 20  # once each


def test_sigterm_stops_like_ctrl_c_with_tables_and_exit_143(
    reference: tuple[Path, Path], tmp_path: Path
) -> None:
    clips, ref = reference
    out = tmp_path / "out"
    warm(ref, out)
    tag = uuid.uuid4().hex
    proc = start(clips, out, tag)
    deadline = time.monotonic() + 60
    while markers(out) < 1 and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the batch finished before SIGTERM arrived")  # 20 cached clips: rare
    assert proc.returncode == 143, err
    assert "interrupted (SIGTERM)" in err.decode() and "Traceback" not in err.decode()
    assert not wait_until_none_left(tag)
    summary = last_run(out)
    assert summary["interrupted"] is True and summary["scored"] >= 1
    rows = table(out / "clips.csv")[1:]
    assert len(rows) == summary["scored"] == markers(out)
    for name in TABLES:
        assert (out / name).is_file()


def test_a_signal_during_a_store_is_delivered_after_it() -> None:
    """SIGINT/SIGTERM while a result is stored and counted wait for the block to end."""
    import threading

    from formcheck.batch.runner import signals_deferred

    steps: list[str] = []
    # A second thread, as the pool has: the kernel may hand it the signal.
    idle = threading.Thread(target=time.sleep, args=(0.5,))
    idle.start()
    # The wakeup socket says when the signal has arrived, in whichever thread: on a loaded
    # machine that thread may run only after a fixed wait has ended.
    arrived, wakeup = socket.socketpair()
    wakeup.setblocking(False)
    arrived.settimeout(10)
    before = signal.set_wakeup_fd(wakeup.fileno())
    # Python's own Ctrl-C handler, whatever this process inherited: started in the
    # background by a shell without job control, it begins with SIGINT ignored, and the
    # deferral rightly hands a held signal back to the handler it found.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt), signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            assert arrived.recv(1)
            time.sleep(0.05)  # the handler would run here without the deferral
            steps.append("stored")
            steps.append("counted")
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, inherited)
        signal.set_wakeup_fd(before)
        arrived.close()
        wakeup.close()
    idle.join()
    assert steps == ["stored", "counted"]
