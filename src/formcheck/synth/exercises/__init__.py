"""Motion scripts, one module per exercise, found through the exercise registry.

A built-in exercise's script is a module of this package that names its ``id`` (found
by looking, like the definitions: adding an exercise edits no list here); an exercise
defined in a folder of its own (``--exercises-dir``) may bring its script as ``ID.py``
beside ``ID.toml``. A script may declare its committed sample clips in ``samples``
(formcheck/synth/samples.py).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from functools import cache
from pathlib import Path
from types import ModuleType

# Modules of this package that are shared helpers, not exercises.
_HELPERS = frozenset({"base", "common"})


@cache
def builtin_scripts() -> dict[str, ModuleType]:
    """The package's own scripts by id (each module says which exercise it animates)."""
    out: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name in _HELPERS or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "id", None), str) and hasattr(module, "script"):
            out[module.id] = module
    return out


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
    if definition is not None and exercise_id in builtin_scripts():
        return builtin_scripts()[exercise_id]
    raise ValueError(
        f"no synth script for {exercise_id!r}; exercises with one: {', '.join(scripted_ids())}"
    )


def scripted_ids() -> list[str]:
    """Registered exercises that have a motion script, in programme order."""
    from formcheck.exercises.registry import definitions

    scripts = builtin_scripts()
    return [i for i, d in definitions().items() if d.synth_script is not None or i in scripts]
