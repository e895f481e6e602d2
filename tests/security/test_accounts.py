"""Users, tokens, sessions and login rate limiting against the operational DB (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from sitmon.security import (
    Conflict,
    CsrfFailed,
    InvalidCredentials,
    InvalidToken,
    RateLimited,
    SessionExpired,
)
from sitmon.security.audit import trail
from sitmon.security.sessions import check_csrf, login, logout, principal_for_cookie
from sitmon.security.tokens import create_token, principal_for_token, revoke_token
from sitmon.security.users import add_user, list_users, reset_password, set_disabled

PW = "a long passphrase"
SECRET = "s" * 48


@pytest.fixture
def fast(settings):
    return settings.model_copy(
        update={
            "argon2_time_cost": 1,
            "argon2_memory_kib": 64,
            "argon2_parallelism": 1,
            "login_max_failures": 3,
        }
    )


def test_users_are_added_once_and_changes_audited(db, fast):
    acc = add_user(db, fast, "ana", PW, "analyst", display_name="分析员")
    assert (acc.role, acc.scope, acc.disabled) == ("analyst", None, False)
    with pytest.raises(Conflict):
        add_user(db, fast, "ana", PW, "analyst")
    set_disabled(db, "ana", True)
    reset_password(db, fast, "ana", "another passphrase")
    assert [u.disabled for u in list_users(db)] == [True]
    assert [e.detail["change"] for e in trail(db) if e.action == "user.changed"] == [
        "created",
        "disabled",
        "password_reset",
    ]
    with db.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users")).scalar()
    assert stored.startswith("$argon2id$") and "passphrase" not in stored


def test_tokens_are_stored_hashed_and_die_when_revoked_or_disabled(db, fast):
    add_user(db, fast, "rev", PW, "reviewer", "320000")
    new = create_token(db, "rev", "etl")
    who = principal_for_token(db, new.token)
    assert (who.username, who.role, who.scope, who.via) == ("rev", "reviewer", "320000", "token")
    with db.engine.connect() as conn:
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM api_tokens WHERE token_hash = :t"), {"t": new.token}
            ).scalar()
            == 0
        )
    set_disabled(db, "rev", True)
    with pytest.raises(InvalidToken):
        principal_for_token(db, new.token)
    set_disabled(db, "rev", False)
    assert principal_for_token(db, new.token).username == "rev"
    revoke_token(db, new.info.id)
    with pytest.raises(InvalidToken):
        principal_for_token(db, new.token)
    with pytest.raises(InvalidToken):
        principal_for_token(db, "sitmon_" + "x" * 43)


def test_expired_token_is_refused(db, fast):
    add_user(db, fast, "ana", PW, "analyst")
    new = create_token(db, "ana", expires_days=1)
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE api_tokens SET expires_at = :t"), {"t": datetime.now(UTC) - timedelta(days=1)}
        )
    with pytest.raises(InvalidToken):
        principal_for_token(db, new.token)


def test_session_login_csrf_logout_and_password_reset(db, fast):
    add_user(db, fast, "ana", PW, "analyst")
    res = login(db, fast, SECRET, "ana", PW, "10.0.0.1")
    who = principal_for_cookie(db, SECRET, res.cookie)
    check_csrf(SECRET, who, res.csrf_token)
    with pytest.raises(CsrfFailed):
        check_csrf(SECRET, who, None)
    with pytest.raises(SessionExpired):
        principal_for_cookie(db, "another secret key " * 3, res.cookie)
    second = login(db, fast, SECRET, "ana", PW, "10.0.0.1")
    with pytest.raises(CsrfFailed):  # one session's token is stale for another
        check_csrf(SECRET, principal_for_cookie(db, SECRET, second.cookie), res.csrf_token)
    logout(db, who)
    with pytest.raises(SessionExpired):
        principal_for_cookie(db, SECRET, res.cookie)
    reset_password(db, fast, "ana", "brand new passphrase")
    with pytest.raises(SessionExpired):
        principal_for_cookie(db, SECRET, second.cookie)


def test_login_rate_limit_holds_in_the_db(db, fast):
    add_user(db, fast, "ana", PW, "analyst")
    for _ in range(3):
        with pytest.raises(InvalidCredentials):
            login(db, fast, SECRET, "ana", "wrong", "10.0.0.2")
    with pytest.raises(RateLimited) as locked:  # the guessing client must wait, even with the right password
        login(db, fast, SECRET, "ana", PW, "10.0.0.2")
    assert locked.value.detail["limit"] == "user" and locked.value.detail["retry_after"] > 0
    # the real user at another address is not locked out by someone else's failures
    assert login(db, fast, SECRET, "ana", PW, "10.0.0.3").principal.username == "ana"
    with db.engine.begin() as conn:  # the window has passed
        conn.execute(
            sa.text("UPDATE login_attempts SET at = :t"), {"t": datetime.now(UTC) - timedelta(hours=1)}
        )
    assert login(db, fast, SECRET, "ana", PW, "10.0.0.2").principal.username == "ana"
    reasons = [e.detail["reason"] for e in trail(db) if e.action == "login.failed"]
    assert reasons == ["wrong_password"] * 3 + ["rate_limited"]
