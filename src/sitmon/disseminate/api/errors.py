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
from ...domain import PeriodError, Refusal
from ...process.publish import PublishError
from ...store.failures import storage_failure
from ...store.locks import Busy
from ..tables import QueryError
from ..writers import WriterError

log = logging.getLogger("sitmon.api")

#: code → (HTTP status, 中文, English): the stable error codes of the API (docs/api.md "错误 / Errors").
CODES: dict[str, tuple[int, str, str]] = {
    "bad_request": (400, "请求格式不正确", "the request is malformed"),
    "not_authenticated": (401, "请先登录或提供 API 令牌", "sign in or give an API token"),
    "invalid_credentials": (401, "用户名或密码错误", "wrong user name or password"),
    "invalid_token": (401, "API 令牌无效、已撤销或已过期", "the API token is unknown, revoked or expired"),
    "session_expired": (401, "会话已过期，请重新登录", "the session has expired; sign in again"),
    "csrf_failed": (403, "CSRF 令牌缺失或已失效", "missing or stale CSRF token"),
    "forbidden": (403, "当前角色无权执行此操作", "your role may not do this"),
    "outside_scope": (403, "超出您的数据范围", "outside your scope"),
    "not_found": (404, "不存在", "not found"),
    "method_not_allowed": (405, "不支持该请求方法", "method not allowed"),
    "conflict": (409, "与现有数据冲突", "conflicts with existing data"),
    "payload_too_large": (413, "上传内容过大", "the upload is too large"),
    "invalid_input": (422, "输入不符合要求", "invalid input"),
    "validation_error": (422, "请求参数不正确", "the request parameters are not valid"),
    "report_rejected": (422, "报表未通过审核规则，未写入任何数据", "the report breaks validation rules; nothing was stored"),
    "query_error": (422, "无法查询", "the query cannot be answered"),
    "too_many_attempts": (429, "登录失败次数过多，请稍后再试", "too many failed logins; try again later"),
    "busy": (409, "另一个进程正在处理同一数据，请稍后再试", "another process is working on the same data; try again later"),
    "publish_refused": (409, "未发布：报送率过低或仍有未说明的核实性错误", "not published: response rate too low or unexplained warnings"),
    "internal_error": (500, "服务器内部错误", "internal server error"),
    "storage_unavailable": (503, "存储暂不可用（只读或磁盘已满）", "storage unavailable (read-only or full)"),
}
_STATUS_CODE = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "payload_too_large", 422: "validation_error",
                429: "too_many_attempts"}


class ApiError(Exception):
    """An error response: a code of :data:`CODES`, optional zh/en messages (default: the code's), extra fields."""

    def __init__(self, code: str, zh: str | None = None, en: str | None = None, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        self.status, default_zh, default_en = CODES[code]
        self.code, self.zh, self.en = code, zh or default_zh, en or default_en
        self.headers = headers
        self.extra = extra
        super().__init__(self.en)


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
    for _, _, lang in sorted(ranked):
        if lang in ("zh", "en"):
            return lang
    return default


def request_language(request: Request) -> str:
    """The caller's language for ``request``."""
    default = getattr(getattr(request.app.state, "settings", None), "lang", "zh")
    return language(request.headers.get("accept-language"), default)


def error_response(request: Request, code: str, zh: str | None = None, en: str | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    """The JSON error response for ``code`` in the caller's language."""
    status, default_zh, default_en = CODES[code]
    message = (zh or default_zh) if request_language(request) == "zh" else (en or default_en)
    body = {"error": {"code": code, "message": message, **jsonable_encoder(extra)}}
    return JSONResponse(body, status_code=status, headers=headers)


def from_refusal(exc: Refusal) -> ApiError:
    """The API error for a refusal (same code; extra details kept)."""
    headers = {"Retry-After": str(exc.detail["retry_after"])} if "retry_after" in exc.detail else None
    if exc.code in ("not_authenticated", "invalid_token", "session_expired"):
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return ApiError(exc.code, exc.zh, exc.en, headers=headers, **exc.detail)


def split_bilingual(message: str) -> tuple[str, str]:
    """(zh, en) of a library message written ``中文 / English``."""
    zh, sep, en = message.partition(" / ")
    return (zh, en) if sep else (message, message)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.code, exc.zh, exc.en, exc.headers, **exc.extra)

    @app.exception_handler(Refusal)
    async def _refusal(request: Request, exc: Refusal) -> JSONResponse:
        err = from_refusal(exc)
        if err.status in (401, 403) and err.code != "invalid_credentials":  # a failed login is login.failed
            from .edge import audit_refusal

            principal = getattr(request.state, "principal", None)
            await run_in_threadpool(audit_refusal, request, err.code, getattr(principal, "username", None))
        return error_response(request, err.code, err.zh, err.en, err.headers, **err.extra)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> JSONResponse:
        return error_response(request, "busy", exc.message.render("zh"), exc.message.render("en"),
                              headers={"Retry-After": "5"})

    @app.exception_handler(QueryError)
    async def _query(request: Request, exc: QueryError) -> JSONResponse:
        return error_response(request, "query_error", *split_bilingual(str(exc)))

    @app.exception_handler(PeriodError)
    async def _period(request: Request, exc: PeriodError) -> JSONResponse:
        return error_response(request, "query_error", exc.message.render("zh"), exc.message.render("en"))

    @app.exception_handler(WriterError)
    async def _writer(request: Request, exc: WriterError) -> JSONResponse:
        return error_response(request, "query_error", exc.message.render("zh"), exc.message.render("en"))

    @app.exception_handler(PublishError)
    async def _publish(request: Request, exc: PublishError) -> JSONResponse:
        return error_response(request, "conflict", *split_bilingual(str(exc)))

    @app.exception_handler(UnreadableFile)
    async def _unreadable(request: Request, exc: UnreadableFile) -> JSONResponse:
        return error_response(request, "invalid_input", exc.message.render("zh"), exc.message.render("en"))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
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
            return error_response(request, "storage_unavailable", failure.render("zh"), failure.render("en"))
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, "internal_error")
