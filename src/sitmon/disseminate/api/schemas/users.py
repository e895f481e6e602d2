"""Schemas of users (admin only)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ....security.roles import Role
from ....store.accounts import Account
from .common import mirrors


class UserCreate(BaseModel):
    """A new user: a filer's scope is the enterprise's USCC, a reviewer's a province code; none for others."""

    username: str = Field(min_length=2, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    role: Role
    scope: str | None = Field(default=None, max_length=18)
    display_name: str | None = Field(default=None, max_length=255)


class UserUpdate(BaseModel):
    """Disable or enable a user, or set a new password (ends the user's sessions)."""

    disabled: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=1024)


@mirrors(Account)
class UserPublic(BaseModel):
    """A user without secrets."""

    role: Role
