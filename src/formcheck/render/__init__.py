"""Overlays drawn on video frames (supervision-style annotators) and the video sink."""

from formcheck.render.angle import AngleAnnotator, AngleStyle
from formcheck.render.banner import BannerStyle, FaultBannerAnnotator, StatusAnnotator
from formcheck.render.base import Annotator, AnnotatorChain, compose
from formcheck.render.face_blur import FaceBlurAnnotator, FaceBlurStyle
from formcheck.render.hud import HudAnnotator, HudStyle
from formcheck.render.plot_strip import PlotStripAnnotator, PlotStripStyle
from formcheck.render.presets import default_annotators
from formcheck.render.skeleton import SkeletonAnnotator, SkeletonStyle
from formcheck.render.video import VideoSink, VideoWriteError

__all__ = [
    "AngleAnnotator",
    "AngleStyle",
    "Annotator",
    "AnnotatorChain",
    "BannerStyle",
    "FaceBlurAnnotator",
    "FaceBlurStyle",
    "FaultBannerAnnotator",
    "HudAnnotator",
    "HudStyle",
    "PlotStripAnnotator",
    "PlotStripStyle",
    "SkeletonAnnotator",
    "SkeletonStyle",
    "StatusAnnotator",
    "VideoSink",
    "VideoWriteError",
    "compose",
    "default_annotators",
]
