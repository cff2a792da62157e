"""One dressed, shaped avatar ready to pose: mesh, fitted rig, colours, normals helper."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from formcheck.synth.appearance import Outfit, vertex_albedo
from formcheck.synth.kinematics import Posed, forward, neutral_rotations, skin
from formcheck.synth.mesh import BaseMesh, load_base_mesh, shaped_vertices
from formcheck.synth.rig import Rig, build_rig


@dataclass(frozen=True)
class Avatar:
    mesh: BaseMesh
    rig: Rig
    neutral: np.ndarray  # (B, 3, 3)
    rest: np.ndarray  # (V, 3) shaped rest vertices (only rendered ones are skinned)
    used: np.ndarray  # (U,) vertex indices referenced by the rendered triangles
    triangles: np.ndarray  # (T, 3) indices into ``used``
    albedo: np.ndarray  # (U, 3)
    incidence: sparse.csr_matrix  # (U, T) vertex-triangle incidence for vertex normals

    def pose(self, local: dict[str, np.ndarray], root_r: np.ndarray, root_t: np.ndarray) -> Posed:
        return forward(self.rig, self.neutral, local, root_r, root_t)

    def skin(self, posed: Posed) -> np.ndarray:
        """(U, 3) posed positions of the rendered vertices."""
        return skin(self.rig.weights[self.used], posed, self.rest[self.used])


def build_avatar(shape: dict[str, float], outfit: Outfit, height_scale: float = 1.0) -> Avatar:
    """Apply shape targets and an overall scale, fit the rig and paint the clothes."""
    mesh = load_base_mesh()
    rest = shaped_vertices(mesh, shape) * height_scale
    scaled = BaseMesh(rest, mesh.triangles, mesh.groups, mesh.body_count)
    rig = build_rig(scaled, rest)
    used, inverse = np.unique(mesh.triangles, return_inverse=True)
    tris = inverse.reshape(-1, 3).astype(np.int64)
    albedo = vertex_albedo(scaled, rig, outfit)[used]
    t = len(tris)
    inc = sparse.csr_matrix(
        (np.ones(3 * t), (tris.ravel(), np.repeat(np.arange(t), 3))), shape=(len(used), t)
    )
    return Avatar(scaled, rig, neutral_rotations(rig), rest, used, tris, albedo, inc)
