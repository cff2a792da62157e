"""``formcheck serve`` refuses bad settings in one line, and warns when exposed without TLS."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from formcheck.cli import app
from formcheck.serve.security import exposure_warning, is_loopback

runner = CliRunner()


def _one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    return lines[0]


def test_a_bad_database_url_is_one_line(tmp_path: Path) -> None:
    line = _one_line_error(
        runner.invoke(app, ["serve", "--data", str(tmp_path), "--db", "oracle://x/y"])
    )
    assert "oracle" in line and "not supported" in line
    line = _one_line_error(
        runner.invoke(app, ["serve", "--data", str(tmp_path), "--db", "::nonsense"])
    )
    assert "--db" in line


def test_an_unreachable_postgresql_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = f"postgresql://nobody@127.0.0.1:{port}/formcheck"
    line = _one_line_error(
        runner.invoke(app, ["serve", "--data", str(tmp_path), "--db", db, "--port", "0"])
    )
    assert line.startswith("error: cannot open the database")


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        line = _one_line_error(
            runner.invoke(app, ["serve", "--data", str(tmp_path), "--port", str(port)])
        )
    assert f"127.0.0.1:{port}" in line


def test_a_data_path_that_is_a_file_is_refused_and_kept(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("keep me")
    line = _one_line_error(runner.invoke(app, ["serve", "--data", str(f)]))
    assert "not a folder" in line
    assert f.read_text() == "keep me"


@pytest.mark.parametrize(
    ("host", "tls", "proxy", "warned"),
    [
        ("127.0.0.1", False, False, False),
        ("::1", False, False, False),
        ("localhost", False, False, False),
        ("0.0.0.0", False, False, True),
        ("192.168.1.20", False, False, True),
        ("0.0.0.0", True, False, False),
        ("0.0.0.0", False, True, False),
    ],
)
def test_non_loopback_without_tls_warns(host: str, tls: bool, proxy: bool, warned: bool) -> None:
    assert is_loopback(host) == (host in ("127.0.0.1", "::1", "localhost"))
    warning = exposure_warning(host, tls, proxy)
    assert (warning is not None) == warned
    if warning:
        assert host in warning and "TLS" in warning
