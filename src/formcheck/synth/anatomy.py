"""Anatomical joint angles (degrees) -> per-bone rotations in the neutral frame.

Sign conventions (all in the segment's parent frame, neutral = standing, arms down,
palms facing the thighs): flexion positive, extension negative; abduction moves a limb
away from the midline; ``forearm_pron`` turns the palm backwards; ``wrist_ext`` bends the
back of the hand towards the forearm; ``pelvis_tilt`` positive is a posterior tilt
(top of the pelvis backwards); ``*_rot`` of the spine turns the upper body to its left.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from formcheck.synth.kinematics import rot_x, rot_y, rot_z

SIDES = ("l", "r")
# Share of lumbar / thoracic motion taken by each spine bone.
_SPINE = {"spine_01": (0.6, 0.0), "spine_02": (0.4, 0.3), "spine_03": (0.0, 0.7)}


def bone_rotations(angles: Mapping[str, float]) -> dict[str, np.ndarray]:
    """Map named anatomical angles to local bone rotations (missing angles are 0)."""

    def a(name: str) -> float:
        return float(angles.get(name, 0.0))

    out: dict[str, np.ndarray] = {"pelvis": rot_x(-a("pelvis_tilt"))}
    for bone, (lw, tw) in _SPINE.items():
        flex = lw * a("lumbar_flex") + tw * a("thoracic_flex")
        axial = lw * a("lumbar_rot") + tw * a("thoracic_rot")
        out[bone] = rot_x(flex) @ rot_z(axial)
    out["neck_01"] = rot_x(a("neck_flex"))
    out["head"] = rot_x(a("head_flex"))
    for s in SIDES:
        lat = 1.0 if s == "l" else -1.0  # abduction towards +X on the left
        out[f"thigh_{s}"] = (
            rot_x(-a(f"hip_flex_{s}"))
            @ rot_y(-lat * a(f"hip_abd_{s}"))
            @ rot_z(lat * a(f"hip_rot_{s}"))
        )
        out[f"calf_{s}"] = rot_x(a(f"knee_flex_{s}"))
        out[f"foot_{s}"] = rot_x(-a(f"ankle_dorsi_{s}"))
        out[f"upperarm_{s}"] = rot_x(-a(f"shoulder_flex_{s}")) @ rot_y(
            -lat * a(f"shoulder_abd_{s}")
        )
        out[f"lowerarm_{s}"] = rot_x(-a(f"elbow_flex_{s}")) @ rot_z(-lat * a(f"forearm_pron_{s}"))
        out[f"hand_{s}"] = rot_y(-lat * a(f"wrist_ext_{s}"))
    return out


def posture(pitch: float, roll: float, base: str) -> np.ndarray:
    """Whole-body orientation: ``base`` "supine" (head +Y, face up) or "prone" (head -Y,
    face down), then ``roll`` about the long (world Y) axis and ``pitch`` about world X."""
    base_r = rot_x(-90.0) if base == "supine" else rot_x(90.0)
    return rot_x(pitch) @ rot_y(roll) @ base_r
