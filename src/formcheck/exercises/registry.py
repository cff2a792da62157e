"""The exercise registry: every exercise is one definition file, found by looking.

The built-in definitions are the TOML files in ``formcheck/exercises/definitions``.
A clinic adds or overrides exercises from its own folders without forking:
``FORMCHECK_EXERCISES_DIR`` (several folders separated by ``os.pathsep``) and the
CLI's ``--exercises-dir DIR`` (which sets that variable, so batch workers inherit
it). A file whose id matches a built-in one replaces it; later folders win.
Beside a definition ``ID.toml`` may sit its synth script ``ID.py`` (the avatar's
motion for rendered ground-truth clips).

Everything that lists exercises (CLI choices, recognition, programmes, the
synthetic suite, the generated reference) reads this registry; nothing else
holds a list of exercise ids.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import tomllib

from formcheck.errors import ConfigError
from formcheck.exercises.rules import read_faults

ENV_VAR = "FORMCHECK_EXERCISES_DIR"


@dataclass(frozen=True)
class Definition:
    """One exercise's definition file, as read (validated by the loader)."""

    id: str
    raw: dict[str, Any]
    path: str  # where it came from, for error messages and the reference pages
    builtin: bool

    @property
    def synth_script(self) -> Path | None:
        """The motion script beside the definition (``ID.py``), if there is one."""
        if self.builtin:
            return None  # the built-in scripts live in formcheck.synth.exercises
        script = Path(self.path).with_suffix(".py")
        return script if script.is_file() else None


def _read(text: str, where: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{where}: invalid TOML: {err}") from None
    if not isinstance(data.get("id"), str):
        raise ConfigError(f"{where}: id: a definition needs an id (a string)")
    try:
        return read_faults(data)
    except ValueError as err:
        raise ConfigError(f"{where}: {err}") from None


def _builtin_definitions() -> list[Definition]:
    folder = resources.files("formcheck.exercises.definitions")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            where = f"formcheck/exercises/definitions/{entry.name}"
            raw = _read(entry.read_text(encoding="utf-8"), where)
            out.append(Definition(raw["id"], raw, where, builtin=True))
    return out


def _folder_definitions(folder: Path) -> list[Definition]:
    if not folder.is_dir():
        raise ConfigError(
            f"exercises folder not found: {folder} (from --exercises-dir or {ENV_VAR})"
        )
    out = []
    for path in sorted(folder.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"{path}: cannot read the definition: {err}") from None
        raw = _read(text, str(path))
        out.append(Definition(raw["id"], raw, str(path), builtin=False))
    return out


def extra_folders() -> list[Path]:
    """The folders named by ``FORMCHECK_EXERCISES_DIR``, in order (later ones win)."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def add_folder(folder: Path) -> None:
    """Add a folder of definitions for this process and the processes it starts."""
    folders = [*extra_folders(), Path(folder)]
    os.environ[ENV_VAR] = os.pathsep.join(str(f) for f in folders)
    reset()


def reset() -> None:
    """Forget the discovered definitions (after the folders changed)."""
    _discover.cache_clear()


@cache
def _discover(env_value: str) -> dict[str, Definition]:
    defs: dict[str, Definition] = {d.id: d for d in _builtin_definitions()}
    for folder in extra_folders():
        for d in _folder_definitions(folder):
            defs[d.id] = d  # a clinic's file replaces the built-in one of the same id
    _check_names(defs)
    # The programme order: each definition's `order`, then its id (new ones go last).
    return dict(sorted(defs.items(), key=lambda kv: (kv[1].raw.get("order", 1000), kv[0])))


def _check_names(defs: dict[str, Definition]) -> None:
    owner: dict[str, str] = {}
    for d in defs.values():
        for name in (d.id, *d.raw.get("aliases", [])):
            key = normalise(str(name))
            if key in owner and owner[key] != d.id:
                raise ConfigError(
                    f"{d.path}: name {name!r} is already used by exercise {owner[key]!r}"
                )
            owner[key] = d.id


def definitions() -> dict[str, Definition]:
    """Every known exercise's definition, in programme order."""
    return _discover(os.environ.get(ENV_VAR, ""))


def exercise_ids() -> tuple[str, ...]:
    return tuple(definitions())


def normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_").replace("'", "")


def resolve_id(name: str) -> str:
    """Map an id or alias (any case, '-' or '_') to the exercise id."""
    key = normalise(name)
    defs = definitions()
    for ex_id, d in defs.items():
        if key == ex_id or key in d.raw.get("aliases", []):
            return ex_id
    raise ConfigError(f"unknown exercise {name!r}; choose one of: {', '.join(defs)}")


def programmes() -> dict[str, tuple[str, ...]]:
    """Programme name -> its exercises in order, from each definition's ``programmes``."""
    out: dict[str, list[str]] = {}
    for ex_id, d in definitions().items():
        for name in d.raw.get("programmes", []):
            out.setdefault(str(name), []).append(ex_id)
    return {k: tuple(v) for k, v in out.items()}
