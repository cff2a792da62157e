"""The annotator protocol and a chain that runs several in order.

Annotators follow the roboflow/supervision shape: the style is fixed in
``__init__``, and ``annotate(scene, analysis)`` draws **in place** on ``scene``
(a ``(h, w, 3)`` uint8 BGR image) and returns it, so a chain costs no copies.
Pass ``scene.copy()`` when the original picture must survive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import numpy as np

from formcheck.analysis.state import FrameAnalysis


@runtime_checkable
class Annotator(Protocol):
    """Draws one aspect of a frame's analysis onto the picture."""

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        """Draw on ``scene`` in place and return it."""
        ...


class AnnotatorChain:
    """Runs annotators in order; itself an :class:`Annotator`.

    Order matters: put :class:`~formcheck.render.face_blur.FaceBlurAnnotator`
    first so it blurs the camera picture, not the overlay.
    """

    def __init__(self, *annotators: Annotator) -> None:
        self.annotators: tuple[Annotator, ...] = annotators

    def annotate(self, scene: np.ndarray, analysis: FrameAnalysis) -> np.ndarray:
        for annotator in self.annotators:
            scene = annotator.annotate(scene, analysis)
        return scene

    def reset(self) -> None:
        """Forget the state of stateful annotators (face box memory, plot history)."""
        for annotator in self.annotators:
            reset = getattr(annotator, "reset", None)
            if callable(reset):
                reset()

    def __iter__(self) -> Iterator[Annotator]:
        return iter(self.annotators)

    def __len__(self) -> int:
        return len(self.annotators)


def compose(*annotators: Annotator) -> AnnotatorChain:
    """``compose(FaceBlurAnnotator(), SkeletonAnnotator(), HudAnnotator())``."""
    return AnnotatorChain(*annotators)
