"""A pinhole camera placed by azimuth, elevation and distance around a target point.

Azimuth 0 looks at the body side-on from its left (+X); ``side="right"`` mirrors the
camera to -X. Positive azimuth swings the camera towards +Y.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Camera:
    position: np.ndarray  # (3,) world
    rotation: np.ndarray  # (3, 3) rows: right, down, forward (world -> camera)
    focal_px: float
    width: int
    height: int

    @classmethod
    def look_at(
        cls,
        target: np.ndarray,
        azimuth_deg: float,
        elevation_deg: float,
        distance_m: float,
        side: str = "left",
        width: int = 640,
        height: int = 480,
        hfov_deg: float = 60.0,
    ) -> Camera:
        az, el = np.radians(azimuth_deg), np.radians(elevation_deg)
        sx = 1.0 if side == "left" else -1.0
        offset = np.array([sx * np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])
        position = np.asarray(target, dtype=float) + distance_m * offset
        forward = -offset
        right = np.cross(forward, [0.0, 0.0, 1.0])
        right /= np.linalg.norm(right)
        down = np.cross(forward, right)
        focal = (width / 2.0) / np.tan(np.radians(hfov_deg) / 2.0)
        return cls(position, np.stack([right, down, forward]), float(focal), width, height)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) -> camera frame (x right, y down, z forward)."""
        return (np.asarray(points) - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points (..., 3) -> pixel coordinates (..., 2) and depth (...) in metres."""
        c = self.to_camera(points)
        z = c[..., 2]
        xy = self.focal_px * c[..., :2] / z[..., None]
        xy[..., 0] += (self.width - 1) / 2.0
        xy[..., 1] += (self.height - 1) / 2.0
        return xy, z

    def rays(self) -> np.ndarray:
        """World-space ray directions (H, W, 3) through every pixel centre."""
        xs = np.arange(self.width) - (self.width - 1) / 2.0
        ys = np.arange(self.height) - (self.height - 1) / 2.0
        gx, gy = np.meshgrid(xs, ys)
        d = np.stack([gx, gy, np.full_like(gx, self.focal_px)], axis=-1)
        d /= np.linalg.norm(d, axis=-1, keepdims=True)
        return d @ self.rotation
