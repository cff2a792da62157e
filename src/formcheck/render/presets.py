"""The standard overlay used for the annotated video and the live view."""

from __future__ import annotations

from collections.abc import Mapping

from formcheck.render.angle import AngleAnnotator
from formcheck.render.banner import FaultBannerAnnotator, StatusAnnotator
from formcheck.render.base import AnnotatorChain
from formcheck.render.face_blur import FaceBlurAnnotator
from formcheck.render.hud import HudAnnotator
from formcheck.render.plot_strip import PlotStripAnnotator
from formcheck.render.skeleton import SkeletonAnnotator


def default_annotators(
    *,
    target: int | None = None,
    counter_label: str = "Reps",
    fault_messages: Mapping[str, str] | None = None,
    blur_faces: bool = True,
    plot: bool = True,
    vertices: Mapping[str, str] | None = None,
) -> AnnotatorChain:
    """Face blur, skeleton, joint angle, plot strip, HUD, fault banner, status, in that order."""
    chain = []
    if blur_faces:
        chain.append(FaceBlurAnnotator())
    chain += [SkeletonAnnotator(), AngleAnnotator(vertices=dict(vertices or {}))]
    if plot:
        chain.append(PlotStripAnnotator())
    chain += [
        HudAnnotator(target=target, counter_label=counter_label),
        FaultBannerAnnotator(fault_messages),
        StatusAnnotator(),
    ]
    return AnnotatorChain(*chain)
