"""Users, roles and scopes, password hashing, API tokens, web sessions with CSRF tokens, login rate
limiting, and reading the audit trail. Uses :mod:`sitmon.store`; knows nothing of HTTP."""

from .errors import (
    AccessError,
    Conflict,
    CsrfFailed,
    Forbidden,
    InvalidCredentials,
    InvalidInput,
    InvalidToken,
    NotAuthenticated,
    NotFound,
    OutsideScope,
    RateLimited,
    Refusal,
    SessionExpired,
)
from .roles import ANONYMOUS, Principal, Role

__all__ = [
    "ANONYMOUS",
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
    "Principal",
    "RateLimited",
    "Refusal",
    "Role",
    "SessionExpired",
]
