"""The app in headless Chromium (the distribution's package, through its chromedriver).

The physiotherapist logs in, adds a patient, uploads a rendered clip and reads the
count on the session page; the patient's link runs live coaching on Chromium's fake
camera fed by the same clip, and must reach the clip's true count. Another patient's
link is refused. ``FORMCHECK_SCREENSHOTS=docs/serve`` also saves a screenshot of each page.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest
from serve_helpers import PASSWORD

from formcheck.sources import open_source

SAMPLES = Path(__file__).parents[2] / "sample_videos"
CLIP = SAMPLES / "bridge_clean.mp4"

pytestmark = pytest.mark.slow


def write_y4m(clip: Path, out: Path) -> Path:
    """The clip as Y4M (I420), the format Chromium's fake camera plays (in a loop)."""
    with open_source(clip) as src, open(out, "wb") as f:
        info = src.info
        fps = round(info.fps or 30)
        f.write(f"YUV4MPEG2 W{info.width} H{info.height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in src:
            f.write(b"FRAME\n")
            f.write(cv2.cvtColor(frame.image, cv2.COLOR_BGR2YUV_I420).tobytes())
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """``formcheck serve`` as a user starts it, on a free port, with a fresh data folder."""
    exe = Path(sys.executable).with_name("formcheck")
    port = _free_port()
    log = open(tmp_path / "serve.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(exe), "serve", "--data", str(tmp_path / "data"), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        yield url
    finally:
        workers = _children(proc.pid)
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    # Stopping the server stops its analysis workers too (none is left behind).
    time.sleep(1)
    assert workers and not [p for p in workers if _running(p)], workers


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended (only not reaped yet)


def _children(pid: int) -> list[int]:
    """The server's child processes: the worker pool and its resource tracker."""
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    webdriver = pytest.importorskip("selenium.webdriver")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip(
            "needs chromium and chromedriver (Debian: apt-get install chromium chromium-driver)"
        )
    y4m = write_y4m(CLIP, tmp_path / "camera.y4m")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
        "--autoplay-policy=no-user-gesture-required",
    ):
        options.add_argument(arg)
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(10)  # elements of a page still loading
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("FORMCHECK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def wait_for(predicate, timeout: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_physio_and_patient_in_chromium(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    d = browser
    find = d.find_element
    true_count = len(json.loads((SAMPLES / "bridge_clean.truth.json").read_text())["reps"])

    # First visit: create the physiotherapist's account (then logged in).
    d.get(server + "/")
    assert d.current_url.endswith("/setup")
    shot(d, "setup")
    find(By.ID, "username").send_keys("physio")
    find(By.ID, "password").send_keys(PASSWORD)
    find(By.ID, "create").click()
    wait_for(lambda: d.current_url == server + "/", 30, "the patients page")
    # Log out and in again through the login page.
    find(By.CSS_SELECTOR, "button.link").click()
    wait_for(lambda: d.current_url.endswith("/login"), 30, "the login page")
    find(By.ID, "username").send_keys("physio")
    find(By.ID, "password").send_keys(PASSWORD)
    shot(d, "login")
    find(By.ID, "login").click()
    wait_for(lambda: d.current_url == server + "/", 30, "the patients page")

    # Two patients; the clip goes to the first.
    for name in ("Bob Other", "Ann Example"):
        d.get(server + "/")
        find(By.ID, "new-patient").send_keys(name)
        find(By.ID, "add-patient").click()
        wait_for(lambda: "/patients/" in d.current_url, 30, "the new patient's page")
    ann_page = d.current_url
    assert find(By.ID, "patient-name").text == "Ann Example"
    Select(find(By.ID, "exercise")).select_by_value("bridge")
    find(By.ID, "files").send_keys(str(CLIP))
    link = wait_for(
        lambda: d.find_elements(By.CSS_SELECTOR, "#jobs a.session-link"),
        300,
        "the analysis job (see the progress bar)",
    )[0]
    shot(d, "patient")
    link.click()
    wait_for(lambda: "/sessions/" in d.current_url, 30, "the session page")
    assert int(find(By.ID, "rep-count").text) == true_count
    video_ok = wait_for(
        lambda: d.execute_script(
            "const v = document.getElementById('video');"
            "return v && v.readyState >= 1 && v.duration;"
        ),
        30,
        "the annotated video to load",
    )
    assert video_ok > 10  # the whole 13.5 s clip
    shot(d, "session")
    d.get(server + "/")
    assert "Ann Example" in find(By.ID, "patients").text
    shot(d, "patients")

    # The patient's link, with the fake camera playing the same clip.
    d.get(ann_page)
    ann_link = find(By.ID, "patient-link").get_attribute("href")
    d.get(server + "/")
    bob_url = next(
        a.get_attribute("href")
        for a in d.find_elements(By.CSS_SELECTOR, "#patients a")
        if a.text == "Bob Other"
    )
    d.get(bob_url)
    bob_link = find(By.ID, "patient-link").get_attribute("href")
    d.get(ann_link)
    Select(find(By.ID, "exercise")).select_by_value("bridge")
    find(By.ID, "start").click()
    seen: list[int] = []

    def reached() -> bool:
        seen.append(int(d.execute_script("return window.formcheckLive.count")))
        return seen[-1] >= true_count

    wait_for(reached, 120, f"the live count to reach {true_count}")
    assert seen[-1] == true_count  # reached exactly, not overshot
    assert int(find(By.ID, "live-count").text) >= true_count
    shot(d, "live")
    latencies = d.execute_script("return window.formcheckLive.latencies")
    frames = d.execute_script("return window.formcheckLive.frames")
    lat = sorted(latencies)
    print(f"live: {frames} frames, latency median {lat[len(lat) // 2]:.0f} ms")
    find(By.ID, "stop").click()
    saved = wait_for(lambda: find(By.ID, "live-status").get_attribute("data-saved"), 30, "the save")
    d.get(ann_link)
    assert re.search(r"Glute bridge, \d+", find(By.ID, "my-sessions").text)
    ann_session = f"/sessions/{saved}"

    # Bob's link does not open Ann's session; a made-up link opens nothing.
    d.get(bob_link + ann_session)
    assert "no such session" in d.page_source and "Glute bridge" not in d.page_source
    d.get(ann_link + ann_session)
    assert int(find(By.ID, "rep-count").text) >= true_count
    d.get(server + "/p/made-up-token")
    assert "not valid" in d.page_source
