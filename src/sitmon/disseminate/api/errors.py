"""Errors as JSON: ``{"error": {"code": "<stable_snake_code>", "message": "<zh or en>", ...}}`` for every
error the API gives — refusals, validation, rejected reports, unknown paths and unexpected failures — in
the caller's language (``Accept-Language``: zh or en; the deployment's ``lang`` when absent)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ...collect.readers import UnreadableFile
from ...domain import KeyedError, Message, PeriodError, Refusal
from ...domain.messages import lang_of
from ...process.publish import PublishError
from ...store.failures import storage_failure
from ...store.locks import Busy
from ..tables import QueryError
from ..writers import WriterError

log = logging.getLogger("sitmon.api")

#: code → HTTP status: the stable error codes of the API (docs/api.md "错误 / Errors"). Each code's default
#: message is ``errors.<code>`` in the catalogue.
CODES: dict[str, int] = {
    "bad_request": 400,
    "not_authenticated": 401,
    "invalid_credentials": 401,
    "invalid_token": 401,
    "session_expired": 401,
    "csrf_failed": 403,
    "forbidden": 403,
    "outside_scope": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "payload_too_large": 413,
    "invalid_input": 422,
    "validation_error": 422,
    "report_rejected": 422,
    "query_error": 422,
    "too_many_attempts": 429,
    "busy": 409,
    "publish_refused": 409,
    "internal_error": 500,
    "storage_unavailable": 503,
}
#: The keyed errors of the layers below and the code each answers with (the first class that matches; any
#: other keyed error is ``invalid_input``).
KEYED_CODES: tuple[tuple[type[KeyedError], str], ...] = (
    (QueryError, "query_error"),
    (PeriodError, "query_error"),
    (WriterError, "query_error"),
    (PublishError, "conflict"),
    (UnreadableFile, "invalid_input"),
)
_STATUS_CODE = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "too_many_attempts",
}


class ApiError(Exception):
    """An error response: a code of :data:`CODES`, a message (default: the code's, ``errors.<code>``), extra
    fields."""

    def __init__(
        self, code: str, message: Message | None = None, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        self.status = CODES[code]
        self.code = code
        self.message = message if message is not None else Message(f"errors.{code}")
        self.headers = headers
        self.extra = extra
        super().__init__(self.message.render("en"))


def language(accept_language: str | None, default: str = "zh") -> str:
    """``zh`` or ``en``: the first of them in the ``Accept-Language`` preference order (q-values respected)."""
    if not accept_language:
        return default
    ranked = []
    for i, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > 0:  # q=0 means "not acceptable"
            ranked.append((-q, i, tag.strip().lower().split("-")[0]))
    for _, _, tag in sorted(ranked):
        if tag in ("zh", "en"):
            return lang_of(tag)
    return lang_of(default)


def request_language(request: Request) -> str:
    """The caller's language for ``request``."""
    default = getattr(getattr(request.app.state, "settings", None), "lang", "zh")
    return language(request.headers.get("accept-language"), default)


def error_response(
    request: Request,
    code: str,
    message: Message | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The JSON error response for ``code``, its message (default ``errors.<code>``) in the caller's language."""
    said = (message if message is not None else Message(f"errors.{code}")).render(request_language(request))
    body = {"error": {"code": code, "message": said, **jsonable_encoder(extra)}}
    return JSONResponse(body, status_code=CODES[code], headers=headers)


def from_refusal(exc: Refusal) -> ApiError:
    """The API error for a refusal (same code; extra details kept)."""
    headers = {"Retry-After": str(exc.detail["retry_after"])} if "retry_after" in exc.detail else None
    if exc.code in ("not_authenticated", "invalid_token", "session_expired"):
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return ApiError(exc.code, exc.message, headers=headers, **exc.detail)


def code_of(exc: KeyedError) -> str:
    """The API code of a keyed error of a lower layer (:data:`KEYED_CODES`; ``invalid_input`` otherwise)."""
    return next((code for cls, code in KEYED_CODES if isinstance(exc, cls)), "invalid_input")


def _said(error: dict[str, Any], lang: str) -> str:
    """pydantic's message of one validation error, or ours in ``lang`` when a validator raised a keyed error."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.render(lang) if isinstance(cause, KeyedError) else str(error.get("msg", ""))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.code, exc.message, exc.headers, **exc.extra)

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> JSONResponse:
        err = from_refusal(exc)
        if err.status in (401, 403) and err.code != "invalid_credentials":  # a failed login is login.failed
            from .edge import audit_refusal

            principal = getattr(request.state, "principal", None)
            await run_in_threadpool(audit_refusal, request, err.code, getattr(principal, "username", None))
        return error_response(request, err.code, err.message, err.headers, **err.extra)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> JSONResponse:
        return error_response(request, "busy", exc.message, headers={"Retry-After": "5"})

    @app.exception_handler(KeyedError)
    async def _keyed(request: Request, exc: KeyedError) -> JSONResponse:
        return error_response(request, code_of(exc), exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_language(request)
        errors = [
            {"loc": list(e.get("loc", ())), "msg": _said(e, lang), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return error_response(request, "validation_error", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODE.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal_error")
        return error_response(request, code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        failure = storage_failure(exc, getattr(request.app.state, "settings", None))
        if failure is not None:
            log.error("storage failure on %s %s: %s", request.method, request.url.path, failure.render("en"))
            return error_response(request, "storage_unavailable", failure)
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, "internal_error")
