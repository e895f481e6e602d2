"""Refusals of the security layer and of scope-aware reads: each has a stable ``code`` and a message in
Chinese and English. The interfaces map the code to their own status (HTTP status, exit code)."""

from __future__ import annotations

from typing import Any


class AccessError(Exception):
    """Base of the refusals: ``code`` (stable, snake case), ``zh`` / ``en`` messages and extra ``detail``."""

    code = "forbidden"
    default = ("没有权限", "not allowed")

    def __init__(self, zh: str | None = None, en: str | None = None, **detail: Any) -> None:
        self.zh = zh or self.default[0]
        self.en = en or self.default[1]
        self.detail = detail
        super().__init__(self.en)


class NotAuthenticated(AccessError):
    """No credentials were given where they are needed."""

    code = "not_authenticated"
    default = ("请先登录或提供 API 令牌", "sign in or give an API token")


class InvalidCredentials(AccessError):
    """Wrong user name or password (which one is never said)."""

    code = "invalid_credentials"
    default = ("用户名或密码错误", "wrong user name or password")


class RateLimited(AccessError):
    """Too many failed logins for this user or address: ``detail['retry_after']`` seconds to wait."""

    code = "too_many_attempts"
    default = ("登录失败次数过多，请稍后再试", "too many failed logins; try again later")


class InvalidToken(AccessError):
    """An API token that is unknown, revoked or expired, or whose user is disabled."""

    code = "invalid_token"
    default = ("API 令牌无效、已撤销或已过期", "the API token is unknown, revoked or expired")


class SessionExpired(AccessError):
    """A session cookie that is forged, expired, logged out or of a disabled user."""

    code = "session_expired"
    default = ("会话已过期，请重新登录", "the session has expired; sign in again")


class CsrfFailed(AccessError):
    """A state-changing request on a cookie session without the session's current CSRF token."""

    code = "csrf_failed"
    default = ("CSRF 令牌缺失或已失效，请刷新页面后重试", "missing or stale CSRF token; reload and try again")


class Forbidden(AccessError):
    """The caller's role may not do this at all."""

    code = "forbidden"
    default = ("当前角色无权执行此操作", "your role may not do this")


class OutsideScope(AccessError):
    """The request names an enterprise or province outside the caller's scope (refused before any lookup)."""

    code = "outside_scope"
    default = ("超出您的数据范围", "outside your scope")


class NotFound(AccessError):
    """No such object — or one the caller may not see: the two are indistinguishable on purpose."""

    code = "not_found"
    default = ("不存在", "not found")


class Conflict(AccessError):
    """The object exists already, or is not in a state that allows the change."""

    code = "conflict"
    default = ("与现有数据冲突", "conflicts with existing data")


class InvalidInput(AccessError):
    """A value that breaks a rule (password too short, a scope that is not a USCC or province code)."""

    code = "invalid_input"
    default = ("输入不符合要求", "invalid input")
