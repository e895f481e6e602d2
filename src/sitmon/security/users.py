"""User management: add, list, disable or enable, reset a password — every change audited as ``user.changed``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ..config import Settings
from ..domain import Label, Message, term
from ..store import audit
from ..store.accounts import Account, account_of, accounts, change_user, revoke_user_sessions, user_by_name
from ..store.accounts import add_user as insert_user
from ..store.db import Database
from .errors import Conflict, InvalidInput, NotFound
from .passwords import hash_password
from .roles import Role, validate_scope

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")


def add_user(
    db: Database,
    settings: Settings,
    username: str,
    password: str,
    role: Role | str,
    scope: str | None = None,
    display_name: str | None = None,
    actor: str = "cli",
) -> Account:
    """Create a user with an argon2id password hash; raises :class:`InvalidInput` (name, password, scope)
    or :class:`Conflict` (the name is taken)."""
    if not USERNAME.match(username):
        raise InvalidInput(Message("errors.username_rule"))
    try:
        role = Role(role)
    except ValueError as exc:
        roles = Label("、".join(f"{r}（{term('role', r, 'zh')}）" for r in Role), ", ".join(Role))
        raise InvalidInput(Message("errors.unknown_role", role=role, roles=roles)) from exc
    scope = validate_scope(role, scope)
    hashed = hash_password(settings, password, username)
    with db.session() as s:
        if user_by_name(s, username) is not None:
            raise Conflict(Message("errors.user_exists", username=username))
        acc = insert_user(
            s,
            username=username,
            role=role.value,
            scope=scope,
            display_name=display_name,
            password_hash=hashed,
            disabled=False,
        )
        audit.record(
            s, actor, "user.changed", "user", username, change="created", role=role.value, scope=scope
        )
    return acc


def list_users(db: Database) -> list[Account]:
    """Every user by name (no password hashes)."""
    with db.session() as s:
        return accounts(s)


def get_user(db: Database, username: str) -> Account:
    """One user; :class:`NotFound` if there is none."""
    with db.session() as s:
        user = user_by_name(s, username)
        if user is None:
            raise NotFound(Message("errors.no_user", username=username))
        return account_of(user)


def set_disabled(db: Database, username: str, disabled: bool, actor: str = "cli") -> Account:
    """Disable (or enable again) a user. A disabled user's sessions end at once and their API tokens are
    refused while disabled."""
    now = datetime.now(UTC)
    with db.session() as s:
        user = user_by_name(s, username)
        if user is None:
            raise NotFound(Message("errors.no_user", username=username))
        change_user(s, user.id, disabled=disabled)
        ended = revoke_user_sessions(s, user.id, now) if disabled else 0
        audit.record(
            s,
            actor,
            "user.changed",
            "user",
            username,
            change="disabled" if disabled else "enabled",
            sessions_ended=ended,
        )
    return get_user(db, username)


def reset_password(
    db: Database, settings: Settings, username: str, password: str, actor: str = "cli"
) -> None:
    """Set a new password; the user's sessions end (API tokens stay valid)."""
    hashed = hash_password(settings, password, username)
    with db.session() as s:
        user = user_by_name(s, username)
        if user is None:
            raise NotFound(Message("errors.no_user", username=username))
        change_user(s, user.id, password_hash=hashed)
        ended = revoke_user_sessions(s, user.id, datetime.now(UTC))
        audit.record(
            s, actor, "user.changed", "user", username, change="password_reset", sessions_ended=ended
        )


def update_user(
    db: Database,
    settings: Settings,
    username: str,
    *,
    disabled: bool | None = None,
    password: str | None = None,
    actor: str = "cli",
) -> Account:
    """Apply the changes given (disable / enable, new password); each is audited. Returns the user."""
    get_user(db, username)
    if password is not None:
        reset_password(db, settings, username, password, actor)
    if disabled is not None:
        set_disabled(db, username, disabled, actor)
    return get_user(db, username)
