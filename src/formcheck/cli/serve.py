"""``formcheck serve``: the clinic web app on this machine (physio pages, patient links)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

from formcheck.cli.app import app
from formcheck.cli.common import fail, user_errors
from formcheck.errors import ConfigError


def _check_port(host: str, port: int) -> None:
    """Fail with one line, before anything starts, when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback by default: this computer only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data: Annotated[
        Path,
        typer.Option("--data", help="Folder for uploads, reports, videos and the SQLite file."),
    ] = Path("formcheck-data"),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL, e.g. postgresql://user@host/formcheck "
            "(default: SQLite in the data folder).",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Analysis worker processes (one pose model each).")
    ] = 1,
    max_upload_mb: Annotated[int, typer.Option(min=1, help="Largest clip accepted (MiB).")] = 500,
    max_live: Annotated[
        int, typer.Option(min=1, help="Live sets at once (each holds a pose model, ~100 MB).")
    ] = 8,
    model: Annotated[
        Path | None, typer.Option(help="A PoseLandmarker .task bundle (default: full model).")
    ] = None,
    certfile: Annotated[Path | None, typer.Option(help="TLS certificate (PEM).")] = None,
    keyfile: Annotated[Path | None, typer.Option(help="TLS private key (PEM).")] = None,
    behind_proxy: Annotated[
        bool,
        typer.Option("--behind-proxy", help="An HTTPS reverse proxy serves it (Secure cookies)."),
    ] = False,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the browser.")] = False,
) -> None:
    """Run the clinic web app: patients, uploads, reports, and live coaching in the browser."""
    try:
        import fastapi  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError as exc:
        raise fail(
            f"formcheck serve needs the serve extra ({exc.name} is missing): "
            "pip install -e '.[serve]'"
        ) from None
    from formcheck.serve.db import database_url
    from formcheck.serve.security import exposure_warning

    with user_errors():
        if (certfile is None) != (keyfile is None):
            raise ConfigError("give both --certfile and --keyfile, or neither")
        for f in (certfile, keyfile):
            if f is not None and not f.is_file():
                raise ConfigError(f"not a file: {f}")
        if data.exists() and not data.is_dir():
            raise ConfigError(f"--data: {data} is not a folder")
        url = database_url(db, data)
        _check_port(host, port)
        tls = certfile is not None
        settings = _settings(
            data, url, workers, max_upload_mb, tls or behind_proxy, model, max_live
        )
        application = _app(settings)
    warning = exposure_warning(host, tls, behind_proxy)
    if warning:
        typer.echo(warning, err=True)
    shown = f"[{host}]" if ":" in host else host
    address = f"{'https' if tls else 'http'}://{shown}:{port}/"
    typer.echo(f"formcheck serve: {address}  (data: {data}, database: {url.split(':')[0]})")
    typer.echo("Press Ctrl-C to stop.")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(address,)).start()
    import uvicorn

    uvicorn.run(
        application,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        ws_max_size=4 << 20,  # a frame is ~30 kB; nothing bigger is accepted
        # Saving a set (report, plots) can take seconds on a busy machine: a 20 s ping
        # timeout then dropped the socket before the patient heard it was saved.
        ws_ping_timeout=60.0,
    )


def _settings(data, url, workers, max_upload_mb, secure, model, max_live):  # type: ignore[no-untyped-def]
    from formcheck.serve.settings import ServeSettings

    return ServeSettings(
        data_dir=data,
        db_url=url,
        workers=workers,
        max_upload_mb=max_upload_mb,
        secure_cookies=secure,
        model_path=model,
        max_live=max_live,
    )


def _app(settings):  # type: ignore[no-untyped-def]
    """The app, its database migrated; a database that cannot be reached is one line."""
    from sqlalchemy.exc import SQLAlchemyError

    from formcheck.serve.app import create_app

    try:
        return create_app(settings)
    except SQLAlchemyError as exc:
        first = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        raise fail(f"cannot open the database: {first}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
