"""Regenerate docs/exercises/*.md, one review page per built-in exercise.

    .venv/bin/python scripts/exercise_pages.py

Each page is what ``formcheck exercises show ID --format md`` prints; a test
fails when a page is out of date with its definition.
"""

from __future__ import annotations

import os
from pathlib import Path

from formcheck.exercises import registry
from formcheck.exercises.loader import all_builtin
from formcheck.exercises.reference import markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "exercises"


def pages() -> dict[str, str]:
    """File name -> page, for the built-in exercises only (a clinic's folder is ignored)."""
    os.environ.pop(registry.ENV_VAR, None)
    registry.reset()
    specs = all_builtin()
    index = ["# Exercises", "", "Generated from the definitions; do not edit.", ""]
    index += [f"- [{ex.name}]({ex.id}.md): {ex.prescription.text}" for ex in specs]
    out = {f"{ex.id}.md": markdown(ex) for ex in specs}
    out["README.md"] = "\n".join(index) + "\n"
    return out


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for stale in DOCS.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        (DOCS / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/exercises/{name}")


if __name__ == "__main__":
    main()
