"""Doubting a skeleton that shrinks out of shape (the model squeezing a folded body)."""

from __future__ import annotations

import numpy as np
import pytest

from factories import kneeling_pose, supine_pose
from formcheck.signals.body_scale import BodyScaleCheck, BodyScaleConfig

FPS = 30.0


def run(poses, check=None):
    check = check or BodyScaleCheck()
    return [check.update(i / FPS, xy) for i, xy in enumerate(poses)]


def test_a_steady_body_and_its_posture_changes_are_believed():
    # Kneeling upright to folded: the trunk turns through 75 deg, the thighs stay put.
    poses = [kneeling_pose(85.0 - 75.0 * min(1.0, i / 30)) for i in range(90)]
    assert all(run(poses))


def test_a_skeleton_squeezed_to_half_is_doubted_until_back_to_size():
    body, squeezed = kneeling_pose(10.0), supine_pose(175.0, scale=0.45)
    trusted = run([body] * 30 + [squeezed] * 60 + [body] * 30)
    assert all(trusted[:30])
    assert not any(trusted[30:90])
    assert all(trusted[90:])


def test_one_limb_foreshortened_is_not_a_squeeze():
    # One thigh at half its length (the knee turned towards the camera): one segment of four.
    body = kneeling_pose(10.0)
    short = body.copy()
    short[25] = body[23] + 0.5 * (body[25] - body[23])  # left knee
    assert all(run([body] * 30 + [short] * 30))


def test_moving_away_slowly_is_followed_not_doubted():
    # Half the size over 10 s (walking back from the camera): followed, never doubted.
    body = kneeling_pose(10.0)
    centre = body.mean(axis=0)
    poses = [centre + (body - centre) * (1.0 - 0.5 * i / 300) for i in range(300)]
    assert all(run(poses))


def test_a_lasting_new_size_is_taken_after_max_doubt_s():
    check = BodyScaleCheck(BodyScaleConfig(max_doubt_s=2.0))
    body, small = kneeling_pose(10.0), kneeling_pose(10.0) * 0.5
    trusted = run([body] * 30 + [small] * 120, check)
    assert not any(trusted[30 : 30 + 60])
    assert all(trusted[30 + 61 :])  # the new size is the body's now
    assert not check.doubting


def test_no_person_is_nothing_to_doubt():
    check = BodyScaleCheck()
    assert check.update(0.0, None)
    assert check.update(0.1, kneeling_pose(10.0))
    assert check.update(0.2, None)


@pytest.mark.parametrize(
    "kw",
    [{"collapse_ratio": 0.0}, {"collapse_ratio": 0.9, "recover_ratio": 0.8},
     {"recover_ratio": 1.5}, {"time_constant_s": 0.0}, {"max_doubt_s": -1.0}],
)  # fmt: skip
def test_bad_config_rejected(kw):
    with pytest.raises(ValueError):
        BodyScaleConfig(**kw)


def test_ratio_is_the_median_of_the_segments():
    check = BodyScaleCheck()
    body = kneeling_pose(10.0)
    check.update(0.0, body)
    centre = body.mean(axis=0)
    assert check.ratio(centre + (body - centre) * 0.6) == pytest.approx(0.6)
    assert np.isnan(BodyScaleCheck().ratio(body))  # no size known yet
