"""Can this frame be judged? Camera view, framing and starting posture.

Each check returns a plain-language reason the patient can act on
("Move back: feet not visible"), because a tool that says what it could not
judge is more useful than one that guesses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcheck.analysis.state import FrameStatus
from formcheck.exercises.schema import Position, ViewSpec
from formcheck.landmarks import Side
from formcheck.signals.geometry import distance, joint_angle
from formcheck.signals.measure import point, torso_length

_PART_WORDS = {
    "ankle": "feet", "heel": "feet", "foot_index": "feet", "knee": "knees", "hip": "hips",
    "shoulder": "shoulders", "elbow": "arms", "wrist": "hands", "index": "hands",
    "pinky": "hands", "thumb": "hands", "ear": "head", "eye": "head", "nose": "head",
    "eye_inner": "head", "eye_outer": "head",
}  # fmt: skip

POSITION_WORDS: dict[str, str] = {
    "supine": "lying on the back, knees bent",
    "tabletop": "on hands and knees",
    "kneeling": "kneeling, sitting back towards the heels",
}
_POSITION_CUES: dict[str, str] = {
    "supine": "Lie on your back with your knees bent to start",
    "tabletop": "Get on your hands and knees to start",
    "kneeling": "Kneel and sit back towards your heels to start",
}


# A camera high above the mat widens the body as much as turning does (a lying body filmed
# from 45 deg above reads ~0.46), so the cue names both remedies.
WRONG_VIEW_CUE = "Turn side-on to the camera and set it low, level with you"

# No exercise here is done with the trunk upright: lying, on all fours and folded forward it
# stays within ~40 deg of level in a side view (a high bridge ~35), so a trunk past this is
# the patient sitting, kneeling or standing up, out of the exercise (getting up at the end);
# posture recognition calls such a frame upright.
UPRIGHT_DEG = 60.0


@dataclass(frozen=True)
class FrameCheck:
    status: FrameStatus
    message: str = ""
    side_ratio: float = math.nan
    in_position: bool = False
    upright: bool = False  # sitting, kneeling or standing up: out of the exercise


def side_ratio(xy: np.ndarray, vis: np.ndarray, near: Side) -> float:
    """Shoulder and hip width in the picture over torso length.

    Near 0 when the camera looks at the side of the body; around 0.6-1 when it
    looks at the front, back or top.
    """
    torso = torso_length(xy, vis, near, min_vis=0.0)
    if not torso > 0:
        return math.nan
    widths = [
        float(distance(xy[point(p, Side.LEFT)], xy[point(p, Side.RIGHT)]))
        for p in ("shoulder", "hip")
    ]
    return float(np.mean(widths)) / torso


def plane_facing(world: np.ndarray | None) -> float:
    """How squarely the body's own (sagittal) plane faces the camera, from the 3D pose: 1
    side-on, 0 seen edge-on (from the front, the head or the feet). The model's world
    landmarks keep the camera's axes, so this is the hip axis's share along the line of
    sight; a movement in that plane shows in the picture shrunk by down to this factor."""
    if world is None:
        return math.nan
    axis = world[point("hip", Side.LEFT)] - world[point("hip", Side.RIGHT)]
    n = float(np.linalg.norm(axis))
    return abs(float(axis[2])) / n if n > 0 else math.nan


def torso_inclination(xy: np.ndarray, near: Side) -> float:
    """The near side's hip -> shoulder line above the picture's horizontal, in degrees."""
    d = xy[point("shoulder", near)] - xy[point("hip", near)]
    return math.degrees(math.atan2(-float(d[1]), abs(float(d[0]))))


def in_position(position: Position, xy: np.ndarray, near: Side) -> bool:
    """Is the body roughly in the exercise's starting family of postures?

    Deliberately loose: it only has to tell lying from standing from being on
    all fours, so that getting into position never counts as a rep.
    """
    incl = torso_inclination(xy, near)
    hip, knee = xy[point("hip", near)], xy[point("knee", near)]
    ankle = xy[point("ankle", near)]
    knee_angle = float(joint_angle(hip, knee, ankle))
    if position == "supine":
        # Shoulders on the floor: the trunk is near level (a bridge tilts it up to ~35°),
        # and the knees are bent: lying flat with straight legs is not the starting
        # position (its straight hip would look like a bridge's top). Bent knees stand up
        # above the hips in the picture, except from a camera high above the mat, which
        # flattens them to ~0.08 torso lengths while the knee still reads ~108 deg.
        torso = torso_length(xy, np.ones(len(xy)), near, min_vis=0.0)
        knees_up = float(knee[1]) < float(hip[1]) - 0.1 * torso
        return abs(incl) < 50 and (knees_up or knee_angle < 140)
    if position == "tabletop":
        return abs(incl) < 40 and float(knee[1]) > float(hip[1]) and knee_angle < 140
    if position == "kneeling":
        return knee_angle < 110 and incl < 60
    raise AssertionError(position)


def check_frame(
    xy: np.ndarray | None,
    vis: np.ndarray | None,
    near: Side,
    image_size: tuple[int, int],
    view: ViewSpec,
    position: Position,
    min_visibility: float = 0.5,
) -> FrameCheck:
    """Judge whether a frame can be analysed, and say why not."""
    if xy is None or vis is None:
        return FrameCheck(FrameStatus.NO_PERSON, "No person in view")
    w, h = image_size
    mx, my = view.in_frame_margin * w, view.in_frame_margin * h
    missing: list[str] = []
    for part in view.need_in_frame:
        i = point(part, near)
        x, y = float(xy[i][0]), float(xy[i][1])
        inside = mx <= x <= w - mx and my <= y <= h - my
        if not inside or vis[i] < min_visibility:
            word = _PART_WORDS.get(part, part)
            if word not in missing:
                missing.append(word)
    ratio = side_ratio(xy, vis, near)
    if missing:
        verb = "is" if missing == ["head"] else "are"
        return FrameCheck(
            FrameStatus.OUT_OF_FRAME, f"Move so your {' and '.join(missing)} {verb} in view", ratio
        )
    if view.required == "side" and ratio > view.max_side_ratio:
        return FrameCheck(
            FrameStatus.WRONG_VIEW,
            WRONG_VIEW_CUE,
            ratio,
            in_position=in_position(position, xy, near),
        )
    if not in_position(position, xy, near):
        # Read side-on only: seen from the feet or the head, a lying trunk looks upright.
        upright = torso_inclination(xy, near) > UPRIGHT_DEG
        return FrameCheck(
            FrameStatus.OK, _POSITION_CUES[position], ratio, in_position=False, upright=upright
        )
    return FrameCheck(FrameStatus.OK, "", ratio, in_position=True)
