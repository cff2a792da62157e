"""The published JSON Schema of the session report.

``docs/schema/report.schema.json`` is generated from :class:`SessionReport`;
regenerate it with ``python -m formcheck.report.schema`` after a model change
(a test fails while it is out of date).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from formcheck.report.atomic import StrPath, atomic_write_text
from formcheck.report.model import SCHEMA_VERSION, SessionReport

SCHEMA_ID = "https://formcheck.invalid/schema/report.schema.json"  # an identifier, never fetched
DOCS_SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "schema" / "report.schema.json"


def report_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a session report file."""
    schema = SessionReport.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "formcheck session report",
        "description": (
            f"Result of one formcheck analysis, schema version {SCHEMA_VERSION}. "
            "NaN values are written as null."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    """The schema file's exact content."""
    return json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: StrPath = DOCS_SCHEMA, force: bool = True) -> Path:
    return atomic_write_text(path, schema_text(), force=force)


if __name__ == "__main__":
    out = write_schema(sys.argv[1] if len(sys.argv) > 1 else DOCS_SCHEMA)
    print(f"wrote {out}")
