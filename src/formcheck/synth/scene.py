"""The static room: a wooden floor, an exercise mat and a wall, ray-cast once per clip.

The camera does not move within a clip, so the background image and its depth are
computed once and reused for every frame (the body is composited with a depth test,
which also hides anything that sinks a few millimetres into the floor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.synth.camera import Camera

MAT_COLOURS = ((70, 120, 160), (120, 70, 130), (60, 130, 100), (160, 80, 70), (90, 90, 100))
FLOOR_COLOURS = ((170, 130, 90), (140, 105, 75), (190, 175, 150), (120, 120, 125))
WALL_COLOURS = ((225, 222, 210), (200, 210, 220), (215, 200, 185), (180, 190, 180))

# Light direction (towards the light) shared by the room and the body shading.
LIGHT = np.array([0.35, 0.25, 0.9]) / np.linalg.norm([0.35, 0.25, 0.9])


@dataclass(frozen=True)
class Room:
    mat_colour: tuple[int, int, int]
    floor_colour: tuple[int, int, int]
    wall_colour: tuple[int, int, int]
    mat_centre: tuple[float, float]  # (x, y) on the floor
    mat_size: tuple[float, float] = (0.65, 1.85)  # (x, y) extent in metres
    wall_distance: float = 1.6  # from the mat centre, on the far side from the camera

    @classmethod
    def random(cls, rng: np.random.Generator, mat_centre: tuple[float, float]) -> Room:
        return cls(
            mat_colour=MAT_COLOURS[int(rng.integers(len(MAT_COLOURS)))],
            floor_colour=FLOOR_COLOURS[int(rng.integers(len(FLOOR_COLOURS)))],
            wall_colour=WALL_COLOURS[int(rng.integers(len(WALL_COLOURS)))],
            mat_centre=mat_centre,
            wall_distance=float(rng.uniform(1.3, 2.2)),
        )


def render_background(room: Room, camera: Camera) -> tuple[np.ndarray, np.ndarray]:
    """(H, W, 3) float RGB in [0, 1] and (H, W) camera depth of the room."""
    rays = camera.rays()
    origin = camera.position
    side = np.sign(origin[0] - room.mat_centre[0]) or 1.0
    wall_x = room.mat_centre[0] - side * room.wall_distance
    big = 1e3
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(rays[..., 2] < -1e-6, -origin[2] / rays[..., 2], big)
        t_wall = np.where(np.abs(rays[..., 0]) > 1e-6, (wall_x - origin[0]) / rays[..., 0], big)
    t_wall = np.where(t_wall > 0, t_wall, big)
    t = np.minimum(t_floor, t_wall)
    hit = origin + rays * t[..., None]
    on_floor = t_floor <= t_wall

    img = np.empty(rays.shape, dtype=np.float64)
    # Floor: boards along y with a faint grain, so the floor is not a flat colour.
    floor = np.array(room.floor_colour, float) / 255
    board = np.floor(hit[..., 0] / 0.14)
    tone = 0.93 + 0.07 * np.sin(board * 12.9898) + 0.02 * np.sin(hit[..., 1] * 23.0 + board)
    img[:] = floor * tone[..., None]
    mx, my = room.mat_centre
    sx, sy = room.mat_size
    on_mat = on_floor & (np.abs(hit[..., 0] - mx) < sx / 2) & (np.abs(hit[..., 1] - my) < sy / 2)
    img[on_mat] = np.array(room.mat_colour, float) / 255
    edge = on_mat & (
        (np.abs(hit[..., 0] - mx) > sx / 2 - 0.012) | (np.abs(hit[..., 1] - my) > sy / 2 - 0.012)
    )
    img[edge] *= 0.8
    floor_light = 0.55 + 0.45 * LIGHT[2]
    img[on_floor] *= floor_light
    wall = ~on_floor
    wall_tone = 0.72 + 0.1 * np.clip(hit[wall][:, 2] / 2.0, 0, 1)
    img[wall] = np.array(room.wall_colour, float) / 255 * wall_tone[:, None]
    skirting = wall & (hit[..., 2] < 0.1)
    img[skirting] = np.array([0.92, 0.92, 0.9])
    # Soft fall-off of the light away from the mat, as from a ceiling lamp.
    dist = np.hypot(hit[..., 0] - mx, hit[..., 1] - my)
    img *= (1.0 - 0.25 * np.clip(dist / 4.0, 0, 1))[..., None]
    depth = t * (rays @ camera.rotation[2])
    return np.clip(img, 0, 1), depth
