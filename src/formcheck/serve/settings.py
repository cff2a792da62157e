"""What ``formcheck serve`` was started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ServeSettings:
    """Attributes:
    data_dir: uploads, reports, videos, the SQLite file and the cookie key live here.
    db_url: SQLAlchemy URL (see :func:`formcheck.serve.db.database_url`).
    workers: analysis worker processes (each keeps one pose model loaded).
    max_upload_mb: the largest clip accepted.
    secure_cookies: mark cookies Secure (served over TLS, directly or by a proxy).
    model_path: a PoseLandmarker .task bundle; None for the built-in full model.
    max_live: live sets served at once; more are refused as busy.
    """

    data_dir: Path
    db_url: str
    workers: int = 1
    max_upload_mb: int = 500
    secure_cookies: bool = False
    model_path: Path | None = None
    max_live: int = 8  # live sets at once (each holds a pose model)
    start_jobs: bool = True

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb << 20
