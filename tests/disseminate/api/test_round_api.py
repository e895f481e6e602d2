"""The monthly round over the API, with the same rules as the CLI (issue 14): a warning the enterprise has not
explained needs the reviewer's reason (audited), bulk acceptance skips it, one report against last month and
last year, response rates by sector, the publish guard (refused with the preview and nothing changed, dry run,
forced with a reason), the release calendar and the revision notice — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from sitmon.security.audit import trail

from .conftest import A, B, C, D, report

FORCE = {"force": True, "reason": "测试 test"}


def _state(api):
    """The snapshot with the warehouse's files only (a refused publish may leave the empty period folder it
    staged in; no file, no release)."""
    snap = api.snapshot()
    wh = api.settings.warehouse_dir
    snap["warehouse"] = [w for w in snap["warehouse"] if (wh / w).is_file()]
    return snap


def _accept(api, uscc, user="analyst", body=None, period="2024-01"):
    rid = api.current_id("analyst", uscc, period)
    return rid, api.client.post(f"/api/v1/reports/{rid}/accept", json=body, headers=api.auth(user))


def test_an_unexplained_warning_needs_the_reviewers_reason(api):
    assert api.file("filer_a", report(A, "2023-01")).status_code == 201
    assert api.file("filer_a", report(A, "2024-01", 2.0)).status_code == 201  # +100 %: a warning, no note
    before = api.snapshot()
    rid, res = _accept(api, A, "reviewer_bj")
    assert res.status_code == 409 and res.json()["error"]["code"] == "conflict"
    assert (
        res.json()["error"]["unexplained"] == ["yoy_change"] and "explain" in res.json()["error"]["message"]
    )
    assert api.snapshot() == before
    _, res = _accept(api, A, "reviewer_bj", {"reason": "企业电话说明：新签大额合同"})
    assert res.status_code == 200 and res.json()["status"] == "accepted"
    event = [e for e in trail(api.db) if e.action == "report.accepted" and e.object_id == str(rid)][-1]
    assert event.actor == "reviewer_bj" and event.detail["reason"] == "企业电话说明：新签大额合同"
    assert event.detail["unexplained"] == ["yoy_change"]


def test_bulk_acceptance_skips_unexplained_warnings_within_the_reviewers_scope(api):
    for user, uscc in (("filer_a", A), ("filer_b", B)):
        assert api.file(user, report(uscc, "2023-01")).status_code == 201
    assert api.file("filer_a", report(A, "2024-01", 1.9)).status_code == 201  # unexplained
    assert (
        api.file("filer_b", report(B, "2024-01", 1.9, note="并购 acquisition")).status_code == 201
    )  # explained
    res = api.client.post(
        "/api/v1/review/accept", json={"period": "2024-01"}, headers=api.auth("reviewer_gd")
    )
    assert (
        res.status_code == 200 and res.json()["accepted"] == 1 and res.json()["skipped"] == []
    )  # B only (own province)
    res = api.client.post("/api/v1/review/accept", json={"period": "2024-01"}, headers=api.auth("analyst"))
    body = res.json()
    assert body["accepted"] == 0 and [(s["uscc"], s["rules"]) for s in body["skipped"]] == [
        (A, ["yoy_change"])
    ]
    outside = api.client.post(
        "/api/v1/review/accept",
        json={"period": "2024-01", "province": "440000"},
        headers=api.auth("reviewer_bj"),
    )
    assert outside.status_code == 403 and outside.json()["error"]["code"] == "outside_scope"


def test_one_report_against_last_month_and_last_year(api):
    for period, scale in (("2023-02", 1.0), ("2024-01", 0.6), ("2024-02", 1.5)):
        assert api.file("filer_a", report(A, period, scale, note="x")).status_code == 201
    rid = api.current_id("analyst", A, "2024-02")
    body = api.client.get(f"/api/v1/reports/{rid}/compare", headers=api.auth("reviewer_bj")).json()
    assert (body["last_month_period"], body["last_year_period"]) == ("2024-01", "2023-02")
    revenue = next(r for r in body["rows"] if r["indicator"] == "revenue_total")
    assert (revenue["value"], revenue["last_month"], revenue["last_year"]) == (1500.0, 600.0, 1000.0)
    assert (revenue["vs_last_month_pct"], revenue["yoy_pct"]) == (150.0, 50.0)
    hidden = api.client.get(f"/api/v1/reports/{rid}/compare", headers=api.auth("reviewer_gd"))
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"


def test_late_filers_with_contacts_and_rates_by_sector(api):
    assert api.file("filer_a", report(A)).status_code == 201
    late = api.client.get(
        "/api/v1/review/late", params={"period": "2024-01"}, headers=api.auth("analyst")
    ).json()
    assert {i["uscc"] for i in late["items"]} == {B, C, D}
    assert {i["status"] for i in late["items"]} == {"missing"} and "contact" in late["items"][0]
    rates = api.client.get(
        "/api/v1/review/response-rates",
        params={"period": "2024-01", "by_sector": "true"},
        headers=api.auth("reviewer_bj"),
    ).json()
    assert {(r["province"], r["sector"], r["expected"], r["filed"]) for r in rates} == {
        ("110000", "it_services", 2, 1)
    }
    # the lists for chasing as files, through the writers registry (read back)
    got = api.client.get(
        "/api/v1/review/response-rates",
        params={"period": "2024-01", "by_sector": "true", "format": "csv", "encoding": "gbk"},
        headers={**api.auth("reviewer_bj"), "Accept-Language": "zh"},
    )
    assert got.status_code == 200 and "charset=gbk" in got.headers["content-type"]
    assert 'filename="sitmon-response-rates-2024-01.csv"' in got.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(got.content.decode("gbk"))))
    assert lines[0][0].startswith("报送率") and lines[2][0] == "110000" and lines[2][4:6] == ["2", "1"]
    got = api.client.get(
        "/api/v1/review/late", params={"period": "2024-01", "format": "xlsx"}, headers=api.auth("analyst")
    )
    sheet = [[c.value for c in r] for r in openpyxl.load_workbook(io.BytesIO(got.content)).active.iter_rows()]
    assert {r[0] for r in sheet[4:] if r and r[0] in {B, C, D}} == {B, C, D}


@pytest.mark.slow
def test_the_publish_guard_refuses_previews_and_is_forced_with_a_reason(api):
    assert api.file("filer_a", report(A)).status_code == 201
    _accept(api, A)
    before = _state(api)
    res = api.client.post("/api/v1/periods/2024-01/publish", json={}, headers=api.auth("analyst"))
    assert res.status_code == 409 and res.json()["error"]["code"] == "publish_refused"
    preview = res.json()["error"]["preview"]
    assert (preview["expected"], preview["respondents"], preview["response_rate_pct"]) == (4, 1, 25.0)
    assert [p["code"] for p in preview["problems"]] == ["low_response"]
    assert "25.0" in res.json()["error"]["message"]
    assert _state(api) == before  # nothing published, no file left in the warehouse
    dry = api.client.post(
        "/api/v1/periods/2024-01/publish", json={"dry_run": True}, headers=api.auth("analyst")
    )
    assert (
        dry.status_code == 200
        and dry.json()["number"] == 1
        and dry.json()["problems"][0]["code"] == "low_response"
    )
    assert _state(api) == before
    no_reason = api.client.post(
        "/api/v1/periods/2024-01/publish", json={"force": True}, headers=api.auth("analyst")
    )
    assert no_reason.status_code == 422 and _state(api) == before
    done = api.client.post("/api/v1/periods/2024-01/publish", json=FORCE, headers=api.auth("analyst"))
    assert done.status_code == 201 and done.json()["number"] == 1 and done.json()["preview"]["forced"] is True
    event = [e for e in trail(api.db) if e.action == "period.published"][-1]
    assert (event.actor, event.detail["forced"], event.detail["reason"]) == ("analyst", True, "测试 test")
    reviewer = api.client.post("/api/v1/periods/2024-01/publish", json=FORCE, headers=api.auth("reviewer_bj"))
    assert reviewer.status_code == 403


@pytest.mark.slow
def test_calendar_and_revision_notice(api):
    missing = api.client.get("/api/v1/releases/monthly/2024-01/revisions", headers=api.auth("analyst"))
    assert missing.status_code == 404
    for user, uscc in (("filer_a", A), ("filer_b", B)):
        assert api.file(user, report(uscc)).status_code == 201
        _accept(api, uscc)
    assert (
        api.client.post(
            "/api/v1/periods/2024-01/publish", json=FORCE, headers=api.auth("analyst")
        ).status_code
        == 201
    )
    first = api.client.get("/api/v1/releases/monthly/2024-01/revisions", headers=api.auth("filer_a")).json()
    assert first["number"] == 1 and first["previous"] is None and first["cells"] == []
    cal = api.client.get(
        "/api/v1/releases/calendar", params={"year": 2024}, headers=api.auth("filer_a")
    ).json()
    jan = next(c for c in cal if c["period"] == "2024-01")
    assert (
        jan["planned"] == "2024-03-20"
        and jan["status"] == "late"
        and jan["days_late"] > 0
        and jan["releases"] == 1
    )
    assert next(c for c in cal if c["period"] == "2024-02")["status"] == "overdue"
