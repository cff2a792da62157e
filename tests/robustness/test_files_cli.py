"""Hard input files through ``formcheck analyze``: one clear line or a sound analysis.

Unit tests of the sources themselves are in tests/test_sources.py; these go
through the CLI end to end and check what the user sees and the exit code.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from robust_helpers import (
    assert_ok,
    assert_one_line_error,
    invoke,
    plain_frames,
    read_json,
    write_video,
)

from test_sources import png_bytes, set_mp4_rotation, write_clip, write_wav


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def truncated_mp4(folder: Path) -> Path:
    """An mp4 cut in half: the index ('moov') written at the end is lost, as in a crash."""
    full = write_clip(folder / "full.mp4", frames=40)
    return put(folder / "cut.mp4", full.read_bytes()[: full.stat().st_size // 2])


def empty_dir(path: Path) -> Path:
    path.mkdir()
    (path / "notes.txt").write_text("no images here")
    return path


# name -> (make input in tmp folder, words the one-line error must contain)
REFUSED = {
    "missing file": (lambda d: d / "nope.mp4", ("file not found", "nope.mp4")),
    "folder without images": (lambda d: empty_dir(d / "clips"), ("no images",)),
    "zero bytes": (lambda d: put(d / "zero.mp4", b""), ("empty (0 bytes)",)),
    "truncated mp4": (truncated_mp4, ("truncated",)),
    "text renamed .mp4": (lambda d: put(d / "t.mp4", b"not a video\n" * 50), ("text file",)),
    "png renamed .mp4": (lambda d: put(d / "pic.mp4", png_bytes()), ("PNG image, not a video",)),
    "unsupported codec": (
        lambda d: put(
            d / "codec.avi",
            write_clip(d / "whole.avi", "MJPG").read_bytes().replace(b"MJPG", b"ZZZZ"),
        ),
        ("unsupported codec",),
    ),
    "audio only (wav)": (lambda d: write_wav(d / "voice.wav"), ("audio only",)),
    "audio only (m4a)": (
        lambda d: put(d / "memo.m4a", b"\0\0\0\x20ftypM4A " + bytes(100)),
        ("audio only",),
    ),
    "random bytes": (
        lambda d: put(d / "r.mp4", np.random.default_rng(1).bytes(4000)),
        ("not a video",),
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_unusable_input_gives_one_line_and_exit_1(tmp_path: Path, case: str) -> None:
    make, words = REFUSED[case]
    clip = make(tmp_path)
    out = tmp_path / "report.json"
    result = invoke("analyze", clip, "--exercise", "bridge", "--json", out, "-q")
    assert_one_line_error(result, *words)
    assert not out.exists()  # refused before anything was written


def test_no_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = write_clip(tmp_path / "locked.mp4", frames=3)
    if os.geteuid() == 0:
        # Root reads anything, so chmod cannot make the case; fake the permission check.
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == clip else real(p, m))
    else:
        clip.chmod(0)
    assert_one_line_error(
        invoke("analyze", clip, "-e", "bridge", "-q"), "no permission", "locked.mp4"
    )


# --- inputs that are odd but usable: exit 0, the report says what happened --------------


def analyse(clip: Path, tmp_path: Path, *extra: object, person: bool | None = None) -> dict:
    """Analyse and read the JSON.

    A clip with nobody in it exits 1 with one line but keeps its report. ``person``
    None accepts either outcome, as long as it matches the report (the format tests
    use the real clip where ../shared is present and a plain room where it is not).
    """
    out = tmp_path / "out.json"
    result = invoke("analyze", clip, "--exercise", "bridge", "--json", out, "-q", *extra)
    report = read_json(out)
    nobody = report["summary"]["frames_with_pose"] == 0
    if person is not None:
        assert nobody == (not person), report["summary"]
    if nobody:
        assert_one_line_error(result, "no person found", clip.name)
    else:
        assert_ok(result)
    return report


@pytest.mark.slow  # runs MediaPipe
def test_truncated_avi_analyses_what_decodes_and_warns(tmp_path: Path) -> None:
    full = write_video(tmp_path / "full.avi", plain_frames(40), fourcc="MJPG")
    cut = put(tmp_path / "cut.avi", full.read_bytes()[: full.stat().st_size // 2])
    report = analyse(cut, tmp_path)
    assert 0 < report["source"]["frames"] < 40
    assert any("truncated" in w for w in report["warnings"])


@pytest.mark.slow  # runs MediaPipe
def test_no_person_is_reported_not_invented(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "room.mp4", plain_frames(30))
    report = analyse(clip, tmp_path, person=False)
    assert report["summary"]["rep_count"] == 0
    assert not report["summary"]["judgeable"]
    assert "No person was found in the video." in report["summary"]["notes"]
    assert report["unjudged"][0]["reason"] == "No person in view"


@pytest.mark.slow  # runs MediaPipe
def test_one_frame_video(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "one.mp4", plain_frames(1))
    report = analyse(clip, tmp_path, person=False)
    assert report["source"]["frames"] == 1
    assert report["summary"]["rep_count"] == 0


@pytest.mark.slow  # runs MediaPipe
def test_huge_resolution(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "huge.avi", plain_frames(3, (4000, 3000)), fourcc="MJPG")
    report = analyse(clip, tmp_path)
    assert (report["source"]["width"], report["source"]["height"]) == (4000, 3000)
    assert report["source"]["frames"] == 3


@pytest.mark.slow  # runs MediaPipe
def test_portrait_clip(tmp_path: Path) -> None:
    clip = write_video(tmp_path / "portrait.mp4", plain_frames(10, (72, 128)))
    report = analyse(clip, tmp_path)
    assert (report["source"]["width"], report["source"]["height"]) == (72, 128)


@pytest.mark.slow  # runs MediaPipe
@pytest.mark.parametrize("degrees", [90, 270])
def test_rotated_phone_clip_is_analysed_upright(tmp_path: Path, degrees: int) -> None:
    clip = write_video(tmp_path / "phone.mp4", plain_frames(10, (128, 72)))
    set_mp4_rotation(clip, degrees)
    report = analyse(clip, tmp_path)
    source = report["source"]
    assert (source["width"], source["height"], source["rotation"]) == (72, 128, degrees)


@pytest.mark.slow  # runs MediaPipe
def test_variable_frame_rate_keeps_the_container_times(tmp_path: Path) -> None:
    pil = pytest.importorskip("PIL.Image")
    durations_ms = [100, 300, 50, 50, 400, 100]  # 1.0 s, very uneven
    pictures = [pil.fromarray(f[:, :, ::-1]) for f in plain_frames(len(durations_ms))]
    clip = tmp_path / "vfr.gif"
    pictures[0].save(clip, save_all=True, append_images=pictures[1:], duration=durations_ms)
    report = analyse(clip, tmp_path)
    assert report["source"]["frames"] == 6
    # First to last frame start: 100+300+50+50+400 ms; a constant rate would give another.
    assert report["source"]["duration_s"] == pytest.approx(0.9, abs=0.01)


@pytest.mark.slow  # runs MediaPipe
def test_paths_with_spaces_and_non_ascii_names(tmp_path: Path) -> None:
    folder = tmp_path / "moje klipy" / "cvičení žluť"
    folder.mkdir(parents=True)
    clip = write_video(folder / "most mostík ř 1.mp4", plain_frames(5))
    out = tmp_path / "výsledky s mezerou" / "zpráva ü.json"
    html = out.with_suffix(".html")
    result = invoke("analyze", clip, "-e", "bridge", "--json", out, "--html", html, "-q")
    # An empty room: one line and exit 1, but both outputs are written under those names.
    assert_one_line_error(result, "no person found", clip.name)
    assert read_json(out)["source"]["path"] == str(clip)
    assert "most mostík ř 1.mp4" in html.read_text(encoding="utf-8")


@pytest.mark.slow  # runs MediaPipe
def test_image_folder_as_input(tmp_path: Path) -> None:
    import cv2

    folder = tmp_path / "snímky"
    folder.mkdir()
    for i, image in enumerate(plain_frames(4)):
        cv2.imwrite(str(folder / f"f{i}.png"), image)
    assert analyse(folder, tmp_path, "--exercise", "bridge")["source"]["frames"] == 4


def test_image_folder_frame_rate_is_set_with_fps(tmp_path: Path) -> None:
    import cv2

    folder = tmp_path / "frames"
    folder.mkdir()
    for i, image in enumerate(plain_frames(4)):
        cv2.imwrite(str(folder / f"f{i}.png"), image)
    source = analyse(folder, tmp_path, "--exercise", "bridge", "--fps", "10")["source"]
    # docs/robustness.md named --fps before the option existed (issue 23).
    assert source["fps"] == 10 and source["duration_s"] == pytest.approx(0.3)
