"""Motion scripts, one module per exercise; ``EXERCISES`` maps ids to them."""

from __future__ import annotations

from types import ModuleType

from formcheck.synth.exercises import bird_dog, bridge, cat_cow, childs_pose, pelvic_tilt

EXERCISES: dict[str, ModuleType] = {
    m.id: m for m in (pelvic_tilt, cat_cow, childs_pose, bird_dog, bridge)
}
