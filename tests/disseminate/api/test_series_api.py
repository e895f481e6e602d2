"""``/series`` and ``/plans/status``: citations first, vintages, the public label, the backtest endpoint."""

from sitmon.disseminate.plans import plan_status
from sitmon.disseminate.projections import series_backtest


def test_series_in_either_vintage_with_the_official_citation(sqlite_api):
    get = sqlite_api.client.get
    latest = get("/api/v1/series/revenue_total", headers=sqlite_api.auth("analyst", "zh")).json()
    assert (
        latest["vintage"] == "latest"
        and latest["public"] is True
        and latest["revised_years"] == [2016, 2017, 2018, 2019]
    )
    assert "公开数据" in latest["label"] and "机密" not in str(latest)
    used = {o["year"]: o for o in latest["observations"] if o["used"]}
    assert used[2019]["value"] == 72072 and used[2019]["kind"] == "revised"
    o = used[2024]
    assert o["citation"]["official"] == {
        "year": 2024,
        "title": "2024年软件和信息技术服务业主要指标",
        "publisher": "工业和信息化部运行监测协调局",
        "published": "2025-01-26",
        "confidence": "high",
        "note": o["citation"]["official"]["note"],
    }
    assert o["citation_text"].startswith("工业和信息化部运行监测协调局《2024年") and o["source"].startswith(
        "http://m.t-block"
    )
    first = get(
        "/api/v1/series/revenue_total", params={"vintage": "first"}, headers=sqlite_api.auth("filer_a")
    ).json()
    used_first = {o["year"]: o for o in first["observations"] if o["used"]}
    assert used_first[2019]["value"] == 71768 and used_first[2016]["value"] == 49000
    assert first["vintage_note"].startswith("vintage: first-published")
    assert (
        get(
            "/api/v1/series/revenue_total", params={"vintage": "2019"}, headers=sqlite_api.auth("analyst")
        ).status_code
        == 422
    )
    assert get("/api/v1/series/revenue_total").status_code == 401  # anonymous reading is off here


def test_backtest_endpoint_is_the_cli_function(sqlite_api):
    get = sqlite_api.client.get
    body = get(
        "/api/v1/series/exports_usd/backtest", params={"horizons": "1-3"}, headers=sqlite_api.auth("analyst")
    ).json()
    want = series_backtest("exports_usd", "1-3")
    assert [(r["origin"], r["horizon"], r["projection"]) for r in body["rows"]] == [
        (r.origin, r.horizon, r.projection) for r in want.rows
    ]
    assert [s["coverage80_pct"] for s in body["summary"]] == [s.coverage80_pct for s in want.summary]
    for params, code in (({"horizons": "0-2"}, 422), ({"horizons": "1;DROP"}, 422), ({"vintage": "x"}, 422)):
        assert (
            get(
                "/api/v1/series/exports_usd/backtest", params=params, headers=sqlite_api.auth("analyst")
            ).status_code
            == code
        )
    assert get("/api/v1/series/nope/backtest", headers=sqlite_api.auth("analyst")).status_code == 404
    bad = get("/api/v1/series/revenue_total_yoy/backtest", headers=sqlite_api.auth("analyst"))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "query_error"


def test_plan_status_names_its_vintage_citation_and_the_record_of_its_call(sqlite_api):
    get = sqlite_api.client.get
    rows = get("/api/v1/plans/status", params={"plan": "14th_fyp"}, headers=sqlite_api.auth("analyst")).json()
    rev = next(r for r in rows if r["target_id"] == "14th-01")
    assert rev["vintage"] == "latest" and rev["latest_citation"].startswith(
        "工业和信息化部运行监测协调局, “2024年"
    )
    assert rev["outlook"]["call"] == rev["status"] and rev["outlook"]["cases"] >= rev["outlook"]["hits"] > 0
    assert rev["projection"]["origin"] == 2024 and rev["projection"]["errors"] >= 8
    first = get(
        "/api/v1/plans/status",
        params={"plan": "13th_fyp", "vintage": "first", "as_of": 2019},
        headers=sqlite_api.auth("analyst"),
    ).json()
    want = plan_status(sqlite_api.settings, "13th_fyp", 2019, "first")
    assert [(r["target_id"], r["status"], r["vintage"]) for r in first] == [
        (t.target_id, t.status, "first") for t in want
    ]
    assert first[0]["latest_value"] == 71768  # 2019 as first published
    assert (
        get(
            "/api/v1/plans/status", params={"vintage": "final"}, headers=sqlite_api.auth("analyst")
        ).status_code
        == 422
    )
