"""``formcheck eval --stride``: the same clips scored from every frame and at the default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.pose.recording import PoseRecording

SAMPLE = Path(__file__).resolve().parents[2] / "sample_videos" / "bridge_clean.truth.json"


@pytest.mark.slow
@pytest.mark.skipif(not SAMPLE.exists(), reason="no rendered sample videos")
def test_each_stride_keeps_its_own_poses_in_one_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    counts = {}
    for stride in ("1", "auto"):
        out = tmp_path / f"k{stride}.json"
        result = CliRunner().invoke(
            app,
            ["eval", str(SAMPLE), "--stride", stride, "--cache", str(cache), "--json", str(out)],
        )
        assert result.exit_code == 0, result.output
        counts[stride] = json.loads(out.read_text())["clips"][0]["predicted"]
    strides = sorted(PoseRecording.load(p).stride for p in cache.glob("*.npz"))
    # bridge: 11 frames a second of a 30 fps clip, every 2nd frame; and every frame.
    assert strides == [1, 2]
    assert counts == {"1": 3, "auto": 3}


def test_a_bad_stride_is_one_line() -> None:
    result = CliRunner().invoke(app, ["eval", str(SAMPLE), "--stride", "0"])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "--stride" in lines[0]
