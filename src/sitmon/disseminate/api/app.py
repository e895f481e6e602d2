"""The app factory: ``create_app(settings)`` builds the FastAPI application of one deployment. Nothing
happens at import time; the schema is upgraded when the app starts (its lifespan)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ... import __version__
from ...config import Settings
from ...security.access_audit import RefusalBudget
from ...store.db import Database
from ...store.secrets import secret_key
from ..cache import ReleaseCache
from . import errors
from .edge import BodyLimit
from .routes import ROUTERS
from .schemas.common import errors as errors_doc

PREFIX = "/api/v1"
DESCRIPTION = """软件和信息技术服务业统计直报与运行监测接口 — the HTTP API of sitmon.

**Authentication.** Either an API token (`Authorization: Bearer sitmon_…`, created with `sitmon tokens create`
or `POST /api/v1/tokens`), or a session cookie from `POST /api/v1/auth/login`; on a cookie session every
POST / PATCH / DELETE must send the session's CSRF token as `X-CSRF-Token` (token clients need none).

**Scope.** A filer sees one enterprise, a reviewer one province, analysts and admins the whole country. A report
outside the caller's scope is answered `404 not_found`, exactly like one that does not exist; a parameter naming
another enterprise or province is `403 outside_scope`, decided before any lookup.

**Errors** are `{"error": {"code": "<stable code>", "message": "<in the Accept-Language: zh or en>", ...}}`.
"""


def create_app(settings: Settings, db: Database | None = None, cache: ReleaseCache | None = None) -> FastAPI:
    """The API and the web pages of the deployment described by ``settings`` (the DB and the release cache may
    be given, e.g. shared by tests). Routes live under ``/api/v1``; the OpenAPI document is
    ``/api/v1/openapi.json``, rendered for people at ``/api-docs`` by a Swagger UI installed with the static
    assets (never from a CDN). The pages are under ``/`` (:mod:`sitmon.disseminate.web`)."""
    database = db or Database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Upgrade the schema at start; close the DB at the end when the app opened it."""
        database.upgrade()
        yield
        if db is None:
            database.dispose()

    app = FastAPI(
        title="sitmon API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        responses=errors_doc(400),
    )
    app.state.settings = settings
    app.state.db = database
    app.state.cache = cache or ReleaseCache(settings)
    app.state.secret = secret_key(settings)
    app.state.refusals = RefusalBudget()  # refusals audited per address and minute, for this app
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=PREFIX)
    from ..web import install as install_pages  # the pages under / (they import the API's error codes)

    install_pages(app)
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_upload_mb * 1024 * 1024) + 64 * 1024)
    return app
