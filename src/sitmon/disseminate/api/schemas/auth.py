"""Schemas of sign-in, the current caller and API tokens."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from ....security.tokens import TokenInfo
from .common import Timestamp, mirrors
from .users import UserPublic


class LoginCreate(BaseModel):
    """User name and password."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionPublic(BaseModel):
    """A new session: the user, the CSRF token to send as ``X-CSRF-Token`` on state-changing requests, expiry."""

    user: UserPublic
    csrf_token: str
    expires_at: Timestamp


class MePublic(BaseModel):
    """The caller, how they authenticated, and (on a cookie session) the session's CSRF token."""

    user: UserPublic
    via: Literal["session", "token"]
    csrf_token: str | None = None


class TokenCreate(BaseModel):
    """A name to recognise the token by, and optionally its lifetime in days."""

    name: str = Field(default="api", min_length=1, max_length=64)
    expires_days: int | None = Field(default=None, ge=1, le=3650)


@mirrors(TokenInfo)
class TokenPublic(BaseModel):
    """An API token as listed (never the token itself)."""


class TokenCreatedPublic(TokenPublic):
    """A token just created: ``token`` is shown this once; only its hash is stored."""

    token: str
