"""Queries and writes of users, API tokens, web sessions and login attempts.

Tokens and session ids are looked up by their sha256 (the stored form); nothing here hashes, checks
passwords or decides who may do what — that is :mod:`sitmon.security`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from .models import ApiToken, LoginAttempt, User, WebSession


@dataclass(frozen=True)
class Account:
    """A user as the security layer needs it (no password hash)."""

    id: int
    username: str
    role: str
    scope: str | None
    display_name: str | None
    disabled: bool
    created_at: datetime


def account_of(u: User) -> Account:
    """The :class:`Account` of a user row."""
    return Account(u.id, u.username, u.role, u.scope, u.display_name, u.disabled, u.created_at)


def user_by_name(session: Session, username: str) -> User | None:
    """The user row called ``username`` (None if there is none)."""
    return session.scalar(select(User).where(User.username == username))


def accounts(session: Session) -> list[Account]:
    """Every user, by name."""
    return [account_of(u) for u in session.scalars(select(User).order_by(User.username))]


def add_user(session: Session, **fields: Any) -> Account:
    """Insert a user (columns of :class:`User`) and return it."""
    user = User(**fields)
    session.add(user)
    session.flush()
    return account_of(user)


def change_user(session: Session, user_id: int, **fields: Any) -> None:
    """Set columns of one user (and ``updated_at``)."""
    session.execute(update(User).where(User.id == user_id).values(**fields, updated_at=func.now()))


def account_for_token(session: Session, token_hash: str, now: datetime) -> Account | None:
    """The enabled user owning a live (not revoked, not expired) API token with this hash."""
    stmt = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None), User.disabled.is_(False))
        .where((ApiToken.expires_at.is_(None)) | (ApiToken.expires_at > now))
    )
    user = session.scalar(stmt)
    return account_of(user) if user else None


def add_token(session: Session, **fields: Any) -> ApiToken:
    """Insert an API token row (its hash, never the token) and return it."""
    token = ApiToken(**fields)
    session.add(token)
    session.flush()
    return token


def tokens(session: Session, user_id: int | None = None) -> list[tuple[ApiToken, str]]:
    """API tokens (of one user, or all) with their owner's name, oldest first."""
    stmt = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if user_id is not None:
        stmt = stmt.where(ApiToken.user_id == user_id)
    return [(t, name) for t, name in session.execute(stmt)]


def token_by_id(session: Session, token_id: int) -> ApiToken | None:
    """One API token row by id."""
    return session.get(ApiToken, token_id)


def revoke_token(session: Session, token_id: int, now: datetime) -> bool:
    """Mark a live token revoked; False if it was revoked already."""
    stmt = (
        update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    res = cast(CursorResult[Any], session.execute(stmt))
    return bool(res.rowcount)


def revoke_user_tokens(session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token of one user; returns how many."""
    stmt = (
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    res = cast(CursorResult[Any], session.execute(stmt))
    return int(res.rowcount or 0)


def add_session(session: Session, **fields: Any) -> WebSession:
    """Insert a web session row (the hash of its token) and return it."""
    row = WebSession(**fields)
    session.add(row)
    session.flush()
    return row


def account_for_session(
    session: Session, token_hash: str, now: datetime
) -> tuple[Account, WebSession] | None:
    """The enabled user and the live (not revoked, not expired) web session with this token hash."""
    stmt = (
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(
            WebSession.token_hash == token_hash,
            WebSession.revoked_at.is_(None),
            WebSession.expires_at > now,
            User.disabled.is_(False),
        )
    )
    row = session.execute(stmt).first()
    return (account_of(row[0]), row[1]) if row else None


def revoke_session(session: Session, session_id: int, now: datetime) -> None:
    """End one web session."""
    session.execute(
        update(WebSession)
        .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_user_sessions(session: Session, user_id: int, now: datetime) -> int:
    """End every live web session of one user; returns how many."""
    stmt = (
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    res = cast(CursorResult[Any], session.execute(stmt))
    return int(res.rowcount or 0)


def add_login_attempt(session: Session, username: str, ip: str, success: bool, at: datetime) -> None:
    """Record one login attempt."""
    session.add(LoginAttempt(username=username, ip=ip, success=success, at=at))


def failures_since(
    session: Session, since: datetime, *, username: str | None = None, ip: str | None = None
) -> tuple[int, datetime | None]:
    """Failed logins since ``since`` by user name or by address, after that user's last success (for a user
    name); returns (count, time of the oldest counted failure)."""
    stmt = select(func.count(), func.min(LoginAttempt.at)).where(LoginAttempt.success.is_(False))
    if username is not None:
        last_ok = session.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.success.is_(True), LoginAttempt.at >= since
            )
        )
        stmt = stmt.where(LoginAttempt.username == username, LoginAttempt.at >= (last_ok or since))
        if last_ok is not None:
            stmt = stmt.where(LoginAttempt.at > last_ok)
    if ip is not None:
        stmt = stmt.where(LoginAttempt.ip == ip, LoginAttempt.at >= since)
    count, oldest = session.execute(stmt).one()
    return int(count), oldest


def failure_stats(
    session: Session, since: datetime, *, username: str | None = None, ip: str | None = None
) -> tuple[int, datetime | None]:
    """Failed logins since ``since`` of a user name and/or from an address (with a user name: only those after
    that user's last success); returns (count, time of the latest)."""
    stmt = select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.success.is_(False), LoginAttempt.at >= since
    )
    if username is not None:
        last_ok = session.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.success.is_(True), LoginAttempt.at >= since
            )
        )
        stmt = stmt.where(LoginAttempt.username == username)
        if last_ok is not None:
            stmt = stmt.where(LoginAttempt.at > last_ok)
    if ip is not None:
        stmt = stmt.where(LoginAttempt.ip == ip)
    count, latest = session.execute(stmt).one()
    return int(count), latest
