"""Forward kinematics and linear blend skinning.

Poses are anatomical rotations expressed in the *neutral* frame (standing, arms hanging
straight down, elbows straight, facing -Y, Z up, left on +X), so flexion is always about
X, abduction about Y and axial rotation about Z of the parent segment's frame. The rest
mesh is not neutral (MakeHuman's A-pose has bent elbows), so each bone carries a fixed
``neutral`` rotation that straightens its own segment; it is not passed to children.

A bone's skinning transform is ``v -> P_b + R_b (v - h_b)`` with ``R_b = A_b C_b``:
``A_b`` the accumulated anatomical rotation, ``C_b`` the bone's neutralising rotation,
``h_b`` its rest head and ``P_b`` the posed head (the parent's transform of ``h_b``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.rig import Rig


def rot_x(deg: float) -> np.ndarray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def rot_y(deg: float) -> np.ndarray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def rot_z(deg: float) -> np.ndarray:
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``a`` to direction ``b`` (Rodrigues)."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(np.dot(a, b))
    if np.linalg.norm(v) < 1e-12:
        return np.eye(3)
    k = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + k + k @ k / (1.0 + c)


@dataclass(frozen=True)
class Posed:
    """Bone transforms of one pose: ``v -> heads[b] + rotations[b] @ (v - rest_heads[b])``."""

    rotations: np.ndarray  # (B, 3, 3)
    heads: np.ndarray  # (B, 3) posed heads, world
    rest_heads: np.ndarray  # (B, 3)

    def transform_points(self, bone: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Rigidly carry rest ``points`` (n, 3) with bones ``bone`` (n,)."""
        local = points - self.rest_heads[bone]
        return self.heads[bone] + np.einsum("nij,nj->ni", self.rotations[bone], local)


def neutral_rotations(rig: Rig) -> np.ndarray:
    """Per-bone rotations that turn the A-pose arms into arms hanging straight down."""
    out = np.repeat(np.eye(3)[None], len(rig.names), axis=0)
    down = np.array([0.0, 0.0, -1.0])
    for s in ("l", "r"):
        # Straight down, so forearm pronation (about Z) turns the forearm about its own
        # axis; postures abduct the arms away from the body as they need.
        arm_dir = down
        for bone, target in (("upperarm", arm_dir), ("lowerarm", arm_dir)):
            b = rig.index(f"{bone}_{s}")
            out[b] = rotation_between(rig.tails[b] - rig.heads[b], target)
        hand = rig.index(f"hand_{s}")
        middle = rig.index(f"middle_01_{s}")
        c_hand = rotation_between(rig.heads[middle] - rig.heads[hand], down)
        for b, name in enumerate(rig.names):
            if name == f"hand_{s}" or (name.endswith(f"_{s}") and name.split("_")[0] in _FINGERS):
                out[b] = c_hand
    return out


_FINGERS = ("thumb", "index", "middle", "ring", "pinky")


def forward(
    rig: Rig,
    neutral: np.ndarray,
    local: dict[str, np.ndarray],
    root_rotation: np.ndarray,
    root_translation: np.ndarray,
) -> Posed:
    """Pose the skeleton. ``local`` maps bone name -> anatomical rotation (neutral frame)."""
    n = len(rig.names)
    acc = np.empty((n, 3, 3))
    rot = np.empty((n, 3, 3))
    heads = np.empty((n, 3))
    eye = np.eye(3)
    for b, name in enumerate(rig.names):
        p = rig.parents[b]
        r_local = local.get(name, eye)
        if p < 0:
            acc[b] = root_rotation @ r_local
            heads[b] = root_rotation @ rig.heads[b] + root_translation
        else:
            acc[b] = acc[p] @ r_local
            heads[b] = heads[p] + rot[p] @ (rig.heads[b] - rig.heads[p])
        rot[b] = acc[b] @ neutral[b]
    return Posed(rot, heads, rig.heads)


def skin(
    weights: np.ndarray, posed: Posed, rest_vertices: np.ndarray, dtype: type = np.float32
) -> np.ndarray:
    """Linear blend skinning of ``rest_vertices`` (V, 3) with ``weights`` (V, B).

    float32 is plenty for drawing; the contact solver asks for float64 so its
    finite-difference gradients are not lost in rounding.
    """
    # Per-bone affine [R | P - R h] flattened to 12 numbers, blended by the weights.
    trans = posed.heads - np.einsum("bij,bj->bi", posed.rotations, posed.rest_heads)
    mats = np.concatenate([posed.rotations.reshape(-1, 9), trans], axis=1).astype(dtype)
    blend = weights.astype(dtype) @ mats  # (V, 12)
    r = blend[:, :9].reshape(-1, 3, 3)
    v = rest_vertices.astype(dtype)
    return np.einsum("vij,vj->vi", r, v) + blend[:, 9:]
