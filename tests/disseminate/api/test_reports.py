"""Filing through the API (JSON, CSV, XLSX) with the intake's errors and warnings, and the review workflow:
return with a reason the filer sees, revise, accept — on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from sitmon.security.audit import trail

from ...collect.conftest import MONTHLY, write_csv
from .conftest import A, B, D, report


def test_file_return_revise_accept(api):
    res = api.file("filer_a", report(A, employees=1))  # 1 employee: revenue per employee out of range
    assert res.status_code == 201, res.json()
    body = res.json()
    assert (body["status"], body["new_reports"], body["form"]) == ("stored", 1, "monthly")
    assert [w["rule"] for w in body["warnings"]] == ["revenue_per_employee"]
    assert (
        body["warnings"][0]["message"]
        == body["warnings"][0]["message_en"]
        != body["warnings"][0]["message_zh"]
    )

    queue = api.client.get("/api/v1/review/queue", headers=api.auth("reviewer_bj")).json()
    assert queue["total"] == 1 and queue["items"][0]["uscc"] == A
    assert queue["items"][0]["warnings"][0]["rule"] == "revenue_per_employee"
    first = queue["items"][0]["id"]

    res = api.client.post(
        f"/api/v1/reports/{first}/return",
        json={"reason": "  从业人员填写有误  "},
        headers=api.auth("reviewer_bj"),
    )
    assert res.status_code == 200 and res.json()["status"] == "returned"
    mine = api.client.get("/api/v1/reports", params={"period": "2024-01"}, headers=api.auth("filer_a")).json()
    assert mine["items"][0]["status"] == "returned"
    assert mine["items"][0]["return_reason"] == "从业人员填写有误"

    res = api.file("filer_a", report(A, employees=50, note="更正从业人员"))
    assert res.status_code == 201 and res.json()["new_revisions"] == 1 and res.json()["warnings"] == []
    current = api.current_id("reviewer_bj", A)
    assert current != first
    history = api.client.get(f"/api/v1/reports/{current}/revisions", headers=api.auth("filer_a")).json()
    assert [(h["revision"], h["status"], h["current"]) for h in history] == [
        (1, "returned", False),
        (2, "submitted", True),
    ]
    assert history[0]["reviews"][0]["reason"] == "从业人员填写有误"

    stale = api.client.post(f"/api/v1/reports/{first}/accept", headers=api.auth("reviewer_bj"))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    res = api.client.post(f"/api/v1/reports/{current}/accept", headers=api.auth("reviewer_bj"))
    assert res.status_code == 200 and res.json()["status"] == "accepted"
    again = api.client.post(f"/api/v1/reports/{current}/accept", headers=api.auth("reviewer_bj"))
    assert again.status_code == 409

    actions = [(e.actor, e.action) for e in trail(api.db)]
    for expected in [
        ("filer_a", "report.filed"),
        ("reviewer_bj", "report.returned"),
        ("filer_a", "report.revised"),
        ("reviewer_bj", "report.accepted"),
    ]:
        assert expected in actions


def test_rejected_filing_lists_every_error_in_the_callers_language(api):
    before = api.snapshot()
    bad = report(A, revenue_total=1)
    res = api.client.post(
        "/api/v1/reports",
        json={"reports": [report(A, "2024-02"), bad]},
        headers=api.auth("filer_a", lang="zh-CN,zh;q=0.9,en;q=0.5"),
    )
    assert res.status_code == 422
    err = res.json()["error"]
    assert err["code"] == "report_rejected" and err["message"].startswith("报表未通过")
    issue = err["errors"][0]
    assert (issue["file"], issue["row"], issue["column"], issue["rule"]) == (
        "api",
        2,
        "revenue_total",
        "sector_sum",
    )
    assert (
        issue["message"] == issue["message_zh"] and "四项收入之和" in issue["message"] and issue["message_en"]
    )
    assert api.snapshot() == before


def test_dry_run_stores_nothing(api):
    before = api.snapshot()
    res = api.client.post(
        "/api/v1/reports", json={"reports": [report(A)], "dry_run": True}, headers=api.auth("filer_a")
    )
    assert res.status_code == 200 and res.json()["status"] == "dry_run"
    assert api.snapshot() == before


def test_upload_csv_and_xlsx_through_the_cli_intake(api, tmp_path):
    path = write_csv(tmp_path / "a.csv", [report(A)], encoding="gbk")
    data = path.read_bytes()
    res = api.client.post(
        "/api/v1/reports/upload", files={"file": ("一月.csv", data, "text/csv")}, headers=api.auth("filer_a")
    )
    assert res.status_code == 201, res.json()
    assert (res.json()["file"], res.json()["new_reports"]) == ("一月.csv", 1)
    again = api.client.post(
        "/api/v1/reports/upload", files={"file": ("一月.csv", data, "text/csv")}, headers=api.auth("filer_a")
    )
    assert again.status_code == 200 and again.json()["status"] == "unchanged"

    wb = Workbook()
    ws = wb.active
    ws.append(["uscc", "period", *MONTHLY, "note"])
    ws.append([A, "2024-02", *[report(A, scale=1.1)[c] for c in MONTHLY], None])
    buf = io.BytesIO()
    wb.save(buf)
    res = api.client.post(
        "/api/v1/reports/upload",
        data={"form": "monthly"},
        files={"file": ("feb.xlsx", buf.getvalue(), "application/octet-stream")},
        headers=api.auth("filer_a"),
    )
    assert res.status_code == 201 and res.json()["new_reports"] == 1

    bad = write_csv(tmp_path / "bad.csv", [report(A, "2024-03", revenue_total=5)])
    res = api.client.post(
        "/api/v1/reports/upload",
        files={"file": ("bad.csv", bad.read_bytes(), "text/csv")},
        headers=api.auth("filer_a"),
    )
    issue = res.json()["error"]["errors"][0]
    assert res.status_code == 422 and (issue["file"], issue["row"], issue["rule"]) == (
        "bad.csv",
        2,
        "sector_sum",
    )


def test_upload_limit_is_a_json_error(api):
    small = api.settings.model_copy(update={"max_upload_mb": 0.001})
    api.client.app.state.settings = small
    before = api.snapshot()
    res = api.client.post(
        "/api/v1/reports/upload",
        files={"file": ("big.csv", b"x" * 5000, "text/csv")},
        headers=api.auth("filer_a"),
    )
    assert res.status_code == 413 and res.json()["error"]["code"] == "payload_too_large"
    assert api.snapshot() == before


def test_a_declared_body_over_the_limit_is_refused_before_reading(sqlite_api):
    from fastapi.testclient import TestClient

    from sitmon.disseminate.api import create_app

    small = sqlite_api.settings.model_copy(update={"max_upload_mb": 0.01})  # 10 KB + 64 KB of form overhead
    before = sqlite_api.snapshot()
    with TestClient(create_app(small, db=sqlite_api.db)) as client:
        res = client.post(
            "/api/v1/reports/upload",
            files={"file": ("big.csv", b"x" * 100_000, "text/csv")},
            headers={"Accept-Language": "en"},
        )  # no credentials: refused before anything else
    assert res.status_code == 413 and res.json()["error"]["code"] == "payload_too_large"
    assert res.json()["error"]["message"] == "the upload is too large"
    assert sqlite_api.snapshot() == before


def test_queue_puts_warnings_first_and_pages(api):
    assert (
        api.file("admin", report(A), report(D, employees=1), report(A, "2024-02", scale=1.1)).status_code
        == 201
    )
    queue = api.client.get("/api/v1/review/queue", headers=api.auth("reviewer_bj")).json()
    assert queue["total"] == 3
    assert [(i["uscc"], i["period"]) for i in queue["items"]] == [
        (D, "2024-01"),
        (A, "2024-01"),
        (A, "2024-02"),
    ]
    page = api.client.get(
        "/api/v1/review/queue", params={"limit": 1, "offset": 1}, headers=api.auth("reviewer_bj")
    ).json()
    assert (page["total"], page["offset"], page["limit"]) == (3, 1, 1)
    assert [(i["uscc"], i["period"]) for i in page["items"]] == [(A, "2024-01")]
    listed = api.client.get(
        "/api/v1/reports", params={"limit": 2, "offset": 2}, headers=api.auth("analyst")
    ).json()
    assert listed["total"] == 3 and [(i["uscc"], i["period"]) for i in listed["items"]] == [(A, "2024-02")]


def test_late_filers_and_response_rates_by_scope(api):
    assert api.file("filer_a", report(A)).status_code == 201
    assert api.file("filer_b", report(B)).status_code == 201
    late = api.client.get(
        "/api/v1/review/late", params={"period": "2024-01"}, headers=api.auth("reviewer_bj")
    ).json()
    assert [i["name"] for i in late["items"]] == ["北京丁"] and late["items"][0]["last_period"] is None
    national = api.client.get(
        "/api/v1/review/late", params={"period": "2024-01"}, headers=api.auth("analyst")
    ).json()
    assert sorted(i["name"] for i in national["items"]) == ["北京丁", "成都丙"]

    rates = api.client.get(
        "/api/v1/review/response-rates", params={"period": "2024-01"}, headers=api.auth("reviewer_bj")
    ).json()
    assert rates == [
        {
            "province": "110000",
            "period": "2024-01",
            "expected": 2,
            "filed": 1,
            "accepted": 0,
            "returned": 0,
            "response_rate_pct": 50.0,
            "sector": None,
        }
    ]
    rates = api.client.get(
        "/api/v1/review/response-rates",
        params=[("period", "2024-01"), ("period", "2024-02")],
        headers=api.auth("analyst"),
    ).json()
    by = {(r["province"], r["period"]): r["response_rate_pct"] for r in rates}
    assert by == {
        ("110000", "2024-01"): 50.0,
        ("440000", "2024-01"): 100.0,
        ("510000", "2024-01"): 0.0,
        ("110000", "2024-02"): 0.0,
        ("440000", "2024-02"): 0.0,
        ("510000", "2024-02"): 0.0,
    }


@pytest.mark.slow
def test_analyst_publishes_and_everyone_signed_in_lists_releases(api):
    before = api.snapshot()
    empty = api.client.post("/api/v1/periods/2024-01/publish", json={}, headers=api.auth("analyst"))
    assert empty.status_code == 409 and "nothing to publish" in empty.json()["error"]["message"]
    assert api.snapshot() == before
    assert api.file("filer_a", report(A)).status_code == 201
    rid = api.current_id("analyst", A)
    assert api.client.post(f"/api/v1/reports/{rid}/accept", headers=api.auth("analyst")).status_code == 200
    refused = api.client.post("/api/v1/periods/2024-01/publish", json={}, headers=api.auth("reviewer_bj"))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    res = api.client.post(
        "/api/v1/periods/2024-01/publish",
        json={"force": True, "reason": "测试：部分企业未报 test: not every enterprise filed"},
        headers=api.auth("analyst"),
    )
    assert res.status_code == 201, res.json()
    assert (res.json()["number"], res.json()["respondents"], res.json()["expected"]) == (1, 1, 4)
    assert res.json()["created_at"].endswith("Z")
    second = api.client.post(
        "/api/v1/periods/2024-01/publish",
        json={"force": True, "reason": "测试：部分企业未报 test: not every enterprise filed"},
        headers=api.auth("admin"),
    ).json()
    assert second["number"] == 2
    listed = api.client.get("/api/v1/releases", headers=api.auth("filer_b")).json()
    assert [(r["period"], r["number"]) for r in listed] == [("2024-01", 1), ("2024-01", 2)]
    assert ("analyst", "period.published") in [(e.actor, e.action) for e in trail(api.db)]
