"""Refusals, each with its status and code AND nothing changed: a filer reaching for another enterprise's
reports (by id, by USCC, in a period listing, by filing), a reviewer outside their province, a filer asking
for micro-data, a stale CSRF token, a revoked token, a disabled user — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sitmon.security.tokens import list_tokens, revoke_token

from ...collect.conftest import write_csv
from .conftest import PASSWORD, A, B, C, report


@pytest.fixture
def filed(api):
    """A's and B's January reports filed and accepted, and January published."""
    for user, uscc in (("filer_a", A), ("filer_b", B)):
        assert api.file(user, report(uscc)).status_code == 201
        rid = api.current_id("analyst", uscc)
        assert (
            api.client.post(f"/api/v1/reports/{rid}/accept", headers=api.auth("analyst")).status_code == 200
        )
    assert (
        api.client.post(
            "/api/v1/periods/2024-01/publish",
            json={"force": True, "reason": "测试：部分企业未报 test: not every enterprise filed"},
            headers=api.auth("analyst"),
        ).status_code
        == 201
    )
    return {"a": api.current_id("analyst", A), "b": api.current_id("analyst", B)}


def _refused(res, status: int, code: str) -> None:
    assert res.status_code == status, res.json()
    assert res.json()["error"]["code"] == code


def test_filer_cannot_read_another_enterprises_report_by_id(api, filed):
    before = api.snapshot()
    for path in (f"/api/v1/reports/{filed['b']}", f"/api/v1/reports/{filed['b']}/revisions"):
        res = api.client.get(path, headers=api.auth("filer_a"))
        _refused(res, 404, "not_found")
        missing = api.client.get(path.replace(str(filed["b"]), "999999"), headers=api.auth("filer_a"))
        assert (
            missing.json()["error"]["code"] == "not_found"
        )  # the same answer as for a report that does not exist
    assert api.snapshot() == before


def test_filer_cannot_list_another_enterprise_by_uscc(api, filed):
    before = api.snapshot()
    for uscc in (B, C, "X" * 18):  # registered, registered without reports, not registered: one answer
        _refused(
            api.client.get("/api/v1/reports", params={"uscc": uscc}, headers=api.auth("filer_a")),
            403,
            "outside_scope",
        )
    assert api.snapshot() == before


def test_filer_period_listing_holds_only_their_own(api, filed):
    res = api.client.get("/api/v1/reports", params={"period": "2024-01"}, headers=api.auth("filer_a")).json()
    assert res["total"] == 1 and [i["uscc"] for i in res["items"]] == [A]
    everyone = api.client.get(
        "/api/v1/reports", params={"period": "2024-01"}, headers=api.auth("analyst")
    ).json()
    assert everyone["total"] == 2


def test_filer_cannot_file_or_review_another_enterprises_report(api, filed, tmp_path):
    before = api.snapshot()
    res = api.file("filer_a", report(B, "2024-02"))
    _refused(res, 403, "outside_scope")
    assert res.json()["error"]["errors"][0]["rule"] == "own_enterprise"
    mixed = api.file("filer_a", report(A, "2024-02"), report(B, "2024-02"))
    _refused(mixed, 403, "outside_scope")
    upload = write_csv(tmp_path / "b.csv", [report(B, "2024-02")])
    res = api.client.post(
        "/api/v1/reports/upload",
        files={"file": ("b.csv", upload.read_bytes(), "text/csv")},
        headers=api.auth("filer_a"),
    )
    _refused(res, 403, "outside_scope")
    for action, body in (("accept", None), ("return", {"reason": "x"})):
        for rid in (filed["a"], filed["b"]):
            res = api.client.post(f"/api/v1/reports/{rid}/{action}", json=body, headers=api.auth("filer_a"))
            _refused(res, 403, "forbidden")
    assert api.snapshot() == before


def test_reviewer_outside_their_province(api, filed):
    before = api.snapshot()
    gd = api.auth("reviewer_gd")
    _refused(api.client.get(f"/api/v1/reports/{filed['a']}", headers=gd), 404, "not_found")
    _refused(api.client.post(f"/api/v1/reports/{filed['a']}/accept", headers=gd), 404, "not_found")
    _refused(
        api.client.post(f"/api/v1/reports/{filed['a']}/return", json={"reason": "no"}, headers=gd),
        404,
        "not_found",
    )
    _refused(
        api.client.get("/api/v1/review/queue", params={"province": "110000"}, headers=gd),
        403,
        "outside_scope",
    )
    _refused(
        api.client.get("/api/v1/review/late", params={"period": "2024-01", "province": "110000"}, headers=gd),
        403,
        "outside_scope",
    )
    _refused(
        api.client.get("/api/v1/reports", params={"province": "110000"}, headers=gd), 403, "outside_scope"
    )
    _refused(
        api.client.get(f"/api/v1/microdata/enterprises/{A}", params={"period": "2024-01"}, headers=gd),
        404,
        "not_found",
    )
    _refused(
        api.client.get(
            "/api/v1/microdata/ranking",
            params={"indicator": "revenue_total", "period": "2024-01", "province": "110000"},
            headers=gd,
        ),
        403,
        "outside_scope",
    )
    listed = api.client.get("/api/v1/reports", params={"period": "2024-01"}, headers=gd).json()
    assert [i["uscc"] for i in listed["items"]] == [B]
    ranking = api.client.get(
        "/api/v1/microdata/ranking", params={"indicator": "revenue_total", "period": "2024-01"}, headers=gd
    ).json()
    assert [r["uscc"] for r in ranking["rows"]] == [B] and ranking["confidential"] is True
    assert api.snapshot() == before


def test_filer_asking_for_microdata_is_refused(api, filed):
    before = api.snapshot()
    q = {"indicator": "revenue_total", "period": "2024-01"}
    for path, params in (
        ("/api/v1/microdata/ranking", q),
        (f"/api/v1/microdata/enterprises/{A}", {"period": "2024-01"}),
        ("/api/v1/aggregates/confidential", {**q, "by": "province"}),
    ):
        _refused(api.client.get(path, params=params, headers=api.auth("filer_a")), 403, "forbidden")
        _refused(api.client.get(path, params=params, headers=api.auth(None)), 401, "not_authenticated")
    assert api.snapshot() == before


def test_stale_csrf_token_is_refused(api, filed):
    login = {"username": "filer_a", "password": PASSWORD}
    first = api.client.post("/api/v1/auth/login", json=login)
    assert first.status_code == 200
    stale = first.json()["csrf_token"]
    logout = api.client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": stale})
    assert logout.status_code == 204
    second = api.client.post("/api/v1/auth/login", json=login)
    fresh = second.json()["csrf_token"]
    assert fresh != stale
    before = api.snapshot()
    for headers in ({"X-CSRF-Token": stale}, {}, {"X-CSRF-Token": "0" * 64}):
        res = api.client.post("/api/v1/reports", json={"reports": [report(A, "2024-02")]}, headers=headers)
        _refused(res, 403, "csrf_failed")
    assert api.snapshot() == before
    ok = api.client.post(
        "/api/v1/reports", json={"reports": [report(A, "2024-02")]}, headers={"X-CSRF-Token": fresh}
    )
    assert ok.status_code == 201


def test_ended_session_is_refused(api):
    api.client.post("/api/v1/auth/login", json={"username": "filer_a", "password": PASSWORD})
    assert api.client.get("/api/v1/auth/me").status_code == 200
    with api.db.engine.begin() as conn:  # the session's lifetime is over
        conn.execute(sa.text("UPDATE web_sessions SET expires_at = :t"), {"t": "2000-01-01 00:00:00"})
    _refused(api.client.get("/api/v1/auth/me"), 401, "session_expired")
    api.client.cookies.set("sitmon_session", "forged.value")
    _refused(api.client.get("/api/v1/auth/me"), 401, "session_expired")


def test_revoked_token_is_refused(api, filed):
    token_id = next(t.id for t in list_tokens(api.db, "filer_a"))
    assert api.client.get("/api/v1/auth/me", headers=api.auth("filer_a")).status_code == 200
    revoke_token(api.db, token_id)
    before = api.snapshot()
    _refused(api.client.get("/api/v1/reports", headers=api.auth("filer_a")), 401, "invalid_token")
    _refused(api.file("filer_a", report(A, "2024-02")), 401, "invalid_token")
    res = api.client.get("/api/v1/auth/me", headers=api.auth("filer_a"))
    assert res.headers["www-authenticate"] == "Bearer"
    assert api.snapshot() == before


def test_disabled_user_is_refused_everywhere(api):
    api.client.post("/api/v1/auth/login", json={"username": "filer_b", "password": PASSWORD})
    res = api.client.patch("/api/v1/users/filer_b", json={"disabled": True}, headers=api.auth("admin"))
    assert res.status_code == 200 and res.json()["disabled"] is True
    before = api.snapshot()
    _refused(api.client.get("/api/v1/auth/me", headers=api.auth("filer_b")), 401, "invalid_token")
    api.client.headers.pop("Authorization", None)
    _refused(api.client.get("/api/v1/auth/me"), 401, "session_expired")
    _refused(
        api.client.post("/api/v1/auth/login", json={"username": "filer_b", "password": PASSWORD}),
        401,
        "invalid_credentials",
    )
    after = api.snapshot()
    assert {k: v for k, v in after.items() if k != "audit_events"} == {
        k: v for k, v in before.items() if k != "audit_events"
    }
    assert after["audit_events"] == before["audit_events"] + 1  # the failed login is audited


def test_only_admins_manage_users(api):
    before = api.snapshot()
    body = {"username": "new_filer", "password": PASSWORD, "role": "filer", "scope": C}
    for user in ("filer_a", "reviewer_bj", "analyst"):
        _refused(api.client.post("/api/v1/users", json=body, headers=api.auth(user)), 403, "forbidden")
        _refused(
            api.client.patch("/api/v1/users/filer_a", json={"disabled": True}, headers=api.auth(user)),
            403,
            "forbidden",
        )
    assert api.snapshot() == before
