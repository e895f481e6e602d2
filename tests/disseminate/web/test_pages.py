"""The pages in-process: every page renders from the published tables (disclosure control always applied),
language, roles and scopes, CSRF, hostile input, downloads equal to the API's table, cache and security headers."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.disseminate.tables import published_table

from .conftest import PERIOD, Site, login

pytestmark = pytest.mark.slow  # the first page computes the disclosure patterns of the fixture's releases
PUBLIC_PAGES = [
    "/",
    "/map",
    "/map?indicator=profit_total&measure=yoy_comparable",
    "/explorer",
    "/plans",
    "/plans/14th_fyp",
    "/plans/12th_fyp",
    "/api-docs",
    "/login",
]


def _reports(site: Site) -> int:
    with site.db.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM reports")).scalar() or 0)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_render_in_chinese_by_default(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in res.text and "Content-Security-Policy".lower() in {
        k.lower() for k in res.headers
    }
    assert (
        "https://" not in re.sub(r'href="https?://[^"]*"', "", res.text).split("<main")[0]
    )  # no CDN in <head>


def test_overview_shows_the_published_national_figure_with_unit_and_the_synthetic_banner(client, site):
    page = client.get("/").text
    expected = published_table(
        site.settings, "revenue_total", [], PERIOD, "level", unit="100m_cny", public=True
    )
    value = expected.rows[0]["value"]
    assert f"{value:,.1f} 亿元" in page and 'id="synthetic-banner"' in page
    assert re.search(r'id="card-revenue_total".*?data-value="([0-9.e+-]+)"', page, re.S).group(1) == str(
        value
    )


def test_map_lists_all_34_divisions_and_never_shows_a_suppressed_province_as_zero(client, site):
    page = client.get("/map").text
    rows = re.findall(
        r'<tr data-code="(\d{6})" data-status="(\w+)">.*?<td class="num">(.*?)</td>', page, re.S
    )
    assert len(rows) == 34 and {c for c, s, _ in rows if s == "not_reporting"} == {
        "710000",
        "810000",
        "820000",
    }
    table = published_table(
        site.settings, "revenue_total", ["province"], PERIOD, "level", unit="100m_cny", public=True
    )
    flags = {r["province"]: r["flag"] for r in table.rows}
    suppressed = [(c, cell) for c, s, cell in rows if s == "suppressed"]
    assert suppressed and all(cell.startswith("×") and flags[c] for c, cell in suppressed)
    assert "本页数据为合成数据" in page and "审图号" in page


def test_language_switch_is_remembered_and_refuses_other_sites(client):
    res = client.get("/lang/en?next=/map", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/map"
    page = client.get("/map").text
    assert '<html lang="en">' in page and "Map by province" in page
    assert client.get("/lang/zh?next=//evil.example/x", follow_redirects=False).headers["location"] == "/"
    assert '<html lang="zh-CN">' in client.get("/").text


def test_pages_need_a_login_when_published_data_are_not_public(site):
    closed = site.settings.model_copy(update={"public_read": False})
    with TestClient(create_app(closed, db=site.db)) as c:
        res = c.get("/map", follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"] == "/login?next=%2Fmap"
        assert c.get("/explorer/download?format=csv", follow_redirects=False).status_code == 303
        assert c.get("/api/v1/aggregates?indicator=revenue_total&period=2024-12").status_code == 401


@pytest.mark.parametrize(
    ("user", "allowed", "refused"),
    [
        ("filer", ["/filing", "/enterprises/{own}"], ["/review", "/admin"]),
        ("reviewer", ["/review", "/review?period=2024-12", "/enterprises/{own}"], ["/filing", "/admin"]),
        ("analyst", ["/review?period=2024-12"], ["/filing", "/admin"]),
        ("admin", ["/admin", "/review"], ["/filing"]),
    ],
)
def test_each_role_sees_its_pages_and_is_refused_the_others(client, site, user, allowed, refused):
    login(client, user)
    for path in allowed:
        res = client.get(path.format(own=site.filer_uscc))
        assert res.status_code == 200, (path, res.text[:500])
    for path in refused:
        assert client.get(path).status_code == 403, path


def test_anonymous_readers_are_sent_to_log_in_for_member_pages(client):
    for path in ("/filing", "/review", "/admin", "/filing/reports/1"):
        res = client.get(path, follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"].startswith("/login?next=")


def test_a_filer_cannot_open_another_enterprises_pages(client, site):
    login(client, "filer")
    assert client.get(f"/enterprises/{site.other_uscc}").status_code == 404
    assert client.get(f"/filing/reports/{site.other_report_id}").status_code == 404
    assert client.get(f"/review/reports/{site.other_report_id}").status_code == 403
    own = client.get(f"/enterprises/{site.filer_uscc}")
    assert own.status_code == 200 and site.other_uscc not in own.text


def test_a_reviewer_sees_only_their_province(client, site):
    login(client, "reviewer")
    assert client.get(f"/review/reports/{site.report_id}").status_code == 200
    assert client.get(f"/review/reports/{site.other_report_id}").status_code == 404
    assert client.get(f"/enterprises/{site.other_uscc}").status_code == 404


def test_forms_without_the_csrf_token_or_from_another_site_change_nothing(client, site):
    csrf = login(client, "filer")
    before = _reports(site)
    form = {"form": "monthly", "period": PERIOD, "revenue_total": "1"}
    assert client.post("/filing", data=form).status_code == 403
    assert client.post("/filing", data={**form, "csrf_token": "0" * 64}).status_code == 403
    res = client.post("/filing", data={**form, "csrf_token": csrf}, headers={"Origin": "http://evil.example"})
    assert res.status_code == 403 and _reports(site) == before
    assert client.post("/login", data={"username": "filer", "password": "x" * 12}).status_code in (403, 422)


def test_a_rejected_filing_shows_each_error_next_to_its_field_and_stores_nothing(client, site):
    csrf = login(client, "filer")
    before = _reports(site)
    values = {
        "revenue_total": "1000",
        "revenue_software_products": "900",
        "revenue_it_services": "500",
        "revenue_info_security": "40",
        "revenue_embedded": "60",
        "exports_usd": "1",
        "profit_total": "80",
        "employees": "1.5",
    }
    res = client.post("/filing", data={"csrf_token": csrf, "form": "monthly", "period": "2025-01", **values})
    assert res.status_code == 422 and _reports(site) == before
    msg = re.search(r'id="msg-revenue_total"[^>]*>(.*?)</p>', res.text, re.S).group(1)
    assert "四项收入之和应等于软件业务收入" in msg
    assert "应为非负整数" in re.search(r'id="msg-employees"[^>]*>(.*?)</p>', res.text, re.S).group(1)
    assert 'value="900"' in res.text  # what was typed is kept


def test_hostile_input_is_escaped_everywhere(client, site):
    evil = '"><script>alert(1)</script>'
    for path in (
        f"/explorer?indicator={evil}&periods={evil}&by={evil}",
        f"/map?period={evil}&measure={evil}",
        f"/province/{evil}",
        f"/plans/{evil}",
        f"/login?next={evil}",
    ):
        res = client.get(path)
        assert "<script>alert(1)" not in res.text, path
    login(client, "admin")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/admin").text).group(1)
    client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "username": "x",
            "password": "a new passphrase 8",
            "role": "analyst",
            "display_name": evil,
        },
    )
    assert "<script>alert(1)" not in client.get("/admin").text


def test_downloads_equal_the_api_table_and_escape_formulas(client):
    query = {
        "indicator": "revenue_total",
        "periods": PERIOD,
        "by": "province",
        "measure": "level",
        "unit": "100m_cny",
    }
    api = client.get(
        "/api/v1/aggregates",
        params={"indicator": "revenue_total", "period": PERIOD, "by": "province", "unit": "100m_cny"},
    ).json()
    want = [(r["province"], r["value"], r["flag"]) for r in api["rows"]]
    from openpyxl import load_workbook

    xlsx = client.get("/explorer/download", params={**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    got = [(r[head.index("province")], r[head.index("value")], r[head.index("flag")]) for r in rows[1:]]
    assert [(c, f) for c, _, f in got] == [(c, f) for c, _, f in want]
    # XLSX holds 16 significant digits (openpyxl writes "%.16g"; Excel shows 15): equal to that precision
    assert [v for _, v, _ in got] == [
        pytest.approx(v, rel=1e-15) if v is not None else None for _, v, _ in want
    ]
    csv_text = client.get("/explorer/download", params={**query, "format": "csv"}).content.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == len(want) + 1
    from sitmon.disseminate.web.downloads import escape_cell

    assert [escape_cell(x) for x in ("=1+1", "+A", "-2", "@SUM", "ok", 3.5)] == [
        "'=1+1",
        "'+A",
        "'-2",
        "'@SUM",
        "ok",
        3.5,
    ]


def test_explorer_shows_the_table_and_the_api_urls_of_the_same_figures(client):
    page = client.get(
        "/explorer",
        params={
            "indicator": "revenue_total",
            "periods": "2024-11,2024-12",
            "measure": ["level", "yoy_comparable"],
            "by": "region",
        },
    ).text
    assert page.count('class="api-url"') == 4 and "东部地区" in page and "本年累计" in page
    refused = client.get("/explorer", params={"by": ["city", "sector"], "periods": PERIOD}).text
    assert 'class="error"' in refused and "公开发布不提供" in refused


def test_static_assets_are_hashed_cacheable_and_gzipped(client):
    page = client.get("/map").text
    url = re.search(r'src="(/static/vendor/echarts/echarts\.min\.js\?v=[0-9a-f]+)"', page).group(1)
    res = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert res.status_code == 200 and res.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert res.headers.get("content-encoding") == "gzip" and int(res.headers["content-length"]) < 500_000
    assert (
        res.headers["content-type"].startswith("text/javascript")
        or "javascript" in res.headers["content-type"]
    )
    assert client.get("/static/css/site.css").headers["cache-control"] == "no-cache"
    assert "content-security-policy" not in client.get("/api/v1/").headers


def test_the_map_file_is_named_by_code_and_can_be_swapped(client, site, tmp_path):
    geo = client.get("/map/china.json").json()
    names = {f["properties"]["name"] for f in geo["features"]}
    assert {"110000", "330000", "650000", "810000", "710000"} <= names
    approved = tmp_path / "approved.json"
    approved.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"浙江省"},'
        '"geometry":{"type":"Polygon","coordinates":[[[120,30],[121,30],[121,31],[120,30]]]}}]}',
        encoding="utf-8",
    )
    swapped = site.settings.model_copy(update={"map_file": approved, "map_approval": "GS(2024)0650号"})
    with TestClient(create_app(swapped, db=site.db)) as c:
        assert [f["properties"]["name"] for f in c.get("/map/china.json").json()["features"]] == ["330000"]
        assert "GS(2024)0650号" in c.get("/map").text


def test_a_missing_period_or_unknown_province_is_a_page_not_a_crash(client):
    assert client.get("/province/999999").status_code == 404
    assert client.get("/map?period=1999-01").status_code == 200
    assert client.get("/explorer?periods=2030-01").status_code == 200
    assert client.get("/explorer?periods=2024-13").status_code == 200
    assert client.get("/explorer/download?periods=2030-01&format=csv").status_code == 422


def test_settings_without_a_map_still_serve_pages(tmp_path):
    empty = Settings(home=tmp_path / "h", public_read=True, secret_key="k" * 48)
    with TestClient(create_app(empty)) as c:
        assert "尚无已发布的数据版本" in c.get("/").text
        assert c.get("/map").status_code == 200


def test_an_uploaded_file_with_an_error_is_listed_row_by_row_and_stores_nothing(client, site):
    csrf = login(client, "filer")
    before = _reports(site)
    body = (
        "uscc,period,revenue_total,revenue_software_products,revenue_it_services,revenue_info_security,"
        f"revenue_embedded,exports_usd,profit_total,employees\n{site.filer_uscc},2025-01,1000,900,500,40,60,1,80,10\n"
    )
    res = client.post(
        "/filing/upload", data={"csrf_token": csrf}, files={"file": ("mine.csv", body.encode(), "text/csv")}
    )
    assert res.status_code == 422 and "sector_sum" not in res.text and "四项收入之和" in res.text
    assert _reports(site) == before
    other = body.replace(site.filer_uscc, site.other_uscc)
    res = client.post(
        "/filing/upload",
        data={"csrf_token": csrf},
        files={"file": ("theirs.csv", other.encode(), "text/csv")},
    )
    assert res.status_code == 422 and _reports(site) == before


def test_the_admin_adds_disables_and_audits_users_from_the_page(client, site):
    csrf = login(client, "admin")
    res = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "username": "new_reviewer",
            "password": "a new passphrase 7",
            "role": "reviewer",
            "scope": "330000",
        },
        follow_redirects=False,
    )
    assert res.status_code == 303
    res = client.post("/admin/users/new_reviewer/disable", data={"csrf_token": csrf}, follow_redirects=False)
    assert res.status_code == 303
    page = client.get("/admin?actor=admin").text
    audit = page.split('id="audit"')[1]
    assert "user.changed" in audit and "new_reviewer" in audit and "disabled" in audit
    bad = client.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "username": "short",
            "password": "123",
            "role": "reviewer",
            "scope": "330000",
        },
    )
    assert (
        bad.status_code == 422
        and "short" not in client.get("/admin").text.split('id="users"')[1].split("</table>")[0]
    )
