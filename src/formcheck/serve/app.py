"""The FastAPI application: database, job queue, security middleware, pages, live socket."""

from __future__ import annotations

import multiprocessing as mp
import secrets
from collections.abc import AsyncIterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from formcheck.serve.db import make_engine, session_factory, upgrade
from formcheck.serve.jobs import JobQueue
from formcheck.serve.security import SECURITY_HEADERS
from formcheck.serve.settings import ServeSettings

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes .html
templates.env.filters["when"] = lambda value: value.strftime("%Y-%m-%d %H:%M")


class LoginRequiredError(Exception):
    """Raised by pages that need a physiotherapist; answered with a redirect to /login."""


def secret_key(data_dir: Path) -> str:
    """The cookie-signing key, made once per data folder and readable by its owner only."""
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(secrets.token_urlsafe(48))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()


def batch_pool(settings: ServeSettings) -> Executor:
    """The batch worker pool: spawned processes, one model each, loaded on first use."""
    from formcheck.batch.worker import init_worker

    model = str(settings.model_path) if settings.model_path else None
    return ProcessPoolExecutor(
        max_workers=max(1, settings.workers),
        mp_context=mp.get_context("spawn"),
        initializer=init_worker,
        initargs=(model, False),
    )


def create_app(settings: ServeSettings, *, make_executor=None) -> FastAPI:  # type: ignore[no-untyped-def]
    from formcheck.serve import pages, patient_pages

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.db_url)
    upgrade(engine)
    db = session_factory(engine)

    def config_for(patient_id: int) -> str | None:
        return pages.prescription_file(db, settings, patient_id)

    queue = JobQueue(
        db,
        db_url=settings.db_url,
        data_dir=settings.data_dir,
        make_executor=make_executor or (lambda: batch_pool(settings)),
        slots=settings.workers,
        config_for=config_for,
        model_path=str(settings.model_path) if settings.model_path else None,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.start_jobs:
            queue.start()
        try:
            yield
        finally:
            queue.stop()
            engine.dispose()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.db = db
    app.state.engine = engine
    app.state.queue = queue
    app.state.live_sockets = 0

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    # Signed (itsdangerous), HttpOnly, SameSite=Strict; Secure when served over TLS.
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key(settings.data_dir),
        session_cookie="formcheck_session",
        same_site="strict",
        https_only=settings.secure_cookies,
        max_age=12 * 3600,
    )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Scripts (job polling, uploads) get JSON; people get a page saying what is wrong.
        if request.url.path.startswith("/api/") or request.url.path.endswith("/uploads"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": exc.status_code, "detail": exc.detail, "logged_in": False},
            status_code=exc.status_code,
        )

    @app.exception_handler(LoginRequiredError)
    async def to_login(request: Request, _: LoginRequiredError) -> Response:
        return RedirectResponse("/login", status_code=303)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(patient_pages.router)
    return app
