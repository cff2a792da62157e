"""Analyse a recorded clip end to end: frames -> poses -> analysis -> report and video.

The stages stay separate (sources, pose, analysis, render, report); this
module only wires them for the recorded-clip case, streaming frame by frame
so memory stays flat however long the clip is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from formcheck.analysis.analyzer import AnalysisResult, ExerciseAnalyzer
from formcheck.analysis.recognize import POSITION_OF, PostureTally, Recognition, recognize
from formcheck.analysis.state import FrameAnalysis
from formcheck.exercises.loader import EXERCISE_IDS, PatientConfig
from formcheck.exercises.schema import ExerciseSpec
from formcheck.landmarks import Side
from formcheck.pose.base import PoseEstimator
from formcheck.pose.recording import PoseRecording
from formcheck.report.build import build_report
from formcheck.report.model import SessionReport, SourceInfo
from formcheck.sources import FrameSource, open_source
from formcheck.types import Frame, PoseFrame, VideoInfo

ProgressFn = Callable[[int, int | None], None]


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


def poses_from_video(
    frames: Iterator[Frame], estimator: PoseEstimator
) -> Iterator[tuple[Frame, PoseFrame]]:
    for frame in frames:
        yield frame, estimator.estimate(frame)


def _source_info(path: Path | None, info: VideoInfo, frames: int, duration: float) -> SourceInfo:
    return SourceInfo(
        path=str(path) if path else info.source,
        width=info.width,
        height=info.height,
        fps=round(info.fps, 3),
        frames=frames,
        duration_s=round(duration, 3),
        rotation=info.rotation,
        sha256=file_sha256(path) if path and path.is_file() else None,
    )


class _Annotated:
    """Draws the analysis on each frame and writes the annotated video."""

    def __init__(
        self,
        stack: ExitStack,
        path: Path,
        fps: float,
        spec: ExerciseSpec,
        *,
        blur: bool,
        force: bool,
    ) -> None:
        from formcheck.render.presets import default_annotators
        from formcheck.render.video import VideoSink

        counter_label = {"rep": "Reps", "hold": "Holds", "cycle": "Cycles"}[spec.prescription.kind]
        self.chain = default_annotators(
            target=spec.prescription.target_count,
            counter_label=counter_label,
            fault_messages={f.id: f.cue for f in spec.faults},
            blur_faces=blur,
        )
        self.sink = stack.enter_context(VideoSink(path, fps=fps, force=force))

    def write(self, frame: Frame, analysis: FrameAnalysis) -> None:
        self.sink.write(self.chain.annotate(frame.image.copy(), analysis))


def analyze_clip(
    source: str | Path | int,
    *,
    exercise: str,
    config: PatientConfig,
    estimator_factory: Callable[[], PoseEstimator] | None = None,
    recording: PoseRecording | None = None,
    video_out: Path | None = None,
    pose_out: Path | None = None,
    blur_faces: bool = True,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> ClipAnalysis:
    """Analyse one clip (or a saved pose recording) as ``exercise`` (an id or ``"auto"``).

    With ``recording`` no model runs; the video is still needed for
    ``video_out``. ``progress(frames_done, total)`` is called per frame.
    """
    auto = exercise == "auto"
    ids = list(EXERCISE_IDS) if auto else [exercise]
    analyzers = {i: ExerciseAnalyzer(config.exercise(i)) for i in ids}
    tally = PostureTally()
    warnings: list[str] = []
    path = Path(source) if isinstance(source, (str, Path)) else None

    src: FrameSource | None = None
    with ExitStack() as stack:
        if recording is not None and video_out is None:
            stream: Iterator[tuple[Frame | None, PoseFrame]] = (
                (None, p) for p in recording.frames()
            )
            total: int | None = len(recording)
            info = VideoInfo(
                width=recording.image_size[0],
                height=recording.image_size[1],
                fps=recording.fps,
                frame_count=len(recording),
                source=recording.source,
            )
            model_id = recording.model_id
        else:
            src = stack.enter_context(open_source(source))
            info = src.info
            total = info.frame_count
            if recording is not None:
                poses = recording.frames()
                stream = ((f, next(poses)) for f in src)  # type: ignore[misc]
                model_id = recording.model_id
            else:
                assert estimator_factory is not None
                estimator = stack.enter_context(estimator_factory())
                stream = poses_from_video(iter(src), estimator)  # type: ignore[assignment]
                model_id = estimator.model_id
        annotated = None
        if video_out is not None and not auto:
            annotated = _Annotated(
                stack,
                video_out,
                info.fps or 30.0,
                analyzers[ids[0]].spec,
                blur=blur_faces,
                force=force,
            )
        kept: list[PoseFrame] | None = (
            [] if (pose_out is not None or (auto and video_out)) else None
        )
        n = 0
        first_t = last_t = 0.0
        for frame, pose in stream:
            if n == 0:
                first_t = pose.timestamp_s
            last_t = pose.timestamp_s
            outs = {i: a.step(pose) for i, a in analyzers.items()}
            first = outs[ids[0]]
            near = Side(first.near_side) if first.near_side else Side.LEFT
            tally.add(first.pose.xy, first.pose.visibility, near)
            if annotated is not None and frame is not None:
                annotated.write(frame, outs[ids[0]])
            if kept is not None:
                kept.append(pose)
            n += 1
            if progress:
                progress(n, total)
        if src is not None:
            warnings += list(src.warnings)
            if src.truncated:
                warnings.append("The file looks truncated: analysed the frames that could be read.")

    results = {i: a.finish() for i, a in analyzers.items()}
    recognition = None
    chosen = ids[0]
    if auto:
        recognition = recognize(tally, results)
        chosen = recognition.exercise
    else:
        contradiction = _contradiction(chosen, tally)
        if contradiction:
            warnings.append(contradiction)
    result = results[chosen]
    if kept is not None and pose_out is not None:
        PoseRecording.from_frames(
            kept, fps=info.fps or 30.0, model_id=model_id, source=str(source)
        ).save(pose_out)
    if auto and video_out is not None and kept is not None:
        _render_after_recognition(
            source, kept, config.exercise(chosen), video_out, blur_faces, force, info.fps
        )
    report = build_report(
        result,
        model_id=model_id,
        source=_source_info(path, info, n, last_t - first_t),
        patient=config.patient,
        exercise_confidence=round(recognition.confidence, 3) if recognition else None,
        warnings=warnings,
        config_overrides=dict(config.raw_overrides.get(chosen, {})) if config.raw_overrides else {},
    )
    return ClipAnalysis(report=report, result=result, recognition=recognition, warnings=warnings)


def _render_after_recognition(
    source: str | Path | int,
    poses: list[PoseFrame],
    spec: ExerciseSpec,
    video_out: Path,
    blur: bool,
    force: bool,
    fps: float,
) -> None:
    """With ``--exercise auto`` the exercise is known only at the end: draw in a second pass."""
    analyzer = ExerciseAnalyzer(spec)
    with ExitStack() as stack:
        src = stack.enter_context(open_source(source))
        annotated = _Annotated(stack, video_out, fps or 30.0, spec, blur=blur, force=force)
        for frame, pose in zip(src, poses, strict=False):
            annotated.write(frame, analyzer.step(pose))


def _contradiction(exercise_id: str, tally: PostureTally) -> str | None:
    """A warning when the posture seen clearly disagrees with the chosen exercise."""
    shares = tally.shares()
    expected = POSITION_OF[exercise_id]
    if not shares or shares.get(expected, 0.0) >= 0.3:
        return None
    seen = max(shares, key=lambda k: shares[k])
    if shares[seen] < 0.6:
        return None
    return (
        f"This clip looks like {seen} posture for {shares[seen]:.0%} of the time, but "
        f"{exercise_id} is done {expected}; check --exercise (or try --exercise auto)."
    )
