"""The session report as a JSON file (the machine-readable output).

NaN has no JSON spelling, so it is written as ``null``. In ``Rep.metrics``
(typed ``dict[str, float]``) a NaN metric is left out instead, so the file
still validates against the published schema and reads back.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from formcheck.report.atomic import StrPath, atomic_write_text
from formcheck.report.model import SessionReport


def report_to_dict(report: SessionReport) -> dict[str, Any]:
    """JSON-ready dict of ``report`` (NaN and infinities -> None; NaN rep metrics dropped)."""
    data = _clean(report.model_dump(mode="python"))
    for rep in data.get("reps", []):
        rep["metrics"] = {k: v for k, v in rep.get("metrics", {}).items() if v is not None}
    return data


def report_to_json(report: SessionReport, *, indent: int | None = 2) -> str:
    """The report as JSON text, ending with a newline."""
    return (
        json.dumps(report_to_dict(report), indent=indent, ensure_ascii=False, allow_nan=False)
        + "\n"
    )


def write_json(report: SessionReport, path: StrPath, force: bool = False) -> Path:
    """Write ``report`` to ``path`` atomically; refuses to overwrite unless ``force``."""
    return atomic_write_text(path, report_to_json(report), force=force)


def read_json(path: StrPath) -> SessionReport:
    """Read and validate a report file (raises pydantic's ``ValidationError``)."""
    return SessionReport.model_validate_json(Path(path).read_bytes())


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):  # recorded_at, in UTC: spelt as pydantic spells it
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value
