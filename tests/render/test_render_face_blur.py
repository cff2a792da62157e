"""Face blur: the head box loses its detail, the rest of the picture is untouched."""

from __future__ import annotations

import cv2
import numpy as np
from render_factories import make_analysis, make_pose, textured_frame

from formcheck.render import FaceBlurAnnotator, FaceBlurStyle


def lap_var(img: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


def test_head_box_is_head_sized_and_contains_the_face() -> None:
    blur = FaceBlurAnnotator()
    box = blur.head_box(make_analysis(), 640, 480)
    assert box is not None
    x0, y0, x1, y1 = box
    assert x0 < 316 < 338 < x1 and y0 < 70 < 90 < y1  # ears to nose, eyes to mouth
    assert 40 <= x1 - x0 <= 120  # a head, not the whole body


def test_blur_removes_high_frequencies_in_the_head_and_nowhere_else() -> None:
    for method in ("pixelate", "gaussian"):
        blur = FaceBlurAnnotator(FaceBlurStyle(method=method))
        before = textured_frame()
        analysis = make_analysis()
        x0, y0, x1, y1 = blur.head_box(analysis, 640, 480)  # type: ignore[misc]
        after = blur.annotate(before.copy(), analysis)
        assert lap_var(after[y0:y1, x0:x1]) < lap_var(before[y0:y1, x0:x1]) / 5, method
        outside = np.ones(before.shape[:2], bool)
        outside[y0:y1, x0:x1] = False
        assert np.array_equal(before[outside], after[outside]), method


def test_last_box_is_kept_for_about_a_second_without_a_pose() -> None:
    blur = FaceBlurAnnotator()
    box = blur.head_box(make_analysis(), 640, 480)
    assert box is not None
    x0, y0, x1, y1 = box
    blur.annotate(textured_frame(), make_analysis(0.0))

    before = textured_frame(seed=1)
    lost = make_analysis(0.5, pose=make_pose(0.5, detected=False))
    after = blur.annotate(before.copy(), lost)
    assert lap_var(after[y0:y1, x0:x1]) < lap_var(before[y0:y1, x0:x1]) / 5

    later = make_analysis(1.6, pose=make_pose(1.6, detected=False))
    assert np.array_equal(blur.annotate(before.copy(), later), before)

    blur.reset()
    assert np.array_equal(blur.annotate(before.copy(), lost), before)


def test_back_of_the_head_is_still_blurred() -> None:
    vis = np.full(33, 0.9, dtype=np.float32)
    vis[:11] = 0.01  # face turned away: face landmarks "not visible"
    box = FaceBlurAnnotator().head_box(make_analysis(pose=make_pose(visibility=vis)), 640, 480)
    assert box is not None
