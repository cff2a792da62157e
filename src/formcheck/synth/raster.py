"""A small vectorised z-buffer triangle rasteriser in numpy.

Triangles of a 640x480 avatar cover a handful of pixels each, so instead of looping
over triangles we enumerate every (triangle, pixel-in-bounding-box) pair at once, keep
the pairs inside the triangle and resolve visibility with one sort on (pixel, depth).
Pixel centres sit at integer coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Fragments:
    """The visible surface: for each covered pixel its triangle and barycentrics."""

    pixel: np.ndarray  # (k,) flat pixel index y * width + x
    triangle: np.ndarray  # (k,) triangle index
    bary: np.ndarray  # (k, 3) barycentric weights of the triangle's vertices
    depth: np.ndarray  # (k,) camera depth in metres


def rasterize(
    xy: np.ndarray, depth: np.ndarray, triangles: np.ndarray, width: int, height: int
) -> Fragments:
    """Rasterise ``triangles`` (T, 3) over projected vertices ``xy`` (V, 2) and ``depth`` (V,).

    Pass only front-facing triangles in front of the camera; no clipping is done
    beyond the image bounds.
    """
    p = xy[triangles].astype(np.float64)  # (T, 3, 2)
    x0 = np.clip(np.ceil(p[..., 0].min(axis=1)), 0, width - 1).astype(np.int64)
    x1 = np.clip(np.floor(p[..., 0].max(axis=1)), 0, width - 1).astype(np.int64)
    y0 = np.clip(np.ceil(p[..., 1].min(axis=1)), 0, height - 1).astype(np.int64)
    y1 = np.clip(np.floor(p[..., 1].max(axis=1)), 0, height - 1).astype(np.int64)
    w = np.maximum(x1 - x0 + 1, 0)
    h = np.maximum(y1 - y0 + 1, 0)
    off_img = (p[..., 0].max(axis=1) < 0) | (p[..., 0].min(axis=1) > width - 1)
    off_img |= (p[..., 1].max(axis=1) < 0) | (p[..., 1].min(axis=1) > height - 1)
    count = np.where(off_img, 0, w * h)
    keep = np.nonzero(count)[0]
    count = count[keep]
    total = int(count.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Fragments(empty, empty, np.zeros((0, 3)), np.zeros(0))
    tri = np.repeat(keep, count)
    start = np.repeat(np.cumsum(count) - count, count)
    local = np.arange(total, dtype=np.int64) - start
    wt = w[tri]
    px = x0[tri] + local % wt
    py = y0[tri] + local // wt

    a, b, c = p[tri, 0], p[tri, 1], p[tri, 2]
    # Edge functions; divide by the signed area so either winding works.
    area = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])
    ok = np.abs(area) > 1e-12
    area = np.where(ok, area, 1.0)
    w0 = ((b[:, 0] - px) * (c[:, 1] - py) - (b[:, 1] - py) * (c[:, 0] - px)) / area
    w1 = ((c[:, 0] - px) * (a[:, 1] - py) - (c[:, 1] - py) * (a[:, 0] - px)) / area
    w2 = 1.0 - w0 - w1
    eps = -1e-7
    inside = ok & (w0 >= eps) & (w1 >= eps) & (w2 >= eps)
    tri, px, py = tri[inside], px[inside], py[inside]
    bary = np.stack([w0[inside], w1[inside], w2[inside]], axis=1)
    z = np.einsum("ki,ki->k", bary, depth[triangles[tri]])
    pix = py * width + px
    # One sort on (pixel, quantised depth) puts the nearest fragment first per pixel.
    zq = np.clip(z * 1e5, 0, 2**31 - 1).astype(np.int64)
    order = np.argsort(pix * 2**31 + zq, kind="stable")
    spix = pix[order]
    first = np.ones(len(spix), dtype=bool)
    first[1:] = spix[1:] != spix[:-1]
    sel = order[first]
    return Fragments(pix[sel], tri[sel], bary[sel], z[sel])
