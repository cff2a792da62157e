"""The MakeHuman base mesh: rest vertices, triangles and named vertex groups.

Everything is converted once to the world frame used throughout ``formcheck.synth``:
metres, Z up, the rest body facing -Y with its left side on +X (Blender's frame, the
rig's frame). The OBJ is in decimetres, Y up, facing +Z, so X = x/10, Y = -z/10, Z = y/10.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

ASSETS = "formcheck.synth.assets"

# Helper geometry kept in the render: the eyeballs give the detector a face to find.
# The long-hair helper is left out on purpose (it falls over the face), as are
# the tights/skirt proxies (clothes are painted on the skin from the weights instead).
KEPT_HELPERS = ("helper-l-eye", "helper-r-eye")


@dataclass(frozen=True)
class BaseMesh:
    """Rest geometry. ``vertices`` covers every OBJ vertex (helpers and joint cubes too)."""

    vertices: np.ndarray  # (V, 3) float64, metres, world frame
    triangles: np.ndarray  # (T, 3) int32, body and kept helpers only
    groups: dict[str, np.ndarray]  # group name -> vertex indices
    body_count: int  # vertices [0, body_count) are the skin

    def group_centre(self, name: str) -> np.ndarray:
        return self.vertices[self.groups[name]].mean(axis=0)


def _asset_text(name: str) -> str:
    return resources.files(ASSETS).joinpath(name).read_text(encoding="utf-8")


def obj_to_world(points: np.ndarray) -> np.ndarray:
    """OBJ (decimetres, Y up, facing +Z) -> world (metres, Z up, facing -Y)."""
    p = np.asarray(points, dtype=float)
    return np.stack([p[..., 0] / 10.0, -p[..., 2] / 10.0, p[..., 1] / 10.0], axis=-1)


def _ranges_to_indices(ranges: list[list[int]]) -> np.ndarray:
    return np.concatenate([np.arange(a, b + 1) for a, b in ranges]).astype(np.int32)


@lru_cache(maxsize=1)
def load_base_mesh() -> BaseMesh:
    verts: list[list[float]] = []
    faces: list[list[int]] = []
    for line in _asset_text("base.obj").splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("f "):
            faces.append([int(tok.split("/")[0]) - 1 for tok in line.split()[1:]])
    vertices = obj_to_world(np.array(verts))
    groups_raw = json.loads(_asset_text("basemesh_vertex_groups.json"))
    groups = {k: _ranges_to_indices(v) for k, v in groups_raw.items()}
    body_count = int(groups["body"].max()) + 1
    keep = np.zeros(len(vertices), dtype=bool)
    keep[:body_count] = True
    for name in KEPT_HELPERS:
        keep[groups[name]] = True
    tris: list[list[int]] = []
    for f in faces:
        if all(keep[i] for i in f):
            # Fan-triangulate quads; the OBJ winding is counter-clockwise seen from outside.
            tris.extend([f[0], f[i], f[i + 1]] for i in range(1, len(f) - 1))
    return BaseMesh(vertices, np.array(tris, dtype=np.int32), groups, body_count)


@lru_cache(maxsize=1)
def load_targets() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Shape targets: name -> (vertex indices, world-frame offsets in metres)."""
    raw = json.loads(_asset_text("targets.json"))["targets"]
    return {
        k: (np.array(v["vertices"], dtype=np.int32), obj_to_world(np.array(v["offsets"])))
        for k, v in raw.items()
    }


def shaped_vertices(mesh: BaseMesh, shape: dict[str, float]) -> np.ndarray:
    """Rest vertices with MakeHuman targets applied (weights in [0, 1] typically)."""
    out = mesh.vertices.copy()
    targets = load_targets()
    for name, w in sorted(shape.items()):
        if name in targets and w:
            idx, off = targets[name]
            out[idx] += w * off
    return out
