"""Render an exercise clip with its ground truth: ``render_clip`` is the entry point.

Planning (script, key-pose solves, camera, truth) is cheap and done up front; frames are
drawn lazily so a long clip never sits in memory. Everything random comes from one
seeded ``numpy.random.Generator``, so the same arguments give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from formcheck.synth.appearance import Outfit
from formcheck.synth.avatar import Avatar, build_avatar
from formcheck.synth.camera import Camera
from formcheck.synth.exercises import script_for
from formcheck.synth.exercises.base import PoseContext, ScriptOptions
from formcheck.synth.groundtruth import FaultSpan, Truth, truth_path
from formcheck.synth.points import find_surface_points, landmarks_3d
from formcheck.synth.scene import Room, render_background
from formcheck.synth.shading import draw_avatar
from formcheck.synth.solver import BodyPose
from formcheck.synth.variety import Motion

GRID = 0.1  # key poses are solved every 0.1 of the level and interpolated between
HFOV_DEG = 55.0


@dataclass(frozen=True)
class ClipSpec:
    """Everything that determines a clip. ``None`` camera fields are drawn from the seed
    when ``vary`` is set and take side-on defaults otherwise."""

    exercise: str
    fault: str | None = None
    fault_reps: tuple[int, ...] | None = None  # 1-based; None = every rep
    reps: int | None = None
    seed: int = 0
    hold_s: float | None = None
    tempo: float = 1.0
    width: int = 640
    height: int = 480
    fps: float = 30.0
    side: str | None = None  # near side; None: from the seed
    azimuth_deg: float | None = None
    elevation_deg: float | None = None
    distance_m: float | None = None
    vary: bool = False  # camera, noise, blur and compression drawn from the seed
    variety: bool = False  # movement variety drawn from the seed (synth/variety.py)
    noise: float | None = None  # Gaussian pixel noise, grey levels
    blur: float | None = None  # Gaussian blur sigma, pixels
    jpeg_quality: int | None = None  # per-frame JPEG round trip


@dataclass(frozen=True)
class Clip:
    spec: ClipSpec
    truth: Truth
    avatar: Avatar
    poses: tuple[BodyPose, ...]
    camera: Camera
    background: np.ndarray
    background_depth: np.ndarray
    degrade: tuple[float, float, int | None]  # noise, blur, jpeg quality

    def frames(self) -> Iterator[np.ndarray]:
        """BGR uint8 frames, drawn on demand."""
        rng = np.random.default_rng([self.spec.seed, 1])
        noise, blur, quality = self.degrade
        for pose in self.poses:
            verts = self.avatar.skin(pose.posed(self.avatar))
            img = draw_avatar(
                self.avatar, verts, self.camera, self.background, self.background_depth
            )
            yield _degrade(img, rng, noise, blur, quality)

    def frame(self, index: int) -> np.ndarray:
        """One frame on its own (its pixel noise, if any, differs from ``frames()``'s)."""
        one = replace(self, poses=(self.poses[index],))
        return next(one.frames())


def _degrade(img: np.ndarray, rng: np.random.Generator, noise: float, blur: float,
             quality: int | None) -> np.ndarray:  # fmt: skip
    out = img[..., ::-1] * 255.0
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise > 0:
        out = out + rng.normal(0.0, noise, out.shape)
    out = np.clip(np.round(out), 0, 255).astype(np.uint8)
    if quality is not None:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR) if ok else out
    return out


def _interpolate(a: BodyPose, b: BodyPose, t: float) -> BodyPose:
    keys = sorted(set(a.angles) | set(b.angles))
    return BodyPose(
        {k: (1 - t) * a.angles.get(k, 0.0) + t * b.angles.get(k, 0.0) for k in keys}, a.base
    )


def _random_shape(rng: np.random.Generator) -> tuple[dict[str, float], float]:
    shape = {
        "belly": float(rng.uniform(0.0, 0.7)),
        "hips": float(rng.uniform(0.0, 1.0)),
        "buttocks": float(rng.uniform(0.0, 1.0)),
        "torso_width": float(rng.uniform(0.0, 0.6)),
    }
    return shape, float(rng.uniform(0.93, 1.07))


def plan_clip(spec: ClipSpec) -> Clip:
    """Script, solve and place everything; no pixels yet."""
    ex = script_for(spec.exercise)
    if spec.fault is not None and spec.fault not in ex.faults:
        raise ValueError(f"{spec.exercise} has no fault {spec.fault!r}; choose from {ex.faults}")
    rng = np.random.default_rng(spec.seed)
    outfit = Outfit.random(rng)
    shape, scale = _random_shape(rng)
    side = spec.side or ("left" if rng.random() < 0.5 else "right")
    reps = spec.reps if spec.reps is not None else ex.default_reps
    kind = _rep_kind(spec.exercise)
    # Its own stream, so that variety leaves the body, camera and room of a seed as they were.
    motion = Motion(spec.tempo, spec.seed if spec.variety else None, kind)
    reps += motion.extra_reps  # an edge cut leaves a rep partial: perform one more
    fault_reps = frozenset(spec.fault_reps) if spec.fault_reps else frozenset(range(1, reps + 1))
    opts = ScriptOptions(reps, spec.fault, fault_reps, spec.hold_s, spec.tempo, motion)

    avatar = build_avatar(shape, outfit, scale)
    ctx = PoseContext(avatar, find_surface_points(avatar))
    timeline = ex.script(opts)
    motion.cut(timeline)
    variants, levels = timeline.sample(spec.fps)
    offsets = timeline.sample_offsets(spec.fps)

    solved: dict[tuple[str, int], BodyPose] = {}

    def key(variant: str, step: int) -> BodyPose:
        if (variant, step) not in solved:
            solved[(variant, step)] = ex.key_pose(ctx, variant, round(step * GRID, 6))
        return solved[(variant, step)]

    poses: list[BodyPose] = []
    for variant, level in zip(variants, levels, strict=True):
        lo = int(np.floor(level / GRID + 1e-9))
        t = level / GRID - lo
        pose = (
            key(variant, lo)
            if t < 1e-6
            else _interpolate(key(variant, lo), key(variant, lo + 1), t)
        )
        poses.append(pose)
    if offsets:  # sighs, shuffles, nods: added to the solved pose of each frame
        poses = [
            BodyPose({**p.angles, **{k: p.angles.get(k, 0.0) + float(v[i])
                                     for k, v in offsets.items()}}, p.base)
            for i, p in enumerate(poses)
        ]  # fmt: skip

    lm3 = np.stack([landmarks_3d(avatar, ctx.pts, p.posed(avatar)) for p in poses])
    camera, cam_info, room = _place_camera(spec, rng, lm3, side)
    degrade = _degradation(spec, rng)
    xy, _ = camera.project(lm3)
    fps, n = spec.fps, len(poses)
    faults = tuple(
        FaultSpan(f, r.start_s, r.end_s, round(r.start_s * fps), min(round(r.end_s * fps), n - 1))
        for r in timeline.reps
        if r.partial is None
        for f in r.faults
    )
    truth = Truth(
        exercise=spec.exercise, fault=spec.fault, seed=spec.seed, fps=fps, width=spec.width,
        height=spec.height, camera=cam_info, near_side=side, landmarks_2d=xy, landmarks_3d=lm3,
        reps=tuple(timeline.reps), faults=faults,
        extra={"render": {"outfit": outfit.__dict__, "shape": shape, "height_scale": scale,
                          "noise": degrade[0], "blur": degrade[1], "jpeg_quality": degrade[2],
                          "pixel_convention": "pixel centres at integer coordinates"},
               **({"variety": motion.truth()} if spec.variety else {})},
    )  # fmt: skip
    bg, bg_depth = render_background(room, camera)
    return Clip(spec, truth, avatar, tuple(poses), camera, bg, bg_depth, degrade)


def _rep_kind(exercise: str) -> str:
    """ "rep", "hold" or "cycle": how the exercise's reps are counted (from its definition)."""
    from formcheck.exercises.registry import definitions

    d = definitions().get(exercise)
    kind = d.raw.get("counting", {}).get("kind", "reps") if d is not None else "reps"
    return {"reps": "rep", "holds": "hold", "cycles": "cycle"}.get(kind, "rep")


def _place_camera(spec: ClipSpec, rng: np.random.Generator, lm3: np.ndarray,
                  side: str) -> tuple[Camera, dict[str, float], Room]:  # fmt: skip
    pts = lm3.reshape(-1, 3)
    pts = pts[~np.isnan(pts).any(axis=1)]
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    target = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, 0.28])
    draw = rng.uniform(size=3)  # always drawn, so the stream does not depend on overrides
    az = spec.azimuth_deg if spec.azimuth_deg is not None else (
        -30 + 60 * draw[0] if spec.vary else 0.0)  # fmt: skip
    el = spec.elevation_deg if spec.elevation_deg is not None else (
        5 + 20 * draw[1] if spec.vary else 12.0)  # fmt: skip
    length = float(hi[1] - lo[1])
    base_d = max(2.3, 1.45 * length + 0.2)
    dist = spec.distance_m if spec.distance_m is not None else (
        base_d * (1.0 + 0.25 * draw[2]) if spec.vary else base_d)  # fmt: skip
    cam = Camera.look_at(target, az, el, dist, side, spec.width, spec.height, HFOV_DEG)
    room = Room.random(rng, (float(target[0]), float(target[1])))
    info = {"azimuth_deg": float(az), "elevation_deg": float(el), "distance_m": float(dist),
            "hfov_deg": HFOV_DEG}  # fmt: skip
    return cam, info, room


def _degradation(spec: ClipSpec, rng: np.random.Generator) -> tuple[float, float, int | None]:
    draw = rng.uniform(size=3)
    noise = spec.noise if spec.noise is not None else (3.0 * draw[0] if spec.vary else 0.0)
    blur = spec.blur if spec.blur is not None else (1.0 * draw[1] if spec.vary else 0.0)
    quality = spec.jpeg_quality
    if quality is None and spec.vary:
        quality = int(45 + 50 * draw[2])
    return float(noise), float(blur), quality


def write_video(clip: Clip, path: Path) -> None:
    """MP4 (mp4v) by default, WebM (VP8) for ``.webm``."""
    fourcc = cv2.VideoWriter_fourcc(*("VP80" if path.suffix.lower() == ".webm" else "mp4v"))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), fourcc, clip.spec.fps, (clip.spec.width, clip.spec.height))
    if not writer.isOpened():
        raise RuntimeError(f"cannot open a video writer for {path}")
    try:
        for frame in clip.frames():
            writer.write(frame)
    finally:
        writer.release()


def render_clip(exercise: str, out_path: str | Path | None = None, **options: object) -> Truth:
    """Render ``exercise`` (options as in :class:`ClipSpec`), write the video and
    ``<stem>.truth.json`` beside it when ``out_path`` is given, and return the truth."""
    clip = plan_clip(ClipSpec(exercise, **options))  # type: ignore[arg-type]
    if out_path is not None:
        path = Path(out_path)
        write_video(clip, path)
        clip.truth.write(truth_path(path))
    return clip.truth
