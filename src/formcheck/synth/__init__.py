"""Ground-truth clips: a skinned CC0 MakeHuman avatar performing each exercise.

``render_clip("bridge", out_path="clip.mp4", fault="sagging_hips", seed=3)`` writes the
video and ``clip.truth.json`` and returns the :class:`Truth`. ``plan_clip`` gives the
frames lazily for tests. See docs/synth.md.
"""

from formcheck.synth.groundtruth import Truth
from formcheck.synth.render import ClipSpec, plan_clip, render_clip

__all__ = ["ClipSpec", "Truth", "plan_clip", "render_clip"]
