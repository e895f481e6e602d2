"""Refusals of the security layer and of scope-aware reads, on the common base of :mod:`sitmon.domain.errors`:
each has a stable ``code`` and a keyed message (default ``errors.<code>``). The interfaces map the code to their
own status (HTTP status, exit code)."""

from __future__ import annotations

from ..domain.errors import Conflict, InvalidInput, NotFound, Refusal


class AccessError(Refusal):
    """Base of the refusals about who the caller is and what they may do."""

    code = "forbidden"


class NotAuthenticated(AccessError):
    """No credentials were given where they are needed."""

    code = "not_authenticated"


class InvalidCredentials(AccessError):
    """Wrong user name or password (which one is never said)."""

    code = "invalid_credentials"


class RateLimited(AccessError):
    """Too many failed logins for this user or address: ``detail['retry_after']`` seconds to wait."""

    code = "too_many_attempts"


class InvalidToken(AccessError):
    """An API token that is unknown, revoked or expired, or whose user is disabled."""

    code = "invalid_token"


class SessionExpired(AccessError):
    """A session cookie that is forged, expired, logged out or of a disabled user."""

    code = "session_expired"


class CsrfFailed(AccessError):
    """A state-changing request on a cookie session without the session's current CSRF token."""

    code = "csrf_failed"


class Forbidden(AccessError):
    """The caller's role may not do this at all."""

    code = "forbidden"


class OutsideScope(AccessError):
    """The request names an enterprise or province outside the caller's scope (refused before any lookup)."""

    code = "outside_scope"


__all__ = [
    "AccessError",
    "Conflict",
    "CsrfFailed",
    "Forbidden",
    "InvalidCredentials",
    "InvalidInput",
    "InvalidToken",
    "NotAuthenticated",
    "NotFound",
    "OutsideScope",
    "RateLimited",
    "Refusal",
    "SessionExpired",
]
