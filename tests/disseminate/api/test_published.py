"""Published and confidential figures on the session's published releases: disclosure-controlled aggregates,
unsuppressed tables and micro-data by scope, plans and series, and public_read; the release cache."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.disseminate.plans import plan_status
from sitmon.security.tokens import create_token
from sitmon.security.users import add_user
from sitmon.store.db import Database

from .conftest import FAST, PASSWORD, A, D, report

PERIOD = "2024-06"
MEASURES3 = ["ytd", "yoy", "yoy_comparable"]


@dataclass
class PubApi:
    client: TestClient
    headers: dict[str, dict[str, str]]
    province: str
    other: str
    settings: Settings


@pytest.fixture(scope="module")
def pub(published, tmp_path_factory) -> Iterator[PubApi]:
    """The API over the published warehouse (its own DB for users), anonymous reading on."""
    exp = published.expected
    counts = exp[exp.period == PERIOD].province.value_counts()
    province, other = counts.index[0], counts.index[1]
    dbfile = tmp_path_factory.mktemp("pub-api") / "users.db"
    s = Settings(home=published.settings.home, database_url=f"sqlite:///{dbfile}", public_read=True, **FAST)
    db = Database(s)
    db.upgrade()
    filer_uscc = exp[exp.province == province].uscc.iloc[0]
    headers = {}
    for name, role, scope in (
        ("an", "analyst", None),
        ("rv", "reviewer", province),
        ("fi", "filer", filer_uscc),
    ):
        add_user(db, s, name, PASSWORD, role, scope)
        headers[name] = {"Authorization": f"Bearer {create_token(db, name).token}", "Accept-Language": "en"}
    with TestClient(create_app(s, db=db)) as client:
        yield PubApi(client, headers, province, other, s)
    db.dispose()


def _sums(published, by):
    exp = published.expected
    return exp[exp.period == PERIOD].groupby(by).revenue_total.sum()


def test_confidential_tables_by_scope(pub, published):
    q = {"indicator": "revenue_total", "period": PERIOD, "by": ["province", "sector"]}
    national = pub.client.get("/api/v1/aggregates/confidential", params=q, headers=pub.headers["an"]).json()
    assert (national["confidential"], national["protected"]) == (True, False)
    want = _sums(published, ["province", "sector"])
    got = {(r["province"], r["sector"]): r["value"] for r in national["rows"]}
    assert set(got) == set(want.index)
    assert all(abs(got[k] - want[k]) < 1e-6 * max(1, want[k]) for k in got)
    assert set(national["rows"][0]) == {"province", "sector", "period", "measure", "value", "flag"}

    mine = pub.client.get("/api/v1/aggregates/confidential", params=q, headers=pub.headers["rv"]).json()
    assert {r["province"] for r in mine["rows"]} == {pub.province}
    assert len(mine["rows"]) == len([k for k in want.index if k[0] == pub.province])
    refused = pub.client.get(
        "/api/v1/aggregates/confidential", params={**q, "by": ["sector"]}, headers=pub.headers["rv"]
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "outside_scope"
    wide = pub.client.get(
        "/api/v1/aggregates/confidential", params={**q, "layout": "wide"}, headers=pub.headers["rv"]
    ).json()
    assert wide["total_rows"] == 0 and {r["province"] for r in wide["rows"]} == {
        pub.province
    }  # no national total
    whole = pub.client.get(
        "/api/v1/aggregates/confidential", params={**q, "layout": "wide"}, headers=pub.headers["an"]
    ).json()
    assert whole["total_rows"] == 1 and whole["rows"][0]["province_name"] == "National total"


def test_rankings_by_scope_match_pandas(pub, published):
    exp = published.expected
    cur = exp[exp.period == PERIOD].sort_values("revenue_total", ascending=False)
    q = {"indicator": "revenue_total", "period": PERIOD, "n": 5}
    top = pub.client.get("/api/v1/microdata/ranking", params=q, headers=pub.headers["an"]).json()
    assert [r["uscc"] for r in top["rows"]] == list(cur.uscc[:5]) and top["confidential"] is True
    assert [r["rank"] for r in top["rows"]] == [1, 2, 3, 4, 5] and top["unit"] == "10k_cny"
    mine = pub.client.get("/api/v1/microdata/ranking", params=q, headers=pub.headers["rv"]).json()
    assert [r["uscc"] for r in mine["rows"]] == list(cur[cur.province == pub.province].uscc[:5])
    assert mine["province"] == pub.province


def test_enterprise_figures_by_scope(pub, published):
    exp = published.expected
    cur = exp[exp.period == PERIOD]
    inside = cur[cur.province == pub.province].iloc[0]
    outside = cur[cur.province == pub.other].iloc[0]
    res = pub.client.get(
        f"/api/v1/microdata/enterprises/{inside.uscc}", params={"period": PERIOD}, headers=pub.headers["rv"]
    )
    assert res.status_code == 200
    body = res.json()
    assert body["confidential"] is True and abs(body["values"]["revenue_total"] - inside.revenue_total) < 1e-6
    assert body["imputed"] == bool(inside.imputed)
    for uscc in (outside.uscc, "91000000000000000X"):
        res = pub.client.get(
            f"/api/v1/microdata/enterprises/{uscc}", params={"period": PERIOD}, headers=pub.headers["rv"]
        )
        assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"
    assert (
        pub.client.get(
            f"/api/v1/microdata/enterprises/{outside.uscc}",
            params={"period": PERIOD},
            headers=pub.headers["an"],
        ).status_code
        == 200
    )


def test_plans_and_series_follow_public_read(pub):
    statuses = pub.client.get(
        "/api/v1/plans/status", params={"plan": "13th_fyp"}, headers={"Accept-Language": "en"}
    ).json()
    want = plan_status(pub.settings, "13th_fyp")
    assert [(s["target_id"], s["status"]) for s in statuses] == [(t.target_id, t.status) for t in want]
    assert statuses[0]["reason"] == statuses[0]["reason_en"]
    assert {p["code"] for p in pub.client.get("/api/v1/plans").json()} >= {"12th_fyp", "13th_fyp", "14th_fyp"}
    series = pub.client.get("/api/v1/series/revenue_total").json()
    assert {o["year"] for o in series["observations"]} >= {2015, 2020, 2024}
    assert any(not o["used"] for o in series["observations"])  # duplicates stay visible
    assert pub.client.get("/api/v1/series/nope").status_code == 404
    assert pub.client.get("/api/v1/plans/status", params={"plan": "99th_fyp"}).status_code == 422
    closed = pub.settings.model_copy(update={"public_read": False})
    pub.client.app.state.settings = closed
    try:
        for path in ("/api/v1/plans", "/api/v1/plans/status", "/api/v1/series", "/api/v1/aggregates"):
            res = pub.client.get(path, params={"indicator": "revenue_total", "period": PERIOD})
            assert res.status_code == 401 and res.json()["error"]["code"] == "not_authenticated"
        assert pub.client.get("/api/v1/series", headers=pub.headers["fi"]).status_code == 200
    finally:
        pub.client.app.state.settings = pub.settings


@pytest.mark.slow  # suppression patterns of every published table
def test_published_aggregates_are_protected_for_everyone(pub, published):
    q = {"indicator": "revenue_total", "period": PERIOD, "by": ["province", "sector"]}
    want = _sums(published, ["province", "sector"])
    for headers in ({}, pub.headers["an"], pub.headers["fi"]):
        body = pub.client.get("/api/v1/aggregates", params=q, headers=headers).json()
        assert (body["protected"], body["confidential"]) == (True, False)
        assert any(r["flag"] for r in body["rows"])  # 300 enterprises in 31 × 4 cells: some are suppressed
        for r in body["rows"]:
            if r["flag"] is None:
                assert (
                    abs(r["value"] - want[(r["province"], r["sector"])])
                    < 1e-6 * want[(r["province"], r["sector"])]
                )
            else:
                assert r["value"] is None and r["flag"] in ("threshold", "dominance", "secondary")
    same = [
        pub.client.get("/api/v1/aggregates", params=q, headers=h).json()["rows"]
        for h in ({}, pub.headers["an"])
    ]
    assert same[0] == same[1]  # an analyst gets the public table too; unsuppressed figures are elsewhere
    other = pub.client.get(
        "/api/v1/aggregates", params={**q, "by": ["city", "sector"]}, headers={"Accept-Language": "en"}
    )
    assert other.status_code == 422 and other.json()["error"]["code"] == "query_error"
    assert "public tables" in other.json()["error"]["message"]


def test_comma_lists_and_repeated_parameters_are_the_same_query(pub):
    q = {"indicator": "revenue_total", "period": PERIOD}
    repeated = pub.client.get(
        "/api/v1/aggregates", params={**q, "by": ["region", "sector"], "measure": ["ytd", "yoy"]}
    ).json()
    commas = pub.client.get(
        "/api/v1/aggregates", params={**q, "by": "region,sector", "measure": "ytd,yoy"}
    ).json()
    assert (
        repeated == commas
        and repeated["measures"] == ["ytd", "yoy"]
        and repeated["by"] == ["region", "sector"]
    )
    bad = pub.client.get(
        "/api/v1/aggregates", params={**q, "by": "region;sector"}, headers={"Accept-Language": "en"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"


@pytest.mark.slow
def test_a_new_release_invalidates_the_cache(sqlite_api):
    api = sqlite_api
    for user, uscc in (("filer_a", A), ("admin", D)):
        assert api.file(user, report(uscc)).status_code == 201
    for uscc in (A, D):
        api.client.post(
            f"/api/v1/reports/{api.current_id('analyst', uscc)}/accept", headers=api.auth("analyst")
        )
    assert (
        api.client.post(
            "/api/v1/periods/2024-01/publish",
            json={"force": True, "reason": "test"},
            headers=api.auth("analyst"),
        ).status_code
        == 201
    )
    q = {"indicator": "revenue_total", "period": "2024-01", "by": ["province"]}
    cache = api.client.app.state.cache
    first = api.client.get("/api/v1/aggregates/confidential", params=q, headers=api.auth("analyst")).json()
    again = api.client.get("/api/v1/aggregates/confidential", params=q, headers=api.auth("analyst")).json()
    assert first == again and (cache.misses, cache.hits) == (1, 1)
    assert first["rows"] == [
        {"province": "110000", "period": "2024-01", "measure": "level", "value": 2000.0, "flag": None}
    ] and first["releases"] == {"2024-01": 1}
    assert api.file("filer_a", report(A, scale=2)).status_code == 201
    api.client.post(f"/api/v1/reports/{api.current_id('analyst', A)}/accept", headers=api.auth("analyst"))
    assert (
        api.client.post(
            "/api/v1/periods/2024-01/publish",
            json={"force": True, "reason": "test"},
            headers=api.auth("analyst"),
        ).status_code
        == 201
    )
    after = api.client.get("/api/v1/aggregates/confidential", params=q, headers=api.auth("analyst")).json()
    assert after["rows"][0]["value"] == 3000.0 and after["releases"] == {"2024-01": 2} and cache.misses == 2
    pinned = api.client.get(
        "/api/v1/aggregates/confidential", params={**q, "release": 1}, headers=api.auth("analyst")
    ).json()
    assert pinned["rows"][0]["value"] == 2000.0
    late = api.client.get(
        "/api/v1/aggregates/confidential", params={**q, "period": "2024-02"}, headers=api.auth("analyst")
    )
    assert late.status_code == 422 and late.json()["error"]["code"] == "query_error"
    assert "not been published" in late.json()["error"]["message"]


@pytest.mark.slow
def test_the_api_returns_the_cli_table_in_every_format(pub, published):
    import csv
    import io

    import openpyxl
    import pyarrow.parquet as pq

    from sitmon.disseminate.layout import table_document
    from sitmon.disseminate.tables import published_table
    from sitmon.disseminate.writers import WRITERS

    q = {
        "indicator": "revenue_total",
        "period": "2024-01:2024-12",
        "by": "region",
        "measure": "ytd,yoy,yoy_comparable",
        "layout": "wide",
    }
    res = published_table(
        published.settings,
        "revenue_total",
        ["region"],
        "2024-01:2024-12",
        MEASURES3,
        unit="100m_cny",
        public=True,
        total=True,
    )
    for lang in ("zh", "en"):
        got = pub.client.get(
            "/api/v1/aggregates", params={**q, "format": "csv"}, headers={"Accept-Language": lang}
        )
        assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
        assert got.content == WRITERS["csv"].to_bytes(
            table_document(res, "wide", lang)
        )  # what the CLI writes
        assert got.headers["content-disposition"] == (
            'attachment; filename="sitmon-revenue_total-region-2024-01_2024-12-ytd-yoy-yoy_comparable-wide.csv"'
        )
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[2][1] == "National total" and len(rows[1]) == 2 + 36
    x = pub.client.get("/api/v1/aggregates", params={**q, "format": "xlsx", "lang": "zh"})
    assert x.headers["content-type"] == WRITERS["xlsx"].media_type
    ws = openpyxl.load_workbook(io.BytesIO(x.content))["数据"]
    assert (
        ws["B6"].value == "全国" and ws["B7"].value == "东部地区" and ws["C4"].value == "软件业务收入（亿元）"
    )
    table = pq.read_table(
        io.BytesIO(pub.client.get("/api/v1/aggregates", params={**q, "format": "parquet"}).content)
    )
    assert table.num_rows == 5 and "2024-12:yoy_comparable" in table.column_names
    wide = pub.client.get("/api/v1/aggregates", params=q).json()
    assert (
        wide["rows"][0]["2024-06:ytd"] == table.column("2024-06:ytd")[0].as_py() and wide["total_rows"] == 1
    )
    gbk = pub.client.get("/api/v1/aggregates", params={**q, "format": "csv", "encoding": "gbk", "lang": "zh"})
    assert "东部地区" in gbk.content.decode("gbk") and "charset=gbk" in gbk.headers["content-type"]
    bad = pub.client.get(
        "/api/v1/aggregates",
        params={**q, "format": "xlsx", "encoding": "gbk"},
        headers={"Accept-Language": "en"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "query_error"
    long = pub.client.get("/api/v1/aggregates", params={**q, "layout": "long"}).json()
    assert long["periods"][0] == "2024-01" and long["units"] == {
        "ytd": "10k_cny",
        "yoy": "pct",
        "yoy_comparable": "pct",
    }
    assert len(long["rows"]) == 12 * 3 * 4


def test_the_openapi_document_describes_the_table_parameters(pub):
    doc = pub.client.get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/aggregates"]["get"]
    params = {p["name"]: p for p in op["parameters"]}
    assert {
        "indicator",
        "period",
        "by",
        "measure",
        "unit",
        "release",
        "layout",
        "format",
        "lang",
        "encoding",
    } <= set(params)
    assert (
        params["period"]["schema"]["type"] == "array" and "2024-01:2024-12" in params["period"]["description"]
    )
    assert "pattern" in params["by"]["schema"]["items"]
    assert params["format"]["schema"]["enum"] == ["json", "csv", "xlsx", "parquet"]
    assert params["layout"]["schema"]["enum"] == ["long", "wide"]
    content = op["responses"]["200"]["content"]
    assert {
        "application/json",
        "text/csv",
        "application/vnd.apache.parquet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    } <= set(content)


def test_listings_as_files(pub):
    import csv
    import io

    import openpyxl

    plans = pub.client.get(
        "/api/v1/plans/status",
        params={"plan": "13th_fyp", "format": "csv"},
        headers={"Accept-Language": "en"},
    )
    assert plans.status_code == 200 and plans.content.startswith(b"\xef\xbb\xbf")
    assert plans.headers["content-disposition"] == 'attachment; filename="sitmon-plans-13th_fyp.csv"'
    rows = list(csv.reader(io.StringIO(plans.content.decode("utf-8-sig"))))
    assert rows[0] == ["Plan targets"] and rows[1][:2] == ["plan", "target"] and rows[2][0] == "13th_fyp"
    series = pub.client.get("/api/v1/series/revenue_total", params={"format": "xlsx"})
    ws = openpyxl.load_workbook(io.BytesIO(series.content)).active
    assert ws["A3"].value == "年份" and 2024 in [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
    late = pub.client.get(
        "/api/v1/review/late",
        params={"period": PERIOD, "format": "csv", "encoding": "gbk"},
        headers={**pub.headers["rv"], "Accept-Language": "zh"},
    )
    assert late.status_code == 200 and "charset=gbk" in late.headers["content-type"]
    text = late.content.decode("gbk")
    assert text.startswith(f"迟报、未报及退回未重报企业（催报）{PERIOD}") and "内部资料" in text
    assert all(
        line.split(",")[2] == pub.province for line in text.splitlines()[2:] if line and line[0].isdigit()
    )
    queue = pub.client.get("/api/v1/review/queue", params={"format": "parquet"}, headers=pub.headers["rv"])
    assert queue.status_code == 200 and queue.content[:4] == b"PAR1"
    assert (
        pub.client.get("/api/v1/review/queue", params={"format": "csv"}).status_code == 401
    )  # still a reviewer's
