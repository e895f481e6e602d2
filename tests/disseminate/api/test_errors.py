"""Every error is JSON with a stable code and a message in the caller's language."""

from __future__ import annotations

import pytest

from sitmon.disseminate.api.errors import CODES, language


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr,en;q=0.5,zh;q=0.4", "en"),
        ("en;q=0.2,zh;q=0.8", "zh"),
        ("de", "zh"),
        ("en;q=x", "zh"),
    ],
)
def test_language_follows_accept_language(header, lang):
    assert language(header, "zh") == lang


def test_unknown_path_method_and_validation_are_json(sqlite_api):
    c = sqlite_api.client
    res = c.get("/api/v1/no/such/thing", headers={"Accept-Language": "zh"})
    assert res.status_code == 404 and res.json() == {"error": {"code": "not_found", "message": "不存在"}}
    page = c.get("/nothing-here", headers={"Accept-Language": "en"})  # outside /api/: the HTML error page
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    res = c.delete("/api/v1/reports", headers=sqlite_api.auth("admin"))
    assert res.status_code == 405 and res.json()["error"]["code"] == "method_not_allowed"
    res = c.get("/api/v1/reports", params={"period": "2024-13", "limit": 0}, headers=sqlite_api.auth("admin"))
    err = res.json()["error"]
    assert res.status_code == 422 and err["code"] == "validation_error"
    assert {tuple(e["loc"]) for e in err["errors"]} == {("query", "period"), ("query", "limit")}
    res = c.post(
        "/api/v1/reports",
        content=b"{not json",
        headers={**sqlite_api.auth("filer_a"), "Content-Type": "application/json"},
    )
    assert res.status_code == 422 and res.json()["error"]["code"] == "validation_error"


def test_codes_are_documented_in_the_api_doc():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in doc]
    assert missing == []


def test_openapi_document_is_served_without_a_cdn_page(sqlite_api):
    doc = sqlite_api.client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "sitmon API"
    assert "/api/v1/aggregates" in doc["paths"] and "/api/v1/reports/{report_id}/return" in doc["paths"]
    assert sqlite_api.client.get("/docs").status_code == 404


def test_a_period_outside_the_years_is_refused_in_the_callers_language(sqlite_api):
    c = sqlite_api.client
    q = {"indicator": "revenue_total", "period": "0001-01"}
    res = c.get("/api/v1/aggregates/confidential", params=q, headers=sqlite_api.auth("analyst", "en"))
    err = res.json()["error"]
    assert res.status_code == 422 and err["code"] == "validation_error"
    assert "outside 1990–2100" in err["errors"][0]["msg"]
    res = c.get(
        "/api/v1/aggregates/confidential",
        params={**q, "period": "1990", "measure": "yoy"},
        headers=sqlite_api.auth("analyst", "zh"),
    )
    assert res.status_code == 422 and res.json()["error"]["code"] == "query_error"  # never a 500


def test_keyed_errors_and_validator_messages_in_the_callers_language(sqlite_api):
    """A query the layer below refuses, and a validator's own refusal, say why in the caller's language; the body
    keeps its shape (code, message, and the validation errors' loc / msg / type)."""
    c = sqlite_api.client
    said = {}
    for lang in ("zh", "en"):
        res = c.get(
            "/api/v1/aggregates",
            params={"indicator": "revenue_total", "period": "2024-01"},
            headers=sqlite_api.auth("admin", lang),
        )
        assert res.status_code == 422 and set(res.json()["error"]) == {"code", "message"}
        said[lang] = res.json()["error"]["message"]
        # `by=region,sector` is welcome since issue 13; a range the wrong way round is the validator's refusal now
        bad = c.get(
            "/api/v1/aggregates",
            params={"indicator": "revenue_total", "period": "2024-12:2024-01"},
            headers=sqlite_api.auth("admin", lang),
        )
        err = bad.json()["error"]
        assert bad.status_code == 422 and err["code"] == "validation_error"
        said[f"range_{lang}"] = err["errors"][0]["msg"]
    assert "尚未发布" in said["zh"] or "没有已发布" in said["zh"]
    assert "published" in said["en"]
    assert "起点晚于终点" in said["range_zh"] and "starts after it ends" in said["range_en"]
