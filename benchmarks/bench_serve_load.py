"""Load test of ``formcheck serve`` on loopback: concurrent uploads and live sockets.

Starts ``formcheck serve`` (its own process, the batch worker pool behind it), makes
the physiotherapist's account and a patient over HTTP, then at the same time:

* uploads N clips (default 20, the rendered sample clips in turn), each by its own
  thread, all at once;
* opens M live sockets (default 4), each sending a rendered clip's frames as the
  patient's page does (480 px JPEG, at most 15 a second, one in flight), for S seconds.

It then waits for every job and checks that none was lost or run twice (each job done,
one attempt, one session each), and prints the live latency (frame sent to state
received: median and p95, per socket and over all), the upload times, the job
throughput and the server's memory (RSS of the server and its worker processes,
sampled twice a second).

Usage: python benchmarks/bench_serve_load.py [--uploads 20] [--sockets 4] [--seconds 30]
       [--workers 2] [--db postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import cv2
import httpx
import numpy as np
from websockets.sync.client import connect

from formcheck.sources import open_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "sample_videos").glob("*.mp4"))
PASSWORD = "load test password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mib(pid: int) -> float:
    """RSS of a process and its children (the worker pool), MiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
        for c in list(children):
            more = Path(f"/proc/{c}/task/{c}/children")
            if more.exists():
                pids += [int(x) for x in more.read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html) or re.search(r'data-csrf="([^"]+)"', html)
    assert m
    return m.group(1)


def frames(clip: Path, width: int = 480, every: int = 2) -> list[tuple[float, bytes]]:
    out = []
    with open_source(clip) as src:
        for f in src:
            if f.index % every:
                continue
            h, w = f.image.shape[:2]
            small = cv2.resize(f.image, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)
            out.append(
                (
                    f.timestamp_s,
                    cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 75])[1].tobytes(),
                )
            )
    return out


def live_socket(
    url: str,
    messages: list[tuple[float, bytes]],
    seconds: float,
    out: list[float],
    counts: list[int],
) -> None:
    with connect(url, max_size=None, open_timeout=60, ping_timeout=60) as ws:
        assert json.loads(ws.recv())["ready"]
        start = time.monotonic()
        clip_len = messages[-1][0] + 0.1
        i, loop, count = 0, 0, 0
        while time.monotonic() - start < seconds:
            t, jpeg = messages[i]
            t += loop * clip_len
            wait = start + t - time.monotonic()
            if wait > 0:
                time.sleep(wait)  # paced like a camera; late frames are skipped below
            sent = time.monotonic()
            ws.send(np.array([t], dtype="<f8").tobytes() + jpeg)
            state = json.loads(ws.recv())
            out.append((time.monotonic() - sent) * 1000)
            count = state.get("count", count)
            # The page sends the newest frame, not a backlog: skip frames already past.
            now_t = time.monotonic() - start
            while True:
                i += 1
                if i == len(messages):
                    i, loop = 0, loop + 1
                if messages[i][0] + loop * clip_len >= now_t - 1 / 15:
                    break
        ws.send(json.dumps({"type": "stop"}))
        saved = json.loads(ws.recv())
        counts.append(saved.get("count", count))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--uploads", type=int, default=20)
    ap.add_argument("--sockets", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--db", default=None)
    ap.add_argument(
        "--exercise", default="auto", help="for the uploads (auto analyses all five per clip)"
    )
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="formcheck-load-"))
    port = free_port()
    cmd = [
        str(Path(sys.executable).with_name("formcheck")),
        "serve",
        "--data",
        str(tmp / "data"),
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    if args.db:
        cmd += ["--db", args.db]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"))  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        memory: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                memory.append(rss_mib(server.pid))
                time.sleep(0.5)

        threading.Thread(target=sample, daemon=True).start()
        web = httpx.Client(base_url=base, timeout=300)
        page = web.get("/setup")
        page = web.post(
            "/setup",
            data={"username": "physio", "password": PASSWORD, "csrf": csrf(page.text)},
            follow_redirects=True,
        )
        token_value = csrf(page.text)
        page = web.post(
            "/patients", data={"name": "Load Test", "csrf": token_value}, follow_redirects=True
        )
        pid = int(str(page.url).rsplit("/", 1)[1])
        link = re.search(r'id="patient-link" href="[^"]*/p/([^"]+)"', page.text).group(1)
        cookies = dict(web.cookies)

        messages = frames(ROOT / "sample_videos" / "bridge_clean.mp4")
        upload_s: list[float] = []
        errors: list[str] = []

        def upload(i: int) -> None:
            clip = SAMPLES[i % len(SAMPLES)]
            with (
                httpx.Client(base_url=base, cookies=cookies, timeout=300) as c,
                open(clip, "rb") as f,
            ):
                t0 = time.monotonic()
                r = c.post(
                    f"/patients/{pid}/uploads",
                    files=[("clips", (clip.name, f, "video/mp4"))],
                    data={"exercise": args.exercise},
                    headers={"x-csrf-token": token_value},
                )
                upload_s.append(time.monotonic() - t0)
                if r.status_code != 200:
                    errors.append(f"{clip.name}: {r.status_code} {r.text[:100]}")

        latencies: list[list[float]] = [[] for _ in range(args.sockets)]
        live_counts: list[int] = []
        ws_url = f"ws://127.0.0.1:{port}/p/{link}/live?exercise=bridge"
        t_start = time.monotonic()
        threads = [threading.Thread(target=upload, args=(i,)) for i in range(args.uploads)]
        threads += [
            threading.Thread(
                target=live_socket, args=(ws_url, messages, args.seconds, latencies[k], live_counts)
            )
            for k in range(args.sockets)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        t_live_done = time.monotonic() - t_start
        live_report(latencies, live_counts, args.seconds, t_live_done)
        print(f"memory so far: max {max(memory):.0f} MiB", flush=True)
        while True:
            jobs = web.get(f"/api/patients/{pid}/jobs").json()["jobs"]
            if all(j["status"] in ("done", "failed") for j in jobs):
                break
            time.sleep(1)
        t_jobs = time.monotonic() - t_start
        stop.set()
    finally:
        server.terminate()
        server.wait(timeout=60)

    # Check every job in the database itself: none lost, none run twice.
    from sqlalchemy import create_engine, func, select

    from formcheck.serve.db import database_url
    from formcheck.serve.models import AnalysisJob, TrainingSession

    engine = create_engine(database_url(args.db, tmp / "data"))
    with engine.connect() as conn:
        rows = conn.execute(
            select(AnalysisJob.status, AnalysisJob.attempts, AnalysisJob.session_id)
        ).all()
        uploads = conn.execute(
            select(func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.origin == "upload")
        ).scalar()
        live = conn.execute(
            select(func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.origin == "live")
        ).scalar()
    sessions = [r.session_id for r in rows if r.session_id is not None]
    statuses = {st: sum(r.status == st for r in rows) for st in {r.status for r in rows}}
    print(
        f"uploads: {args.uploads} sent at once, {len(errors)} refused; upload time median "
        f"{statistics.median(upload_s):.2f} s, max {max(upload_s):.2f} s"
    )
    print(
        f"jobs: {len(rows)} in the database, {statuses}; "
        f"attempts {sorted({r.attempts for r in rows})}; "
        f"{len(set(sessions))} distinct sessions, {uploads} upload sessions; all done "
        f"{t_jobs:.0f} s after the start ({args.workers} workers)"
    )
    print(
        f"server memory (server + workers RSS): start {memory[0]:.0f} MiB, "
        f"max {max(memory):.0f} MiB, end {memory[-1]:.0f} MiB"
    )
    print(f"live sessions saved in the database: {live} of {args.sockets}")
    lost = len(rows) != args.uploads or any(r.status != "done" for r in rows)
    twice = (
        any(r.attempts != 1 for r in rows)
        or len(set(sessions)) != len(sessions)
        or uploads != len(rows)
    )
    verdict = ("jobs lost or failed; " if lost else "no job lost; ") + (
        "a job ran twice" if twice else "none ran twice"
    )
    print("RESULT: " + verdict)
    if errors:
        print("\n".join(errors))
    shutil.rmtree(tmp, ignore_errors=True)


def live_report(
    latencies: list[list[float]], live_counts: list[int], seconds: float, t_live_done: float
) -> None:
    for k, lat in enumerate(latencies):
        print(
            f"live socket {k + 1}: {len(lat)} frames in {seconds:.0f} s "
            f"({len(lat) / seconds:.1f}/s), latency median {statistics.median(lat):.0f} ms, "
            f"p95 {p95(lat):.0f} ms"
        )
    everything = [x for lat in latencies for x in lat]
    print(
        f"live, all sockets: median {statistics.median(everything):.0f} ms, p95 "
        f"{p95(everything):.0f} ms; counts at stop {live_counts}; "
        f"live phase {t_live_done:.0f} s"
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


if __name__ == "__main__":
    main()
