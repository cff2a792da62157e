"""Draw a posed avatar over the cached room: cull, rasterise, Lambert-shade, composite."""

from __future__ import annotations

import numpy as np

from formcheck.synth.avatar import Avatar
from formcheck.synth.camera import Camera
from formcheck.synth.raster import rasterize
from formcheck.synth.scene import LIGHT

AMBIENT = 0.38
FILL = np.array([-0.5, -0.3, 0.4]) / np.linalg.norm([-0.5, -0.3, 0.4])


def draw_avatar(
    avatar: Avatar,
    vertices: np.ndarray,
    camera: Camera,
    background: np.ndarray,
    background_depth: np.ndarray,
) -> np.ndarray:
    """Return an (H, W, 3) float RGB image of ``vertices`` (posed, world) over the room."""
    tris = avatar.triangles
    v = vertices.astype(np.float64)
    e1 = v[tris[:, 1]] - v[tris[:, 0]]
    e2 = v[tris[:, 2]] - v[tris[:, 0]]
    fn = np.cross(e1, e2)  # outward for the OBJ's counter-clockwise winding
    vn = avatar.incidence @ fn
    vn /= np.maximum(np.linalg.norm(vn, axis=1, keepdims=True), 1e-12)

    # Back-face culling in 3D, before projection, so it does not depend on winding in 2D.
    to_cam = camera.position - v[tris[:, 0]]
    front = np.einsum("ij,ij->i", fn, to_cam) > 0
    xy, depth = camera.project(v)
    front &= (depth[tris] > 0.05).all(axis=1)
    vis = tris[front]
    frags = rasterize(xy, depth, vis, camera.width, camera.height)

    key = np.clip(vn @ LIGHT, 0, None)
    fill = np.clip(vn @ FILL, 0, None)
    # Rim from the camera side keeps silhouettes readable against a dark mat.
    view = camera.position - v
    view /= np.linalg.norm(view, axis=1, keepdims=True)
    facing = np.clip(np.einsum("ij,ij->i", vn, view), 0, 1)
    light = AMBIENT + 0.55 * key + 0.18 * fill + 0.12 * facing
    shaded = avatar.albedo * light[:, None]

    img = background.reshape(-1, 3).copy()
    bg_depth = background_depth.ravel()
    ok = frags.depth < bg_depth[frags.pixel] + 0.01
    tri_v = vis[frags.triangle[ok]]
    colour = np.einsum("ki,kij->kj", frags.bary[ok], shaded[tri_v])
    img[frags.pixel[ok]] = colour
    return np.clip(img.reshape(background.shape), 0, 1)
