"""A patient's prescription: the TOML of ``--config``, validated by the same loader."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from formcheck.errors import ConfigError
from formcheck.exercises.loader import PatientConfig, load_config
from formcheck.exercises.registry import exercise_ids

DEFAULT_TOML = "# Overrides for this patient, as in formcheck analyze --config.\n"


def parse(text: str) -> PatientConfig:
    """Validate like ``--config`` (ConfigError naming the key on a bad value)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prescription.toml"
        path.write_text(text, encoding="utf-8")
        try:
            return load_config(path)
        except ConfigError as exc:
            # The message names the temporary file; the editor shows it without.
            raise ConfigError(str(exc).replace(str(path), "prescription")) from None


def config_file(text: str, folder: Path) -> Path:
    """The prescription written once per content, for the worker processes to load."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.toml"
    if not path.exists():
        tmp = path.with_suffix(".part")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def programme(config: PatientConfig) -> list[str]:
    """The exercises shown on the patient's page: those prescribed, else all five."""
    return [e for e in exercise_ids() if e in config.exercises] or list(exercise_ids())
