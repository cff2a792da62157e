"""Analyse a recorded clip end to end: frames -> poses -> analysis -> report and video.

The stages stay separate (sources, pose, analysis, render, report); this
module only wires them for the recorded-clip case, streaming frame by frame
so memory stays flat however long the clip is.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import cv2
import numpy as np

from formcheck.analysis.analyzer import AnalysisResult, ExerciseAnalyzer
from formcheck.analysis.recognize import PostureTally, Recognition, recognize
from formcheck.analysis.state import FrameAnalysis
from formcheck.exercises.loader import PatientConfig
from formcheck.exercises.registry import exercise_ids
from formcheck.exercises.schema import ExerciseSpec
from formcheck.landmarks import Side
from formcheck.pose.base import PoseEstimator
from formcheck.pose.downscale import MODEL_MAX_SIDE, model_input, to_frame_pixels
from formcheck.pose.interpolate import between
from formcheck.pose.recording import PoseRecording
from formcheck.report.build import build_report
from formcheck.report.model import SessionReport, SourceInfo
from formcheck.sources import FrameSource, open_source
from formcheck.sources.quality import PictureQuality
from formcheck.sources.sniff import mp4_creation_time
from formcheck.sources.stride import stride_for
from formcheck.types import Frame, PoseFrame, VideoInfo

ProgressFn = Callable[[int, int | None], None]

# Skipped frames held for the annotated video until the next modelled one: beyond this
# (a recording with a long stretch of no poses) they are drawn with the last pose held.
_MAX_PENDING = 64


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass
class ClipAnalysis:
    """The outcome of analysing one clip."""

    report: SessionReport
    result: AnalysisResult
    recognition: Recognition | None = None
    warnings: list[str] = field(default_factory=list)
    keyframes: dict[str, bytes] = field(default_factory=dict)  # caption -> JPEG


def recording_time(path: Path | None) -> datetime:
    """When a clip was recorded: the video's own creation time, else the file's mtime.

    A camera or stream (no path) is being recorded now. The file time is read at
    analysis, so a copy made later does not move sessions already reported.
    """
    if path is None or not path.exists():
        return datetime.now(timezone.utc)
    if path.is_file() and (created := mp4_creation_time(path)) is not None:
        return created
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def poses_from_video(
    frames: Iterator[Frame],
    estimator: PoseEstimator,
    *,
    stride: int = 1,
    max_side: int | None = MODEL_MAX_SIDE,
) -> Iterator[tuple[Frame, PoseFrame | None]]:
    """Each frame with its pose; ``None`` for frames between every ``stride``-th one.

    The model sees a copy no larger than ``max_side`` (shrunk once, here); the
    landmarks come back in the frame's own pixels.
    """
    for frame in frames:
        if frame.index % stride:
            yield frame, None
            continue
        small, scale = model_input(frame, max_side)
        yield frame, to_frame_pixels(estimator.estimate(small), scale, frame.size)


def aligned(
    frames: Iterator[Frame], poses: Iterator[PoseFrame]
) -> Iterator[tuple[Frame, PoseFrame | None]]:
    """Frames paired with the recorded pose of the same frame index (``None`` where none).

    A recording made with ``--stride`` holds every k-th frame only.
    """
    pose = next(poses, None)
    for frame in frames:
        while pose is not None and pose.index < frame.index:
            pose = next(poses, None)
        if pose is not None and pose.index == frame.index:
            yield frame, pose
            pose = next(poses, None)
        else:
            yield frame, None


def resolve_stride(stride: int | None, fps: float, specs: list[ExerciseSpec]) -> int:
    """``stride`` itself, or for ``None`` (auto) the one the exercises' sample rates allow."""
    if stride is not None:
        return max(1, stride)
    return stride_for(fps, (spec.sample_fps for spec in specs))


def _source_info(
    path: Path | None,
    info: VideoInfo,
    frames: int,
    duration: float,
    sha256: str | None,
    stride: int = 1,
) -> SourceInfo:
    return SourceInfo(
        path=str(path) if path else info.source,
        width=info.width,
        height=info.height,
        fps=round(info.fps, 3),
        frames=frames,
        duration_s=round(duration, 3),
        rotation=info.rotation,
        sha256=sha256 or (file_sha256(path) if path and path.is_file() else None),
        model_stride=stride,
    )


class FrameOutputs:
    """Per-frame outputs of a recorded clip: the annotated video and key frames.

    Key frames are the best and the worst rep at their peak, kept while the
    frames stream by: the current rep's peak frame plus at most two finished
    ones, so memory does not grow with the clip.
    """

    def __init__(
        self,
        stack: ExitStack,
        spec: ExerciseSpec,
        *,
        video_path: Path | None,
        fps: float,
        keyframes: bool,
        blur: bool,
        force: bool,
    ) -> None:
        from formcheck.render.presets import default_annotators

        kind = spec.prescription.kind
        self.chain = default_annotators(
            target=spec.prescription.target_count,
            counter_label={"rep": "Reps", "hold": "Holds", "cycle": "Cycles"}[kind],
            fault_messages={f.id: f.cue for f in spec.faults},
            blur_faces=blur,
            vertices={
                name: f"{{side}}_{sig.points[1]}"
                for name, sig in spec.signals.items()
                if sig.kind in ("angle", "signed_angle") and sig.side in ("near", "max")
            },
        )
        self.sink = None
        if video_path is not None:
            from formcheck.render.video import VideoSink

            self.sink = stack.enter_context(VideoSink(video_path, fps=fps, force=force))
        self.want_keyframes = keyframes
        self._pending: list[Frame] = []  # frames the model skipped, waiting for the next pose
        self._last: FrameAnalysis | None = None
        self._peak_image: np.ndarray | None = None
        self._kept: dict[str, tuple[float, int, np.ndarray]] = {}  # best/worst: quality, rep, image

    def skip(self, frame: Frame) -> None:
        """A frame the model did not see: drawn once the next modelled frame is known."""
        if self.sink is None:
            return  # key frames are modelled frames
        self._pending.append(frame)
        if len(self._pending) > _MAX_PENDING:
            self._fill(None)

    def finish(self) -> None:
        """Draw the skipped frames after the last modelled one (the last pose held)."""
        self._fill(None)

    def _fill(self, after: FrameAnalysis | None) -> None:
        """Skipped frames, drawn with landmarks interpolated between the modelled frames.

        The counts, cues and faults shown are the earlier modelled frame's: the
        analysis knows only modelled frames.
        """
        base = self._last or after
        if self.sink is None or base is None:
            return
        for frame in self._pending:
            pose = between(base.pose, after.pose if after else None, frame.timestamp_s, frame.index)
            shown = dataclasses.replace(base, pose=pose, event=None)
            self.sink.write(self.chain.annotate(frame.image.copy(), shown))
        self._pending.clear()

    def handle(self, frame: Frame, analysis: FrameAnalysis, at_peak: bool) -> None:
        if self._pending:
            self._fill(analysis)
        self._last = analysis
        if self.sink is None and not (self.want_keyframes and at_peak):
            return
        image = self.chain.annotate(frame.image.copy(), analysis)
        if self.sink is not None:
            self.sink.write(image)
        if self.want_keyframes and at_peak:
            self._peak_image = image
        event = analysis.event
        if self.want_keyframes and event is not None and event.complete:
            self._rep_done(event.index, event.quality)

    def _rep_done(self, index: int, quality: float) -> None:
        if self._peak_image is None:
            return
        best = self._kept.get("best")
        worst = self._kept.get("worst")
        if best is None or quality > best[0]:
            self._kept["best"] = (quality, index, self._peak_image)
        if worst is None or quality < worst[0]:
            self._kept["worst"] = (quality, index, self._peak_image)
        self._peak_image = None

    def keyframes(self) -> dict[str, bytes]:
        """Caption -> JPEG of the best and worst reps at their peak."""
        out: dict[str, bytes] = {}
        for label, (quality, index, image) in self._kept.items():
            if label == "worst" and self._kept["best"][1] == index:
                continue  # one rep only, or all equal: show it once
            h, w = image.shape[:2]
            if w > 960:
                image = cv2.resize(image, (960, round(h * 960 / w)), interpolation=cv2.INTER_AREA)
            ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                out[f"{label.capitalize()} rep: #{index} (quality {quality:.0%})"] = buf.tobytes()
        return out


def analyze_clip(
    source: str | Path | int,
    *,
    exercise: str,
    config: PatientConfig,
    estimator_factory: Callable[[], PoseEstimator] | None = None,
    recording: PoseRecording | None = None,
    video_out: Path | None = None,
    pose_out: Path | None = None,
    keyframes: bool = False,
    blur_faces: bool = True,
    force: bool = False,
    progress: ProgressFn | None = None,
    content_sha: str | None = None,
    image_fps: float | None = None,
    stride: int | None = None,
    model_max_side: int | None = MODEL_MAX_SIDE,
) -> ClipAnalysis:
    """Analyse one clip (or a saved pose recording) as ``exercise`` (an id or ``"auto"``).

    With ``recording`` no model runs (the video is still read when frames are
    needed: ``video_out`` or ``keyframes``). ``progress(frames_done, total)``
    is called per frame. With ``"auto"`` every exercise is analysed on the
    same stream and the recognised one is reported; its video and key frames
    are drawn in a second pass over the saved poses, since the exercise is
    known only at the end. ``content_sha``: the clip's sha256 when the caller has
    already hashed it (batch), so a large clip is not read twice for it.
    ``image_fps``: the frame rate of a folder of images (default 30).
    ``stride``: run the model on every k-th frame (``None``: k from the exercises'
    ``sample_fps``, see :mod:`formcheck.sources.stride`); the analysis sees those
    frames only, and the annotated video draws the others between them. A
    recording is analysed as recorded. ``model_max_side``: frames larger than this are
    shrunk before the model (``None``: never).
    """
    auto = exercise == "auto"
    ids = list(exercise_ids()) if auto else [exercise]
    analyzers = {i: ExerciseAnalyzer(config.exercise(i)) for i in ids}
    tally = PostureTally()
    warnings: list[str] = []
    path = Path(source) if isinstance(source, (str, Path)) else None
    need_frames = video_out is not None or keyframes
    keep_poses = pose_out is not None or (auto and need_frames)

    src: FrameSource | None = None
    estimator: PoseEstimator | None = None
    k = 1
    picture = PictureQuality()
    gaps: list[tuple[float, float, int]] = []
    with ExitStack() as stack:
        if recording is not None and not need_frames:
            stream: Iterator[tuple[Frame | None, PoseFrame | None]] = (
                (None, p) for p in recording.frames()
            )
            info = VideoInfo(
                width=recording.image_size[0],
                height=recording.image_size[1],
                fps=recording.fps,
                frame_count=len(recording),
                source=recording.source,
            )
            model_id = recording.model_id
            k = recording.stride
        else:
            src = stack.enter_context(open_source(source, fps=image_fps))
            info = src.info
            if recording is not None:
                stream = aligned(iter(src), recording.frames())  # type: ignore[assignment]
                model_id = recording.model_id
                k = recording.stride
            else:
                assert estimator_factory is not None
                estimator = stack.enter_context(estimator_factory())
                k = resolve_stride(stride, info.fps, [a.spec for a in analyzers.values()])
                # Without a video to draw, skipped frames are grabbed, never converted.
                frames = iter(src) if need_frames else src.sampled(k)
                stream = poses_from_video(  # type: ignore[assignment]
                    frames, estimator, stride=k, max_side=model_max_side
                )
                model_id = estimator.model_id
        fps = info.fps or 30.0
        outputs = None
        if need_frames and not auto:
            spec = analyzers[ids[0]].spec
            outputs = FrameOutputs(
                stack, spec, video_path=video_out, fps=fps, keyframes=keyframes,
                blur=blur_faces, force=force,
            )  # fmt: skip
        kept: list[PoseFrame] = []
        n = 0
        seen = 0  # frames of the clip gone past, modelled or not
        first_t = last_t = 0.0
        end_t = 0.0  # the last frame's time, modelled or not
        for frame, pose in stream:
            if frame is not None:
                seen += 1
                end_t = frame.timestamp_s
            if pose is None:
                assert frame is not None
                if outputs is not None:
                    outputs.skip(frame)
                continue
            if n == 0:
                first_t = pose.timestamp_s
            last_t = pose.timestamp_s
            outs = {i: a.step(pose) for i, a in analyzers.items()}
            first = outs[ids[0]]
            near = Side(first.near_side) if first.near_side else Side.LEFT
            tally.add(first.pose.xy, first.pose.visibility, near, first.pose.world)
            if frame is not None:
                picture.add(frame)
            if outputs is not None and frame is not None:
                outputs.handle(frame, first, analyzers[ids[0]].at_peak(pose.timestamp_s))
            if keep_poses:
                kept.append(pose)
            n += 1
            if progress:
                progress(max(seen, src.frames_seen if src else 0, n), info.frame_count)
        if outputs is not None:
            outputs.finish()
        if src is not None:
            seen = max(seen, src.frames_seen)
            end_t = max(end_t, src.last_time_s)
            warnings += list(src.warnings)
            gaps = list(src.gaps)
        # Content the analysis cannot see: a dark or blurred picture, a second person.
        warnings += picture.warnings() + list(getattr(estimator, "warnings", []))
        shots = outputs.keyframes() if outputs is not None else {}

    against = {i: _contradiction(a.spec, tally) for i, a in analyzers.items()}
    for i, analyzer in analyzers.items():
        # The definition's form rules describe its own position (a supine tilt's buttocks
        # lifting off the floor); in another position (named, or recognised as a variant
        # done there) they would flag what is not a fault.
        if against[i] is not None:
            analyzer.judge_no_faults(
                f"Form faults were not judged: they are written for {analyzer.spec.id} "
                f"done {analyzer.spec.position}, and this clip shows another position."
            )
    contradiction = None if auto else against[ids[0]]
    results = {i: a.finish(hindsight=True) for i, a in analyzers.items()}
    recognition = None
    chosen = ids[0]
    if auto:
        recognition = recognize(tally, results)
        chosen = recognition.exercise
        if not recognition.matched:
            warnings.append(
                f"This does not look like any of the exercises formcheck knows "
                f"({recognition.reason}); it is reported as {chosen} with no confidence. "
                "Name the exercise with --exercise if it is one of them."
            )
    elif contradiction is not None:
        warnings.append(contradiction)
    if pose_out is not None:
        PoseRecording.from_frames(kept, fps=fps, model_id=model_id, source=str(source)).save(
            pose_out
        )
    if auto and need_frames:
        shots = _render_after_recognition(
            source, kept, config.exercise(chosen), video_out, keyframes, blur_faces, force, fps
        )
    report = build_report(
        results[chosen],
        model_id=model_id,
        source=_source_info(path, info, max(n, seen), max(last_t, end_t) - first_t, content_sha, k),
        patient=config.patient,
        exercise_confidence=round(recognition.confidence, 3) if recognition else None,
        warnings=warnings,
        config_overrides=dict(config.raw_overrides.get(chosen, {})),
        damaged=gaps,
        recorded_at=recording_time(path),
    )
    return ClipAnalysis(
        report=report,
        result=results[chosen],
        recognition=recognition,
        warnings=warnings,
        keyframes=shots,
    )


def _render_after_recognition(
    source: str | Path | int,
    poses: list[PoseFrame],
    spec: ExerciseSpec,
    video_out: Path | None,
    keyframes: bool,
    blur: bool,
    force: bool,
    fps: float,
) -> dict[str, bytes]:
    """Second pass over the saved poses with the recognised exercise (``--exercise auto``)."""
    analyzer = ExerciseAnalyzer(spec)
    with ExitStack() as stack:
        src = stack.enter_context(open_source(source, fps=fps))
        outputs = FrameOutputs(
            stack, spec, video_path=video_out, fps=fps, keyframes=keyframes, blur=blur, force=force
        )
        for frame, pose in aligned(iter(src), iter(poses)):
            if pose is None:
                outputs.skip(frame)
            else:
                outputs.handle(frame, analyzer.step(pose), analyzer.at_peak(pose.timestamp_s))
        outputs.finish()
        return outputs.keyframes()


def _contradiction(spec: ExerciseSpec, tally: PostureTally) -> str | None:
    """A warning when the posture seen clearly disagrees with the chosen exercise."""
    shares = tally.shares()
    exercise_id, expected = spec.id, spec.position
    if not shares or shares.get(expected, 0.0) >= 0.3:
        return None
    seen = max(shares, key=lambda k: shares[k])
    if shares[seen] < 0.6:
        return None
    # A floor posture filmed upside down (no rotation metadata) reads as another one:
    # on all fours or kneeling, the knees then stand above the hips, as lying on the back.
    return (
        f"This clip looks like {seen} posture for {shares[seen]:.0%} of the time, but "
        f"{exercise_id} is done {expected}; check --exercise (or try --exercise auto), "
        "and that the video is the right way up."
    )
