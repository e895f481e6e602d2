"""API tokens: random, shown once when created, stored as their sha256; revocable; optionally expiring.

A token is ``sitmon_`` + 43 URL-safe characters (256 random bits), so a fast hash is enough to store it
(there is nothing to guess, unlike a password).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..domain import Message
from ..store import audit
from ..store.accounts import account_for_token, add_token, token_by_id, tokens, user_by_name
from ..store.accounts import revoke_token as mark_revoked
from ..store.db import Database
from .errors import InvalidToken, NotFound
from .roles import Principal, Role

PREFIX = "sitmon_"


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself, only the first characters to recognise it."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class NewToken:
    """A token just created: ``token`` is shown this once and never again."""

    info: TokenInfo
    token: str


def token_hash(token: str) -> str:
    """The stored form of a token: sha256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    db: Database, username: str, name: str = "api", expires_days: int | None = None, actor: str = "cli"
) -> NewToken:
    """A new API token for ``username`` (:class:`NotFound` if no such user); audited as ``token.created``."""
    token = PREFIX + secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    with db.session() as s:
        user = user_by_name(s, username)
        if user is None:
            raise NotFound(Message("errors.no_user", username=username))
        row = add_token(
            s, user_id=user.id, name=name, token_hash=token_hash(token), prefix=token[:12], expires_at=expires
        )
        audit.record(
            s,
            actor,
            "token.created",
            "token",
            row.id,
            user=username,
            name=name,
            expires_at=expires.isoformat() if expires else None,
        )
        info = TokenInfo(row.id, username, name, row.prefix, row.created_at, expires, None)
    return NewToken(info, token)


def list_tokens(db: Database, username: str | None = None) -> list[TokenInfo]:
    """API tokens (of one user, or all), oldest first; an unknown user has none."""
    with db.session() as s:
        user_id = None
        if username is not None:
            user = user_by_name(s, username)
            if user is None:
                return []
            user_id = user.id
        return [
            TokenInfo(t.id, owner, t.name, t.prefix, t.created_at, t.expires_at, t.revoked_at)
            for t, owner in tokens(s, user_id)
        ]


def revoke_token(db: Database, token_id: int, actor: str = "cli", owner_id: int | None = None) -> TokenInfo:
    """Revoke a token at once; with ``owner_id`` only that user's own token (another's is :class:`NotFound`).
    Audited as ``token.revoked``; revoking twice changes nothing."""
    now = datetime.now(UTC)
    with db.session() as s:
        row = token_by_id(s, token_id)
        if row is None or (owner_id is not None and row.user_id != owner_id):
            raise NotFound(Message("errors.no_token", token_id=token_id))
        if mark_revoked(s, token_id, now):
            audit.record(s, actor, "token.revoked", "token", token_id)
    return next(t for t in list_tokens(db) if t.id == token_id)


def principal_for_token(db: Database, token: str) -> Principal:
    """The caller an ``Authorization: Bearer`` token stands for; :class:`InvalidToken` if it is unknown,
    revoked or expired, or its user is disabled."""
    if not token.startswith(PREFIX):
        raise InvalidToken()
    with db.session() as s:
        acc = account_for_token(s, token_hash(token), datetime.now(UTC))
    if acc is None:
        raise InvalidToken()
    return Principal(username=acc.username, role=Role(acc.role), scope=acc.scope, user_id=acc.id, via="token")
