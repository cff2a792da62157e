"""Motion scripts, one module per exercise, found through the exercise registry.

The built-in exercises' scripts are the modules of this package (each names its
``id``); an exercise defined in a folder of its own (``--exercises-dir``) may
bring its script as ``ID.py`` beside ``ID.toml``.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

from formcheck.synth.exercises import bird_dog, bridge, cat_cow, childs_pose, pelvic_tilt

# The package's own scripts by id (each module says which exercise it animates).
BUILTIN_SCRIPTS: dict[str, ModuleType] = {
    m.id: m for m in (pelvic_tilt, cat_cow, childs_pose, bird_dog, bridge)
}


@cache
def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"formcheck_synth_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot load the synth script {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def script_for(exercise_id: str) -> ModuleType:
    """The motion script of a registered exercise (its own ``ID.py`` first)."""
    from formcheck.exercises.registry import definitions

    definition = definitions().get(exercise_id)
    if definition is not None and definition.synth_script is not None:
        return _load(definition.synth_script)
    if definition is not None and exercise_id in BUILTIN_SCRIPTS:
        return BUILTIN_SCRIPTS[exercise_id]
    raise ValueError(
        f"no synth script for {exercise_id!r}; exercises with one: {', '.join(scripted_ids())}"
    )


def scripted_ids() -> list[str]:
    """Registered exercises that have a motion script, in programme order."""
    from formcheck.exercises.registry import definitions

    return [
        i for i, d in definitions().items() if d.synth_script is not None or i in BUILTIN_SCRIPTS
    ]
