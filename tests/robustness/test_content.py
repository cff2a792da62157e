"""Hard content on a real clip: the analysis says what it could not judge, never invents reps.

Each variant is the shared glute-bridge clip (one person, 6.7 s, 960x540)
changed frame by frame with OpenCV, then run through ``formcheck analyze``
with MediaPipe. Skipped when ../shared is absent.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from robust_helpers import assert_ok, derive_clip, invoke, read_json

pytestmark = [pytest.mark.slow, pytest.mark.shared]

FPS = 25.0
GAP = (2.4, 4.4)  # seconds blanked out in the "leaves and comes back" variant


def analyse(clip: Path) -> dict:
    out = clip.with_suffix(".json")
    assert_ok(invoke("analyze", clip, "-e", "bridge", "--json", out, "-q"))
    return read_json(out)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("content")


@pytest.fixture(scope="module")
def baseline(folder: Path) -> dict:
    return analyse(derive_clip(folder / "as filmed.mp4", lambda i, f: f))


def test_baseline_counts_reps(baseline: dict) -> None:
    assert baseline["summary"]["rep_count"] >= 2
    assert baseline["warnings"] == []


def test_mirrored_video_gives_the_same_count(folder: Path, baseline: dict) -> None:
    report = analyse(derive_clip(folder / "mirrored.mp4", lambda i, f: cv2.flip(f, 1)))
    assert report["summary"]["rep_count"] == baseline["summary"]["rep_count"]
    assert {report["near_side"], baseline["near_side"]} == {"left", "right"}


def test_person_leaving_and_coming_back(folder: Path, baseline: dict) -> None:
    room = np.full((540, 960, 3), 90, np.uint8)

    def blank_gap(i: int, image: np.ndarray) -> np.ndarray:
        return room if GAP[0] <= i / FPS < GAP[1] else image

    report = analyse(derive_clip(folder / "leaves.mp4", blank_gap))
    gaps = [u for u in report["unjudged"] if u["reason"] == "No person in view"]
    assert len(gaps) == 1, report["unjudged"]
    # The landmark smoother bridges dropouts up to about half a second (a missed
    # detection mid-rep is not a gap), so the span starts up to ~0.5 s after the person left.
    assert GAP[0] <= gaps[0]["start_s"] <= GAP[0] + 0.6
    assert gaps[0]["end_s"] == pytest.approx(GAP[1], abs=0.15)
    assert report["summary"]["rep_count"] <= baseline["summary"]["rep_count"]
    # No rep invented while nobody was judged. A rep under way when the person left
    # may be closed at the start of the gap (its peak in the bridged ~0.5 s): seen on
    # some runs, MediaPipe's landmarks differ slightly from run to run.
    for rep in report["reps"]:
        assert not gaps[0]["start_s"] <= rep["peak_s"] < GAP[1], rep


def test_dark_video_is_flagged(folder: Path) -> None:
    def dim(i: int, image: np.ndarray) -> np.ndarray:
        return (image * 0.12).astype(np.uint8)

    report = analyse(derive_clip(folder / "dark.mp4", dim, frames=60))
    assert any(w.startswith("The video is very dark") for w in report["warnings"])


def test_blurred_video_is_flagged(folder: Path) -> None:
    report = analyse(
        derive_clip(folder / "blurred.mp4", lambda i, f: cv2.GaussianBlur(f, (0, 0), 8))
    )
    assert any(w.startswith("The video is very blurred") for w in report["warnings"])


def test_two_people_are_noticed_and_one_is_followed(folder: Path, baseline: dict) -> None:
    from robust_helpers import real_frames

    frames = real_frames()

    def two_people(i: int, image: np.ndarray) -> np.ndarray:
        # A second, mirrored person below, out of step with the first.
        other = cv2.flip(frames[(i + 60) % len(frames)], 1)
        return np.vstack([image, other])

    report = analyse(derive_clip(folder / "two.mp4", two_people))
    notes = [w for w in report["warnings"] if w.startswith("Two people in view from")]
    assert notes == [
        "Two people in view from 0.0 s: following the one nearest the previous position"
    ]
    # One person followed throughout: no more reps than one person did.
    assert report["summary"]["rep_count"] <= baseline["summary"]["rep_count"]


def test_person_small_in_frame_counts_the_same(folder: Path, baseline: dict) -> None:
    # The picture shrunk to 45% in a grey frame of the same size (the patient farther
    # away). The landmarks are noisier; the clip opens at the top, and its first brief
    # rest then never read as still: the first rep's top was taken for the rest (1 of 2).
    def far_away(i: int, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        small = cv2.resize(image, (int(w * 0.45), int(h * 0.45)))
        out = np.full_like(image, 110)
        y, x = (h - small.shape[0]) // 2, (w - small.shape[1]) // 2
        out[y : y + small.shape[0], x : x + small.shape[1]] = small
        return out

    report = analyse(derive_clip(folder / "far away.mp4", far_away))
    assert report["summary"]["rep_count"] == baseline["summary"]["rep_count"] == 2


def test_body_partly_out_of_frame(folder: Path) -> None:
    # Keep only the left half of the picture: part of the body is outside it.
    report = analyse(
        derive_clip(folder / "cropped.mp4", lambda i, f: np.ascontiguousarray(f[:, :480]))
    )
    assert [u["reason"] for u in report["unjudged"]] == [
        "Move so your hips and knees and feet are in view"
    ]
    # Nothing counted in a clip mostly unseen is "cannot judge", not "0 reps done".
    assert report["summary"]["rep_count"] == 0
    assert report["summary"]["judgeable"] is False
    assert report["summary"]["notes"][0].startswith("Cannot judge: ")
    assert report["summary"]["notes"][0].endswith(
        "could not be judged (most often: move so your hips and knees and feet are in view), "
        "and nothing was counted."
    )


def test_handheld_camera_counts_the_same(folder: Path, baseline: dict) -> None:
    # A phone held at arm's length: the picture drifts slowly in roll (up to ~6 deg), zoom
    # (+-6 %) and position (+-3 % of the frame), with a pixel of shake every frame. Angles
    # and lengths in torso units do not depend on where the camera points, so the count
    # must not either.
    rng = np.random.default_rng(5)
    shake = rng.normal(0.0, 1.0, (400, 3))

    def drift(t: float, size: float, phase: float) -> float:
        return size * 0.5 * (np.sin(2 * np.pi * t / 3.1 + phase) + np.sin(2 * np.pi * t / 7.3))

    def handheld(i: int, image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        t = i / FPS
        roll = drift(t, 6.0, 0.0) + 0.3 * shake[i, 0]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), roll, 1.08 + drift(t, 0.06, 1.0))
        m[:, 2] += (drift(t, 0.03 * w, 2.0) + shake[i, 1], drift(t, 0.03 * h, 3.0) + shake[i, 2])
        return cv2.warpAffine(image, m, (w, h), borderMode=cv2.BORDER_REFLECT)

    report = analyse(derive_clip(folder / "handheld.mp4", handheld))
    assert report["summary"]["judgeable"] is True
    assert report["summary"]["rep_count"] == baseline["summary"]["rep_count"] == 2
