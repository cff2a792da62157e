"""The 33 MediaPipe pose landmarks and the skeleton, as data.

Everything else in formcheck names landmarks through :class:`Landmark`, never by
raw index, so the analysis reads like anatomy.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class Side(str, Enum):
    """A body side. ``value`` is the prefix MediaPipe uses in landmark names."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class Landmark(IntEnum):
    """MediaPipe BlazePose landmark indices (33 points)."""

    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32

    @classmethod
    def from_name(cls, name: str) -> Landmark:
        """Look a landmark up by its lower-case name (``"left_hip"``); unknown names raise."""
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown landmark {name!r}") from None

    @classmethod
    def sided(cls, part: str, side: Side) -> Landmark:
        """``Landmark.sided("hip", Side.LEFT)`` -> ``Landmark.LEFT_HIP``."""
        return cls.from_name(f"{side.value}_{part}")


NUM_LANDMARKS = len(Landmark)

# Parts that exist on both sides; a "near"/"far" side choice maps over these.
SIDED_PARTS: tuple[str, ...] = (
    "eye_inner", "eye", "eye_outer", "ear", "shoulder", "elbow", "wrist", "pinky",
    "index", "thumb", "hip", "knee", "ankle", "heel", "foot_index",
)  # fmt: skip


FACE: tuple[Landmark, ...] = tuple(Landmark(i) for i in range(11))

# Skeleton edges drawn by the annotators (body only; the face is drawn as points).
SKELETON: tuple[tuple[Landmark, Landmark], ...] = (
    (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_ELBOW),
    (Landmark.LEFT_ELBOW, Landmark.LEFT_WRIST),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_ELBOW),
    (Landmark.RIGHT_ELBOW, Landmark.RIGHT_WRIST),
    (Landmark.LEFT_SHOULDER, Landmark.LEFT_HIP),
    (Landmark.RIGHT_SHOULDER, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.RIGHT_HIP),
    (Landmark.LEFT_HIP, Landmark.LEFT_KNEE),
    (Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE),
    (Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE),
    (Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_HEEL),
    (Landmark.LEFT_HEEL, Landmark.LEFT_FOOT_INDEX),
    (Landmark.LEFT_ANKLE, Landmark.LEFT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_HEEL),
    (Landmark.RIGHT_HEEL, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.RIGHT_ANKLE, Landmark.RIGHT_FOOT_INDEX),
    (Landmark.LEFT_WRIST, Landmark.LEFT_INDEX),
    (Landmark.RIGHT_WRIST, Landmark.RIGHT_INDEX),
)
