"""Audio (without a sound card) and the headless CLI on a real clip."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from formcheck.live.audio import SilentAudio, SystemAudio, make_audio, write_tone

FORMCHECK = Path(sys.executable).with_name("formcheck")
CLIP = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "clips"
    / ("glute_bridge__bubbadk_fit__glute-bridge.mp4")
)


def test_tone_is_a_short_wav(tmp_path):
    path = write_tone(tmp_path / "t.wav")
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and 0.1 < w.getnframes() / w.getframerate() < 0.3


def test_quiet_is_silent_and_missing_programs_are_silent():
    assert isinstance(make_audio(quiet=True), SilentAudio)
    audio = SystemAudio(player="/nonexistent/aplay", speaker="/nonexistent/espeak-ng")
    audio.tone()  # cannot start: stays silent, never raises
    audio.say("Lift your hips")
    audio.close()


def test_speech_uses_a_fixed_argument_list(tmp_path):
    # `true` stands in for espeak-ng: the call must pass the text as one argument after "--".
    audio = SystemAudio(player=None, speaker="/bin/true")
    audio.say("--help; rm -rf /")
    assert audio._speech is not None and audio._speech.args[-2:] == ["--", "--help; rm -rf /"]
    audio.close()


@pytest.mark.slow
@pytest.mark.shared
def test_headless_records_and_saves(tmp_path):
    if not CLIP.exists():
        pytest.skip(f"{CLIP} not available")
    out = tmp_path / "live.webm"
    proc = subprocess.run(
        [str(FORMCHECK), "live", "--source", str(CLIP), "-e", "bridge", "--headless", "--quiet",
         "--no-realtime", "--record", str(out), "--sessions", str(tmp_path / "s"), "--debug"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.stat().st_size > 10_000
    (report,) = (tmp_path / "s").glob("*-bridge.json")
    assert json.loads(report.read_text())["summary"]["rep_count"] == 2
    assert "latency median" in proc.stdout and "saved:" in proc.stdout


@pytest.mark.slow
def test_sigterm_saves_the_session_as_ctrl_c_does(tmp_path):
    """``docker stop``, systemd and ``timeout`` send SIGTERM: the set so far is saved, exit 143."""
    import os
    import signal
    import time

    clip = Path(__file__).resolve().parents[2] / "sample_videos" / "bridge_clean.mp4"
    sessions = tmp_path / "s"
    proc = subprocess.Popen(
        [str(FORMCHECK), "live", "--source", str(clip), "-e", "bridge", "--headless", "--quiet",
         "--sessions", str(sessions)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # "keys: ..." once the model is loaded and frames flow
        assert "keys:" in line, line
        time.sleep(3.0)  # real-time playback: about 3 s of the 13.5 s clip analysed
        assert proc.poll() is None, "the session ended before SIGTERM"
        os.kill(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err  # before: -15 and nothing saved
    assert "interrupted (SIGTERM)" in err and "Traceback" not in err
    (report,) = sessions.glob("*-bridge.json")
    data = json.loads(report.read_text())
    assert 1.5 < data["summary"]["duration_s"] < 12  # the part seen before the signal
    assert any("interrupted (SIGTERM)" in w for w in data["warnings"])
    assert data["recorded_at"].endswith("Z")  # UTC
    assert "saved:" in out
