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
