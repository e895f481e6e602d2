"""Web sessions: login with rate limiting and auditing, signed session cookies, expiry, logout, and the
per-session CSRF token that state-changing requests on a cookie session must echo.

The cookie holds a random session token signed with the deployment's secret key (itsdangerous); the DB
holds only the token's sha256, the expiry and the revocation. The CSRF token is an HMAC of the session
token under the secret key: it changes with every session, so a token from an ended session is stale.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, Signer

from ..config import Settings
from ..store import audit
from ..store.accounts import (
    Account,
    account_for_session,
    account_of,
    add_login_attempt,
    add_session,
    change_user,
    revoke_session,
    user_by_name,
)
from ..store.db import Database
from ..store.locks import Busy, exclusive
from .errors import CsrfFailed, InvalidCredentials, RateLimited, SessionExpired
from .passwords import hasher, needs_rehash, verify_password
from .ratelimit import check_login_allowed
from .roles import Principal, Role
from .tokens import token_hash

COOKIE = "sitmon_session"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class LoginResult:
    """A new session: the account, the principal, the signed cookie value, its CSRF token and expiry."""

    account: Account
    principal: Principal
    cookie: str
    csrf_token: str
    expires_at: datetime


def _signer(secret: str) -> Signer:
    return Signer(secret, salt="sitmon.session")


def csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token of a session: HMAC-SHA256 of its token under the secret key, hex."""
    return hmac.new(secret.encode(), b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def login(
    db: Database,
    settings: Settings,
    secret: str,
    username: str,
    password: str,
    ip: str,
    user_agent: str | None = None,
) -> LoginResult:
    """Check a user name and password and open a session of ``settings.session_minutes``.

    Refused with :class:`RateLimited` when the user or address failed too often (see
    :mod:`sitmon.security.ratelimit`), else with :class:`InvalidCredentials` for an unknown user, a
    disabled user or a wrong password (the three look the same). Every failure is audited as
    ``login.failed``, a success as ``login.succeeded``.

    Attempts on one user name take turns (a lock per user name, across processes): the limit is checked and the
    attempt recorded before the next attempt on that name is checked, so simultaneous guesses cannot all pass.
    The password check itself waits for one of the bounded slots (:func:`~sitmon.security.passwords.password_slot`).
    """
    username = username.strip()[:64]
    try:
        with exclusive(db, f"login:{_stripe(username)}", timeout=10):
            return _login(db, settings, secret, username, password, ip, user_agent)
    except Busy as exc:
        raise RateLimited(retry_after=1, limit="busy") from exc


def _stripe(username: str) -> int:
    """One of 64 lock stripes for a user name (a bounded number of lock files, whatever names attackers send)."""
    return hashlib.sha256(username.lower().encode()).digest()[0] % 64


def _login(
    db: Database,
    settings: Settings,
    secret: str,
    username: str,
    password: str,
    ip: str,
    user_agent: str | None,
) -> LoginResult:
    now = datetime.now(UTC)
    refused: RateLimited | None = None
    with db.session() as s:
        try:
            check_login_allowed(s, settings, username, ip, now)
        except RateLimited as exc:
            audit.record(s, username or "-", "login.failed", "user", username, ip=ip, reason="rate_limited")
            refused = exc
        user = user_by_name(s, username)
        stored = user.password_hash if user is not None and not user.disabled else None
    if refused is not None:
        raise refused
    ok = verify_password(settings, stored, password)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=settings.session_minutes)
    with db.session() as s:
        add_login_attempt(s, username, ip, ok, now)
        if not ok:
            reason = "unknown_user" if user is None else "disabled" if user.disabled else "wrong_password"
            audit.record(s, username or "-", "login.failed", "user", username, ip=ip, reason=reason)
        else:
            assert user is not None and stored is not None
            if needs_rehash(settings, stored):
                change_user(s, user.id, password_hash=hasher(settings).hash(password))
            row = add_session(
                s,
                user_id=user.id,
                token_hash=token_hash(token),
                expires_at=expires,
                ip=ip,
                user_agent=(user_agent or "")[:255] or None,
            )
            audit.record(s, username, "login.succeeded", "session", row.id, ip=ip)
    if not ok:
        raise InvalidCredentials()
    assert user is not None
    principal = Principal(
        username=user.username,
        role=Role(user.role),
        scope=user.scope,
        user_id=user.id,
        via="session",
        session_id=row.id,
        session_token=token,
    )
    return LoginResult(
        account_of(user), principal, _signer(secret).sign(token).decode(), csrf_token(secret, token), expires
    )


def principal_for_cookie(db: Database, secret: str, cookie: str) -> Principal:
    """The caller a session cookie stands for; :class:`SessionExpired` when the cookie is forged or its
    session expired, ended or belongs to a disabled user."""
    try:
        token = _signer(secret).unsign(cookie).decode()
    except (BadSignature, UnicodeDecodeError) as exc:
        raise SessionExpired() from exc
    with db.session() as s:
        found = account_for_session(s, token_hash(token), datetime.now(UTC))
    if found is None:
        raise SessionExpired()
    acc, row = found
    return Principal(
        username=acc.username,
        role=Role(acc.role),
        scope=acc.scope,
        user_id=acc.id,
        via="session",
        session_id=row.id,
        session_token=token,
    )


def check_csrf(secret: str, principal: Principal, given: str | None) -> None:
    """Raise :class:`CsrfFailed` unless ``given`` is the CSRF token of the principal's session (callers that
    are not on a cookie session need none)."""
    if principal.via != "session":
        return
    expected = csrf_token(secret, principal.session_token or "")
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise CsrfFailed()


def logout(db: Database, principal: Principal) -> None:
    """End the principal's session (audited as ``logout``); nothing for token callers."""
    if principal.session_id is None:
        return
    with db.session() as s:
        revoke_session(s, principal.session_id, datetime.now(UTC))
        audit.record(s, principal.username, "logout", "session", principal.session_id)
