"""Named surface points of the avatar, chosen once on the neutral pose.

Face, heel and toe landmarks and the floor-contact points are mesh vertices, so they
move exactly with the skinned surface; joint landmarks are bone heads.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.landmarks import Landmark
from formcheck.synth.appearance import mouth_centre
from formcheck.synth.avatar import Avatar
from formcheck.synth.kinematics import Posed, skin

# Landmark -> bone whose posed head (or, with "@tail", tail) is the landmark.
JOINT_LANDMARKS: dict[str, str] = {
    "shoulder": "upperarm", "elbow": "lowerarm", "wrist": "hand", "hip": "thigh",
    "knee": "calf", "ankle": "foot", "pinky": "pinky_02", "index": "index_02",
    "thumb": "thumb_03",
}  # fmt: skip


@dataclass(frozen=True)
class SurfacePoints:
    names: tuple[str, ...]
    vertices: np.ndarray  # (k,) mesh vertex indices

    def index(self, name: str) -> int:
        return self.names.index(name)


def _pick(candidates: np.ndarray, score: np.ndarray) -> int:
    return int(candidates[np.argmax(score[candidates])])


def neutral_vertices(avatar: Avatar) -> tuple[np.ndarray, Posed]:
    posed = avatar.pose({}, np.eye(3), np.zeros(3))
    n = avatar.mesh.body_count
    return skin(avatar.rig.weights[:n], posed, avatar.rest[:n]), posed


def find_surface_points(avatar: Avatar) -> SurfacePoints:
    """Locate landmark and contact vertices by simple geometric rules on the neutral body."""
    v, posed = neutral_vertices(avatar)
    rig = avatar.rig
    w = rig.weights[: len(v)]
    idx = np.arange(len(v))
    head_of = {n: posed.heads[rig.index(n)] for n in rig.names}
    names: list[str] = []
    verts: list[int] = []

    def add(name: str, vertex: int) -> None:
        names.append(name)
        verts.append(vertex)

    head = idx[w[:, rig.index("head")] > 0.9]
    mesh = avatar.mesh
    eye_c = {s: mesh.group_centre(f"joint-{s}-eye") for s in "lr"}
    eye_z = (eye_c["l"][2] + eye_c["r"][2]) / 2
    mouth = mouth_centre(v, np.isin(idx, head), eye_z)
    near_mid = head[np.abs(v[head, 0]) < 0.01]
    add(
        "nose",
        _pick(near_mid[(v[near_mid, 2] < eye_z) & (v[near_mid, 2] > eye_z - 0.05)], -v[:, 1]),
    )
    for s, lat in (("l", 1.0), ("r", -1.0)):
        side = "left" if s == "l" else "right"
        ball = mesh.groups[f"helper-{s}-eye"]
        pupil = int(ball[np.argmin(mesh.vertices[ball, 1])])
        add(f"{side}_eye", pupil)
        p = mesh.vertices[pupil]
        front = head[v[head, 1] < p[1] + 0.02]
        for nm, dx in (("eye_inner", -0.016), ("eye_outer", 0.018)):
            target = p + np.array([lat * dx, 0.004, 0.0])
            add(f"{side}_{nm}", int(front[np.argmin(np.linalg.norm(v[front] - target, axis=1))]))
        # Ear: centre of the outermost rim of the head between brow and earlobe.
        band = head[(v[head, 2] > eye_z - 0.06) & (v[head, 2] < eye_z + 0.01)]
        rim = band[lat * v[band, 0] > (lat * v[band, 0]).max() - 0.014]
        centre = v[rim].mean(axis=0)
        add(f"{side}_ear", int(rim[np.argmin(np.linalg.norm(v[rim] - centre, axis=1))]))
        target = mouth + np.array([lat * 0.022, 0.006, 0.0])
        add(f"mouth_{side}", int(head[np.argmin(np.linalg.norm(v[head] - target, axis=1))]))

        foot = idx[(w[:, rig.index(f"foot_{s}")] + w[:, rig.index(f"ball_{s}")]) > 0.6]
        ankle = head_of[f"foot_{s}"]
        add(f"{side}_heel", _pick(foot[v[foot, 1] > ankle[1]], v[:, 1] - v[:, 2]))
        add(f"{side}_foot_index", _pick(foot, -v[:, 1] - 0.2 * v[:, 2]))
        # Contacts: sole under the heel and the ball, top of the toes and the instep.
        add(f"heel_sole_{s}", _pick(foot[v[foot, 1] > ankle[1] - 0.03], -v[:, 2]))
        add(f"ball_sole_{s}", _pick(foot[v[foot, 1] < ankle[1] - 0.12], -v[:, 2]))
        add(f"toe_top_{s}", _pick(foot, -v[:, 1] + 0.5 * v[:, 2]))
        add(
            f"instep_{s}",
            _pick(
                foot[v[foot, 1] < ankle[1] - 0.06], v[:, 2] - 2 * np.abs(v[:, 1] - ankle[1] + 0.08)
            ),
        )
        calf = idx[w[:, rig.index(f"calf_{s}")] > 0.6]
        knee = head_of[f"calf_{s}"]
        band = calf[(v[calf, 2] < knee[2] - 0.05) & (v[calf, 2] > knee[2] - 0.09)]
        add(f"knee_front_{s}", _pick(band, -v[:, 1]))
        band = calf[(v[calf, 2] > ankle[2] + 0.06) & (v[calf, 2] < ankle[2] + 0.12)]
        add(f"shin_low_{s}", _pick(band, -v[:, 1]))
        hand = idx[w[:, rig.index(f"hand_{s}")] > 0.6]
        wrist = head_of[f"hand_{s}"]
        palm = hand[(v[hand, 2] < wrist[2] - 0.04)]
        add(f"palm_{s}", _pick(palm, -lat * v[:, 0]))
        mid = idx[w[:, rig.index(f"middle_03_{s}")] > 0.5]
        add(f"fingertip_{s}", _pick(mid, -v[:, 2]))
        add(f"fingerpad_{s}", _pick(mid, -lat * v[:, 0]))
    mid_back = idx[np.abs(v[:, 0]) < 0.03]
    sp3 = head_of["spine_03"][2]
    add("upper_back", _pick(mid_back[np.abs(v[mid_back, 2] - sp3 - 0.08) < 0.03], v[:, 1]))
    hip_z = head_of["thigh_l"][2]
    seat = idx[(np.abs(v[:, 0]) < 0.12) & (np.abs(v[:, 2] - hip_z + 0.06) < 0.06)]
    add("sacrum", _pick(seat, v[:, 1]))
    add("head_back", _pick(head, v[:, 1]))
    fore = head[(v[head, 2] > eye_z + 0.02) & (v[head, 2] < eye_z + 0.06)]
    add("forehead", _pick(fore, -v[:, 1]))
    return SurfacePoints(tuple(names), np.array(verts, dtype=np.int64))


def posed_points(avatar: Avatar, pts: SurfacePoints, posed: Posed) -> np.ndarray:
    """(k, 3) world positions of the surface points in this pose."""
    return skin(avatar.rig.weights[pts.vertices], posed, avatar.rest[pts.vertices], np.float64)


def landmarks_3d(avatar: Avatar, pts: SurfacePoints, posed: Posed) -> np.ndarray:
    """(33, 3) world positions in MediaPipe's landmark order."""
    surf = posed_points(avatar, pts, posed)
    out = np.full((len(Landmark), 3), np.nan)
    for lm in Landmark:
        name = lm.name.lower()
        if name in pts.names:
            out[lm] = surf[pts.index(name)]
            continue
        side, _, part = name.partition("_")
        if part in JOINT_LANDMARKS:
            out[lm] = posed.heads[avatar.rig.index(f"{JOINT_LANDMARKS[part]}_{side[0]}")]
    return out
