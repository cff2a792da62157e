"""Errors formcheck shows to users.

Every :class:`FormcheckError` carries one clear line that the CLI prints as is,
without a traceback. Programming errors stay ordinary exceptions.
"""

from __future__ import annotations


class FormcheckError(Exception):
    """Base of all user-facing errors; ``str(error)`` is one line for the user."""

    def __init__(self, message: str) -> None:
        # Collapse any newline so the CLI can always print one line.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)


class InputError(FormcheckError):
    """An input (video, image folder, camera, stream, recording) cannot be used."""


class ModelError(FormcheckError):
    """The pose model cannot be found, built or loaded."""


class ConfigError(FormcheckError):
    """An exercise definition, patient config or command-line setting is invalid."""


class OutputError(FormcheckError):
    """An output cannot be written (exists without --force, read-only folder, full disk)."""
