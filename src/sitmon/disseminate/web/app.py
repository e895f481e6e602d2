"""Wiring the pages into the app: static assets, the page routers, HTML error pages for every path outside
``/api/``, and the security headers of every page."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ...domain import KeyedError, Refusal, messages
from ..api.errors import CODES
from .assets import StaticAssets
from .pages import LoginRequired, render_error, viewer_of
from .routes import ROUTERS

STATIC = Path(__file__).parent / "static"
#: Scripts only from this origin (no inline script, no CDN); styles inline too (ECharts and Swagger UI set them).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the content security policy and its companions to every response outside ``/api/``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


Handler = Callable[[Request, Any], Awaitable[Response]]


def _html_errors(original: Callable[[Request, Any], Any]) -> Handler:
    """The app's JSON error handler for ``/api/`` paths; the same error as an HTML page elsewhere."""

    async def handler(request: Request, exc: Any) -> Response:
        if request.url.path.startswith("/api/"):
            return await original(request, exc)
        if isinstance(exc, LoginRequired):
            return RedirectResponse(exc.location, status_code=303)
        response = await original(request, exc)
        code = "internal_error"
        if isinstance(response, JSONResponse):
            code = json.loads(bytes(response.body)).get("error", {}).get("code", code)
        if code in ("not_authenticated", "session_expired", "invalid_token"):
            return RedirectResponse(LoginRequired.for_request(request).location, status_code=303)
        code = code if code in CODES else "internal_error"
        status = CODES[code]
        message = (
            exc.message if isinstance(exc, (Refusal, KeyedError)) else messages.Message(f"errors.{code}")
        )
        return render_error(
            request,
            viewer_of(request, quiet=True),
            status,
            message,
            headers=getattr(exc, "headers", None) if status == 429 else None,
        )

    return handler


def install(app: FastAPI) -> None:
    """Add the pages, the static assets and the HTML error pages to ``app`` (built by ``create_app``)."""
    app.mount("/static", StaticAssets(directory=STATIC, settings=app.state.settings), name="static")
    for router in ROUTERS:
        app.include_router(router, include_in_schema=False)
    app.add_exception_handler(LoginRequired, _html_errors(_never))
    for exc_class, original in list(app.exception_handlers.items()):
        if exc_class is not LoginRequired:
            app.add_exception_handler(exc_class, _html_errors(original))
    app.add_middleware(SecurityHeaders)


async def _never(request: Request, exc: Any) -> Response:
    """``LoginRequired`` is raised by pages only; on an API path it would be a missing login."""
    from ..api.errors import error_response

    return error_response(request, "not_authenticated")
