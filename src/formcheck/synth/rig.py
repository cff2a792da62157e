"""The game-engine skeleton of the MakeHuman rig, fitted to a (possibly reshaped) mesh.

Bone heads and tails follow each bone's placement strategy: CUBE (mean of a joint-*
helper cube), MEAN (mean of listed vertices) or a fixed default. Joints come from the
helper cubes rather than ``default_position`` because the defaults can sit 5 cm off
the mesh, which would put the ground-truth joints outside the body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from formcheck.synth.mesh import ASSETS, BaseMesh


@dataclass(frozen=True)
class Rig:
    names: tuple[str, ...]  # parents always come before their children
    parents: np.ndarray  # (B,) int, -1 for the root
    heads: np.ndarray  # (B, 3) rest heads, metres, world frame
    tails: np.ndarray  # (B, 3)
    weights: np.ndarray  # (V, B) float32, rows sum to 1 (0 for unweighted vertices)

    def index(self, name: str) -> int:
        return self.names.index(name)


@lru_cache(maxsize=1)
def _rig_json() -> dict:
    text = resources.files(ASSETS).joinpath("rig.game_engine.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _weights_json() -> dict:
    path = resources.files(ASSETS).joinpath("weights.game_engine.json")
    return json.loads(path.read_text(encoding="utf-8"))["weights"]


def _blender_to_world(p: list[float]) -> np.ndarray:
    # The rig JSON is already in Blender space (metres, Z up, facing -Y) = our world frame.
    return np.asarray(p, dtype=float)


def _end_position(spec: dict, mesh: BaseMesh, vertices: np.ndarray) -> np.ndarray:
    strategy = spec.get("strategy")
    if strategy == "CUBE" and spec.get("cube_name") in mesh.groups:
        return vertices[mesh.groups[spec["cube_name"]]].mean(axis=0)
    if strategy == "MEAN" and spec.get("vertex_indices"):
        return vertices[np.asarray(spec["vertex_indices"])].mean(axis=0)
    return _blender_to_world(spec["default_position"])


def _topological(raw: dict) -> list[str]:
    order: list[str] = []
    placed: set[str] = set()
    pending = sorted(raw)
    while pending:
        for name in list(pending):
            parent = raw[name]["parent"]
            if not parent or parent in placed:
                order.append(name)
                placed.add(name)
                pending.remove(name)
    return order


def build_rig(mesh: BaseMesh, vertices: np.ndarray) -> Rig:
    """Fit the skeleton to ``vertices`` (the rest mesh after any shape targets)."""
    raw = _rig_json()
    names = _topological(raw)
    parents = np.array([names.index(raw[n]["parent"]) if raw[n]["parent"] else -1 for n in names])
    heads = np.array([_end_position(raw[n]["head"], mesh, vertices) for n in names])
    tails = np.array([_end_position(raw[n]["tail"], mesh, vertices) for n in names])
    weights = np.zeros((len(vertices), len(names)), dtype=np.float32)
    for b, name in enumerate(names):
        pairs = np.asarray(_weights_json().get(name, []), dtype=float).reshape(-1, 2)
        weights[pairs[:, 0].astype(int), b] = pairs[:, 1]
    total = weights.sum(axis=1, keepdims=True)
    np.divide(weights, total, out=weights, where=total > 0)
    return Rig(tuple(names), parents, heads, tails, weights)
