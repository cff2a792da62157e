"""Annotators draw where they should, and only when they should."""

from __future__ import annotations

import numpy as np
import pytest
from render_factories import make_analysis, make_pose, plain_frame, standing_xy

from formcheck.analysis.state import FrameStatus, Phase
from formcheck.landmarks import Landmark
from formcheck.render import (
    AngleAnnotator,
    Annotator,
    AnnotatorChain,
    FaultBannerAnnotator,
    HudAnnotator,
    PlotStripAnnotator,
    PlotStripStyle,
    SkeletonAnnotator,
    StatusAnnotator,
    compose,
    default_annotators,
)
from formcheck.render.hud import cue_band


def changed(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(h, w) bool mask of pixels that differ."""
    return np.any(before != after, axis=2)


def test_annotators_draw_in_place_and_return_the_scene() -> None:
    scene = plain_frame()
    for annotator in default_annotators(target=10):
        assert isinstance(annotator, Annotator)
        assert annotator.annotate(scene, make_analysis(cue="Go", faults=("x",))) is scene


def test_skeleton_draws_along_an_edge_and_not_far_away() -> None:
    before = plain_frame()
    after = SkeletonAnnotator().annotate(before.copy(), make_analysis())
    xy = standing_xy()
    a, b = xy[Landmark.LEFT_HIP], xy[Landmark.LEFT_KNEE]
    samples = [a + (b - a) * f for f in np.linspace(0.2, 0.8, 7)]
    mask = changed(before, after)
    assert all(mask[int(np.rint(y)), int(np.rint(x))] for x, y in samples)
    assert not mask[:, :150].any() and not mask[:, 500:].any()  # the person is mid-frame


def test_skeleton_near_side_is_thicker_than_far_side() -> None:
    from formcheck.render.skeleton import SkeletonStyle

    style = SkeletonStyle()
    assert style.near_thickness > style.far_thickness
    near = SkeletonAnnotator().annotate(plain_frame(), make_analysis(near_side="left"))
    # The near (left) shin is drawn in the near colour.
    xy = standing_xy()
    mid = ((xy[Landmark.LEFT_KNEE] + xy[Landmark.LEFT_ANKLE]) / 2).round().astype(int)
    assert tuple(near[mid[1], mid[0]]) == style.near_color


def test_skeleton_skips_invisible_points_and_missing_pose() -> None:
    before = plain_frame()
    invisible = make_analysis(pose=make_pose(visibility=0.05))
    assert not changed(before, SkeletonAnnotator().annotate(before.copy(), invisible)).any()
    none = make_analysis(pose=make_pose(detected=False))
    assert not changed(before, SkeletonAnnotator().annotate(before.copy(), none)).any()


def test_hud_draws_counter_in_the_top_bar_only() -> None:
    before = plain_frame()
    after = HudAnnotator(target=10).annotate(before.copy(), make_analysis(rep_count=3))
    mask = changed(before, after)
    bar = int(480 * 0.15)
    assert mask[:bar].mean() > 0.9  # the dark bar
    assert not mask[bar:].any()
    # White counter text on the left of the bar.
    assert (after[:bar, :200] > 230).all(axis=2).sum() > 300


def test_hud_counter_text_changes_with_the_count() -> None:
    a = HudAnnotator(target=10).annotate(plain_frame(), make_analysis(rep_count=3))
    b = HudAnnotator(target=10).annotate(plain_frame(), make_analysis(rep_count=8))
    assert changed(a, b)[:72, :260].any()
    assert not changed(a, b)[:, 400:].any()  # phase pill unchanged


def test_hud_shows_cue_band_and_hold_countdown() -> None:
    before = plain_frame()
    an = make_analysis(cue="Breathe out", hold_s=2.0, hold_target_s=5.0, phase=Phase.TOP)
    after = HudAnnotator().annotate(before.copy(), an)
    top, bottom = cue_band(after)
    assert changed(before, after)[top:bottom].mean() > 0.9
    no_cue = HudAnnotator().annotate(before.copy(), make_analysis())
    assert not changed(before, no_cue)[top:bottom].any()


def test_hud_leaves_the_cue_band_to_the_fault_banner() -> None:
    before = plain_frame()
    after = HudAnnotator().annotate(before.copy(), make_analysis(cue="Hips up", faults=("sag",)))
    top, bottom = cue_band(after)
    assert not changed(before, after)[top:bottom].any()


def test_fault_banner_only_while_faults_are_active() -> None:
    banner = FaultBannerAnnotator({"sagging_hips": "Lift your hips"})
    before = plain_frame()
    quiet = banner.annotate(before.copy(), make_analysis(cue="Lower slowly"))
    assert not changed(before, quiet).any()
    loud = banner.annotate(before.copy(), make_analysis(faults=("sagging_hips",)))
    top, bottom = cue_band(loud)
    region = loud[top:bottom]
    red = (region[..., 2] > 150) & (region[..., 0] < 100) & (region[..., 1] < 100)
    assert red.mean() > 0.5
    assert not changed(before, loud)[bottom + 2 :].any()
    assert banner.text_for(make_analysis(faults=("sagging_hips",))) == "Lift your hips"
    assert banner.text_for(make_analysis(faults=("knee_valgus",))) == "Knee valgus"


def test_status_panel_only_when_not_ok() -> None:
    before = plain_frame()
    ok = StatusAnnotator().annotate(before.copy(), make_analysis())
    assert not changed(before, ok).any()
    bad = make_analysis(status=FrameStatus.OUT_OF_FRAME, status_message="Feet out of frame")
    after = StatusAnnotator().annotate(before.copy(), bad)
    mask = changed(before, after)
    assert mask[220:260, 200:440].mean() > 0.8  # mid-frame panel
    assert not mask[:150].any() and not mask[330:].any()


def test_angle_is_drawn_at_the_knee_of_the_near_side() -> None:
    before = plain_frame()
    after = AngleAnnotator().annotate(before.copy(), make_analysis(signal="knee_angle"))
    knee = standing_xy()[Landmark.LEFT_KNEE].round().astype(int)
    mask = changed(before, after)
    x, y = knee
    assert mask[y - 40 : y + 41, x - 40 : x + 90].sum() > 500
    assert not mask[:200].any()


def test_angle_without_a_vertex_draws_a_gauge_and_nan_draws_nothing() -> None:
    before = plain_frame()
    after = AngleAnnotator().annotate(before.copy(), make_analysis(signal="pelvic_tilt"))
    mask = changed(before, after)
    assert mask[120:260, :140].any() and not mask[:, 320:].any()  # top-left dial
    nan = AngleAnnotator().annotate(before.copy(), make_analysis(value=float("nan")))
    assert not changed(before, nan).any()


def test_angle_vertex_mapping_overrides_the_heuristic() -> None:
    ann = AngleAnnotator(vertices={"trunk_lean": "{side}_shoulder"})
    resolved = ann.resolve(make_analysis(signal="trunk_lean", near_side="right"))
    assert resolved is not None and resolved.vertex == Landmark.RIGHT_SHOULDER


def test_plot_strip_draws_in_its_box_and_keeps_a_bounded_window() -> None:
    strip = PlotStripAnnotator()
    before = plain_frame()
    after = before
    for i in range(600):  # 20 s at 30 fps
        after = strip.annotate(before.copy(), make_analysis(i / 30, value=150 + 20 * np.sin(i / 9)))
    mask = changed(before, after)
    left, top, right, bottom = strip.box(before)
    assert 320 < left < right < 640 and 100 < top < bottom < 240  # top-right, under the HUD
    assert mask[top:bottom, left:right].mean() > 0.9
    mask[top:bottom, left:right] = False
    assert not mask.any()
    assert len(strip._samples) <= 10 * 30 + 2
    strip.annotate(before.copy(), make_analysis(0.0))  # time went back: new clip
    assert len(strip._samples) == 1


def test_chain_runs_in_order_and_resets_state() -> None:
    calls: list[str] = []

    class Mark:
        def __init__(self, name: str) -> None:
            self.name = name

        def annotate(self, scene: np.ndarray, analysis: object) -> np.ndarray:
            calls.append(self.name)
            return scene

        def reset(self) -> None:
            calls.append(f"reset {self.name}")

    chain = compose(Mark("a"), Mark("b"))
    assert isinstance(chain, AnnotatorChain) and len(chain) == 2
    chain.annotate(plain_frame(), make_analysis())
    chain.reset()
    assert calls == ["a", "b", "reset a", "reset b"]


def test_plot_strip_can_sit_at_the_bottom() -> None:
    strip = PlotStripAnnotator(PlotStripStyle(anchor="bottom"))
    assert strip.box(plain_frame()) == (0, 480 - round(480 * 0.17), 640, 480)


@pytest.mark.parametrize("size", [(640, 480), (1280, 720), (480, 640)])
def test_full_overlay_works_at_any_size(size: tuple[int, int]) -> None:
    w, h = size
    an = make_analysis(0.5, w, h, cue="Lower slowly", faults=("sag",), hold_s=1.0, hold_target_s=3)
    out = default_annotators(target=10).annotate(plain_frame(w, h), an)
    assert out.shape == (h, w, 3)
