"""Fixtures for the web app: a database on SQLite and on PostgreSQL, a logged-in client."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_helpers import Clinic

# The report tests' factories (a realistic SessionReport) and Chromium lookup.
sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/factories.py: hand-built poses

pytest.importorskip("fastapi", reason="formcheck serve needs the serve extra")

PG_ENV = "FORMCHECK_TEST_PG"  # a PostgreSQL DSN; .ci/run starts a cluster and sets it


def _pg_database(admin_dsn: str) -> Iterator[str]:
    """A fresh database on the test cluster, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"fc_{secrets.token_hex(6)}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_dsn).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on the embedded SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'formcheck.db'}"
        return
    dsn = os.environ.get(PG_ENV)
    if not dsn:
        pytest.skip(f"{PG_ENV} not set (bash .ci/run starts PostgreSQL and sets it)")
    try:
        yield from _pg_database(dsn)
    except ImportError:
        pytest.skip("psycopg is not installed")


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    from fastapi.testclient import TestClient

    from formcheck.serve.app import create_app
    from formcheck.serve.db import database_url
    from formcheck.serve.settings import ServeSettings

    data = tmp_path / "data"
    settings = ServeSettings(
        data_dir=data, db_url=database_url(None, data), max_upload_mb=1, start_jobs=False
    )
    # The first account may only be made from loopback: the test client says it is.
    with TestClient(create_app(settings), client=("127.0.0.1", 50000)) as client:
        c = Clinic(client, data)
        c.login()
        yield c
