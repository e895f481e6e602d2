"""Sign-in, sessions, rate limiting, API tokens and user management through the API — all audited."""

from __future__ import annotations

from sitmon.security.audit import trail

from .conftest import PASSWORD, fast_settings


def test_login_me_logout(api):
    res = api.client.post("/api/v1/auth/login", json={"username": "reviewer_bj", "password": PASSWORD})
    assert res.status_code == 200
    body = res.json()
    assert body["user"]["role"] == "reviewer" and body["user"]["scope"] == "110000"
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "sitmon_session=" in cookie
    me = api.client.get("/api/v1/auth/me").json()
    assert (me["via"], me["csrf_token"]) == ("session", body["csrf_token"])
    assert api.client.post("/api/v1/auth/logout").json()["error"]["code"] == "csrf_failed"
    assert (
        api.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]}).status_code
        == 204
    )
    assert api.client.get("/api/v1/auth/me").status_code == 401
    token_me = api.client.get("/api/v1/auth/me", headers=api.auth("analyst")).json()
    assert (token_me["via"], token_me["csrf_token"]) == ("token", None)
    actions = [e.action for e in trail(api.db, actor="reviewer_bj")]
    assert actions.count("login.succeeded") == 1 and "logout" in actions


def test_failed_logins_are_limited_per_user_and_audited(api):
    wrong = {"username": "filer_a", "password": "wrong password!"}
    for _ in range(api.settings.login_max_failures):
        res = api.client.post("/api/v1/auth/login", json=wrong)
        assert res.status_code == 401 and res.json()["error"]["code"] == "invalid_credentials"
    unknown = api.client.post(
        "/api/v1/auth/login", json={"username": "nobody", "password": "x"}, headers={"Accept-Language": "en"}
    )
    assert unknown.json()["error"] == {
        "code": "invalid_credentials",
        "message": "wrong user name or password",
    }
    locked = api.client.post("/api/v1/auth/login", json={"username": "filer_a", "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "too_many_attempts"
    assert 1 <= int(locked.headers["retry-after"]) <= api.settings.login_window_minutes * 60
    assert (
        api.client.post("/api/v1/auth/login", json={"username": "filer_b", "password": PASSWORD}).status_code
        == 200
    )
    failed = [e for e in trail(api.db) if e.action == "login.failed"]
    assert [e.detail["reason"] for e in failed] == ["wrong_password"] * 5 + ["unknown_user", "rate_limited"]
    assert all(e.detail["ip"] == "testclient" for e in failed)


def test_failed_logins_are_limited_per_address(api):
    api.client.app.state.settings = fast_settings(api.settings, login_max_failures_per_ip=3)
    for name in ("a1", "a2", "a3"):
        assert (
            api.client.post("/api/v1/auth/login", json={"username": name, "password": "x"}).status_code == 401
        )
    res = api.client.post("/api/v1/auth/login", json={"username": "filer_a", "password": PASSWORD})
    assert res.status_code == 429


def test_own_tokens_are_created_once_listed_and_revoked(api):
    res = api.client.post(
        "/api/v1/tokens", json={"name": "erp", "expires_days": 30}, headers=api.auth("filer_a")
    )
    assert res.status_code == 201
    new = res.json()
    assert new["token"].startswith("sitmon_") and new["token"].startswith(new["prefix"])
    listed = api.client.get("/api/v1/tokens", headers=api.auth("filer_a")).json()
    assert {t["name"] for t in listed} == {"tests", "erp"} and all("token" not in t for t in listed)
    fresh = {"Authorization": f"Bearer {new['token']}"}
    assert api.client.get("/api/v1/auth/me", headers=fresh).json()["user"]["username"] == "filer_a"
    other = api.client.delete(f"/api/v1/tokens/{new['id']}", headers=api.auth("filer_b"))
    assert other.status_code == 404
    revoked = api.client.delete(f"/api/v1/tokens/{new['id']}", headers=api.auth("filer_a"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert api.client.get("/api/v1/auth/me", headers=fresh).json()["error"]["code"] == "invalid_token"
    assert ("filer_a", "token.revoked") in [(e.actor, e.action) for e in trail(api.db)]


def test_admin_manages_users(api):
    body = {"username": "zj_reviewer", "password": PASSWORD, "role": "reviewer", "scope": "330000"}
    res = api.client.post("/api/v1/users", json=body, headers=api.auth("admin"))
    assert res.status_code == 201 and res.json()["scope"] == "330000"
    dup = api.client.post("/api/v1/users", json=body, headers=api.auth("admin"))
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "conflict"
    bad = api.client.post(
        "/api/v1/users", json={**body, "username": "x2", "scope": "330100"}, headers=api.auth("admin")
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    weak = api.client.post(
        "/api/v1/users", json={**body, "username": "x3", "password": "short"}, headers=api.auth("admin")
    )
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "invalid_input"
    assert {u["username"] for u in api.client.get("/api/v1/users", headers=api.auth("admin")).json()} >= {
        "zj_reviewer",
        "admin",
    }
    res = api.client.patch(
        "/api/v1/users/zj_reviewer", json={"password": "another good one"}, headers=api.auth("admin")
    )
    assert res.status_code == 200
    login = api.client.post(
        "/api/v1/auth/login", json={"username": "zj_reviewer", "password": "another good one"}
    )
    assert login.status_code == 200
    assert api.client.get("/api/v1/users/nobody", headers=api.auth("admin")).status_code == 404
    changes = [
        e.detail["change"]
        for e in trail(api.db)
        if e.action == "user.changed" and e.object_id == "zj_reviewer"
    ]
    assert changes == ["created", "password_reset"]


def test_audit_is_read_only_and_for_admins(api):
    assert api.client.get("/api/v1/audit", headers=api.auth("analyst")).status_code == 403
    events = api.client.get("/api/v1/audit", params={"actor": "cli"}, headers=api.auth("admin")).json()
    assert {e["action"] for e in events} >= {"user.changed", "token.created"}
    for method in ("post", "put", "patch", "delete"):
        res = getattr(api.client, method)("/api/v1/audit", headers=api.auth("admin"))
        assert res.status_code == 405 and res.json()["error"]["code"] == "method_not_allowed"
