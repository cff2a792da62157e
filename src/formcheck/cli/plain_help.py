"""Help pages in click's plain style: ``CLIP``, ``PATH``, ``TEXT...``, nothing after a flag.

Recent typer releases label parameters ``{clip}``, ``<path>``, ``<bool>`` and
``<list[str]>``. Their labels are rewritten here, from the strings typer
produces; a typer without those methods keeps its own labels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_NAMES = {
    "str": "TEXT",
    "int": "INTEGER",
    "float": "FLOAT",
    "path": "PATH",
    "int range": "INTEGER RANGE",
    "float range": "FLOAT RANGE",
}


def plain_label(label: str | None) -> str | None:
    """``<path>`` -> ``PATH``, ``<list[str]>`` -> ``TEXT...``, ``<bool>`` -> no label."""
    if not label or not label.startswith("<") or ">" not in label:
        return label
    inner, rest = label[1:].split(">", 1)
    if inner.startswith("list[") and inner.endswith("]"):
        inner, rest = inner[5:-1], "..." + rest.removeprefix("...")
    if inner == "bool":
        return None  # a flag takes no value
    if "|" in inner:
        return f"[{inner}]{rest}"  # the choices, as typed
    return _NAMES.get(inner, inner.upper()) + rest


def plain_usage_name(name: str) -> str:
    """``{clip}`` -> ``CLIP``, ``{inputs}...`` -> ``INPUTS...``, ``[x]`` -> ``[X]``."""
    if name.startswith("{") and "}" in name:
        inner, rest = name[1:].split("}", 1)
        return inner.upper() + rest
    return name.upper()


def _wrap(cls: type, method: str, rewrite: Callable[[Any], Any]) -> None:
    original = getattr(cls, method, None)
    if original is None or getattr(original, "_plain", False):
        return

    def wrapped(self: Any, *args: Any, **kwargs: Any) -> Any:
        return rewrite(original(self, *args, **kwargs))

    wrapped._plain = True  # type: ignore[attr-defined]
    setattr(cls, method, wrapped)


def use_plain_help() -> None:
    """Rewrite the labels of every help page (idempotent)."""
    from typer import core

    for cls in (core.TyperOption, core.TyperArgument):
        _wrap(cls, "display_type_rich", plain_label)
    _wrap(core.TyperArgument, "_usage_display_name", plain_usage_name)
