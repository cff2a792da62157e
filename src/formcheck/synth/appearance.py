"""Per-vertex colours: skin, clothes painted from the skin weights, hair and a face.

Clothes are regions of the skin, not separate meshes: a vertex belongs to the shirt or
the shorts according to which bones move it, so the garments deform exactly with the
body. The face gets eyes, brows and lips because the pose detector first looks for a
face-like head.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.mesh import BaseMesh
from formcheck.synth.rig import Rig

SKIN_TONES = ((224, 187, 160), (198, 150, 118), (160, 112, 80), (110, 74, 52), (236, 200, 176))
GARMENT_COLOURS = (
    (40, 60, 140), (150, 30, 40), (30, 110, 70), (60, 60, 60), (210, 210, 215),
    (120, 60, 140), (200, 200, 70), (20, 20, 30), (70, 130, 180),
)  # fmt: skip
HAIR_COLOURS = ((35, 25, 20), (80, 50, 30), (140, 100, 60), (20, 20, 20))


@dataclass(frozen=True)
class Outfit:
    """RGB colours (0-255) and cut of the clothes."""

    skin: tuple[int, int, int]
    shirt: tuple[int, int, int]
    pants: tuple[int, int, int]
    hair: tuple[int, int, int]
    long_pants: bool = False
    long_sleeves: bool = False

    @classmethod
    def random(cls, rng: np.random.Generator) -> Outfit:
        shirt, pants = rng.choice(len(GARMENT_COLOURS), size=2, replace=False)
        return cls(
            skin=SKIN_TONES[int(rng.integers(len(SKIN_TONES)))],
            shirt=GARMENT_COLOURS[int(shirt)],
            pants=GARMENT_COLOURS[int(pants)],
            hair=HAIR_COLOURS[int(rng.integers(len(HAIR_COLOURS)))],
            long_pants=bool(rng.random() < 0.5),
            long_sleeves=bool(rng.random() < 0.3),
        )


def _bone_param(rig: Rig, bone: str, points: np.ndarray) -> np.ndarray:
    """Position of ``points`` along a bone: 0 at its head, 1 at its tail."""
    b = rig.index(bone)
    d = rig.tails[b] - rig.heads[b]
    return (points - rig.heads[b]) @ d / float(d @ d)


def _weight(rig: Rig, prefixes: tuple[str, ...]) -> np.ndarray:
    cols = [i for i, n in enumerate(rig.names) if n.startswith(prefixes)]
    return rig.weights[:, cols].sum(axis=1)


def vertex_albedo(mesh: BaseMesh, rig: Rig, outfit: Outfit) -> np.ndarray:
    """(V, 3) float albedo in [0, 1] for every mesh vertex."""
    v = mesh.vertices
    n = len(v)
    col = np.tile(np.array(outfit.skin, dtype=float), (n, 1))

    trunk = _weight(rig, ("spine", "clavicle", "pelvis"))
    waist_z = rig.heads[rig.index("spine_01")][2] - 0.02
    shirt = (trunk > 0.3) & (v[:, 2] > waist_z)
    pants = (_weight(rig, ("pelvis", "thigh")) > 0.3) & (v[:, 2] <= waist_z + 0.01)
    for s in ("l", "r"):
        upper = rig.weights[:, rig.index(f"upperarm_{s}")]
        t_arm = _bone_param(rig, f"upperarm_{s}", v)
        sleeve_end = 1.6 if outfit.long_sleeves else 0.45
        shirt |= (upper > 0.3) & (t_arm < sleeve_end)
        if outfit.long_sleeves:
            lower = rig.weights[:, rig.index(f"lowerarm_{s}")]
            shirt |= (lower > 0.3) & (_bone_param(rig, f"lowerarm_{s}", v) < 0.85)
        thigh = rig.weights[:, rig.index(f"thigh_{s}")]
        pants |= (thigh > 0.3) & (_bone_param(rig, f"thigh_{s}", v) < 0.6)
        if outfit.long_pants:
            calf = rig.weights[:, rig.index(f"calf_{s}")]
            pants |= (thigh > 0.3) | ((calf > 0.3) & (_bone_param(rig, f"calf_{s}", v) < 0.9))
    neck_top = rig.heads[rig.index("neck_01")][2] + 0.02
    shirt &= v[:, 2] < neck_top
    col[pants] = outfit.pants
    col[shirt & ~pants] = outfit.shirt

    _paint_head(mesh, rig, outfit, v, col)
    col[mesh.body_count :] = (235, 235, 235)
    for name in ("helper-l-eye", "helper-r-eye"):
        idx = mesh.groups[name]
        ev = v[idx]
        front = ev[:, 1] < ev[:, 1].min() + 0.35 * (ev[:, 1].max() - ev[:, 1].min())
        col[idx[front]] = (45, 30, 25)
    return col / 255.0


def _paint_head(mesh: BaseMesh, rig: Rig, outfit: Outfit, v: np.ndarray, col: np.ndarray) -> None:
    head = rig.weights[:, rig.index("head")] > 0.5
    body = np.arange(len(v)) < mesh.body_count
    eye_l, eye_r = mesh.group_centre("joint-l-eye"), mesh.group_centre("joint-r-eye")
    eye_z = (eye_l[2] + eye_r[2]) / 2
    eye_y = (eye_l[1] + eye_r[1]) / 2
    top = v[head, 2].max()
    # Short hair: a cap over the crown, down the back of the head to the nape.
    hair = (
        head
        & body
        & (
            (v[:, 2] > eye_z + 0.045 + 0.02 * np.clip((eye_y + 0.04 - v[:, 1]) / 0.05, 0, 1))
            | ((v[:, 1] > eye_y + 0.075) & (v[:, 2] > eye_z - 0.09))
        )
    )
    hair &= v[:, 2] <= top + 1e-6
    col[hair] = outfit.hair
    # Brows: a dark band just above each eye, on the front of the face.
    for eye in (eye_l, eye_r):
        d = v - eye
        brow = (
            body
            & head
            & (np.abs(d[:, 0]) < 0.028)
            & (d[:, 2] > 0.014)
            & (d[:, 2] < 0.024)
            & (d[:, 1] < 0.0)
        )
        col[brow] = np.array(outfit.hair) * 0.8
    # The joint-mouth cube is the jaw pivot, not the lips: place the mouth below the nose.
    mouth = mouth_centre(v, head & body, eye_z)
    d = v - mouth
    lips = body & head & (np.abs(d[:, 0]) < 0.024) & (np.abs(d[:, 2]) < 0.007) & (d[:, 1] < 0.012)
    col[lips] = (165, 75, 75)


def mouth_centre(v: np.ndarray, head: np.ndarray, eye_z: float) -> np.ndarray:
    """Front of the closed mouth: 3.7 cm below the nose tip, on the face surface."""
    idx = np.nonzero(head & (np.abs(v[:, 0]) < 0.01))[0]
    below_eyes = idx[(v[idx, 2] < eye_z) & (v[idx, 2] > eye_z - 0.05)]
    nose = v[below_eyes[np.argmin(v[below_eyes, 1])]]
    z = nose[2] - 0.037
    band = idx[np.abs(v[idx, 2] - z) < 0.006]
    return np.array([0.0, v[band, 1].min(), z])
