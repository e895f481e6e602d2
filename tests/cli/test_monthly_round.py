"""One month of a province through the CLI alone (issue 14): the registry with its scope and contacts, a report
file as enterprises send it (extra columns, a code mangled by Excel, a warning explained and one not), the errors
written for sending back, the review queue, one report against last month and last year, bulk acceptance
skipping the unexplained warning, a return, a refile, the late-filer list with contacts, response rates,
publishing refused then forced with a reason (audited), a second release and its revision notice, the calendar.

All enterprises and figures are SYNTHETIC (made up for the test)."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from sitmon.catalog import load_catalog

from .round_data import ANNUAL_ONLY, EXPLAINED, LATE, PANEL, SMALL, UNEXPLAINED, files, history
from .round_data import run as _run

pytestmark = pytest.mark.slow  # a dozen CLI commands, two releases with their disclosure patterns


def _json(res) -> object:
    assert res.exit_code == 0, res.output
    return json.JSONDecoder().raw_decode(res.stdout)[0]  # (sitmon query adds its confidentiality note after)


def test_one_month_of_a_province_through_the_cli(tmp_path):
    home = tmp_path / "home"
    history(home, tmp_path)  # the registry (with its scope and contacts), last year's June, May published
    files(tmp_path)
    # June as the enterprises send it: 17 of 22 file; extra columns; one code mangled by Excel; +80 % explained,
    # +90 % not explained
    sent = tmp_path / "浙江-2024-06.csv"
    errors_xlsx = tmp_path / "errors.xlsx"
    res = _run(home, "reports", "import", str(sent), "--errors-out", str(errors_xlsx))
    assert res.exit_code == 1 and "REJECTED" in res.output
    assert "Excel" in res.output and "row 9" in res.output  # listed by row (header = row 1)
    sheet = load_workbook(errors_xlsx).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    problem = next(r for r in rows if r[4] == "error")
    assert (problem[1], problem[3], problem[5]) == (9, "9.13302E+17", "uscc") and "Excel" in problem[6]
    notices = [r for r in rows if r[4] == "notice"]
    assert sorted(r[2] for r in notices) == ["企业名称", "填表人", "电话", "联系人"]

    res = _json(_run(home, "reports", "import", str(tmp_path / "浙江-2024-06-更正.csv"), "--format", "json"))
    assert res[0]["status"] == "stored" and res[0]["new_reports"] == 17
    assert len(res[0]["notices"]) == 4
    assert {(w["rule"], w["row"]) for w in res[0]["warnings"]} >= {("yoy_change", 5), ("yoy_change", 7)}

    # the review queue: warnings first, the unexplained one said so
    queue = _json(
        _run(home, "review", "queue", "--period", "2024-06", "--region", "330000", "--format", "json")
    )
    assert len(queue) == 17 and {q["uscc"] for q in queue[:2]} == {EXPLAINED, UNEXPLAINED}
    unexplained = next(q for q in queue if q["uscc"] == UNEXPLAINED)
    assert unexplained["unexplained"] == "yoy_change"
    assert next(q for q in queue if q["uscc"] == EXPLAINED)["unexplained"] is None
    rid = str(unexplained["id"])
    shown = _json(_run(home, "review", "show", rid, "--format", "json"))
    revenue = next(r for r in shown if r["indicator"] == "Software business revenue")
    assert revenue["yoy_pct"] == 90.0 and revenue["vs_last_month_pct"] == round(
        (1.9 / (1.1 * 5 / 6) - 1) * 100, 1
    )

    # bulk acceptance skips the unexplained warning and lists it; accepting it alone needs a reason
    skipped_xlsx = tmp_path / "skipped.xlsx"
    res = _run(home, "review", "accept", "--period", "2024-06", "--out", str(skipped_xlsx))
    assert res.exit_code == 0 and "accepted 16 reports" in res.output and "skipped 1" in res.output
    skipped = [
        [c.value for c in r] for r in load_workbook(skipped_xlsx).active.iter_rows(min_row=3) if r[0].value
    ]
    assert [(r[0], r[1], r[5]) for r in skipped if r[1] in PANEL] == [(int(rid), UNEXPLAINED, "yoy_change")]
    res = _run(home, "review", "accept", rid)
    assert res.exit_code == 1 and "not explained" in " ".join(res.output.split())
    res = _run(home, "review", "return", rid, "--reason", "请说明收入增长原因")
    assert res.exit_code == 0 and "returned" in res.output

    # the late-filer list with contacts, written for chasing: five missing, one returned
    late_xlsx = tmp_path / "late.xlsx"
    assert _run(home, "review", "late", "--period", "2024-06", "--out", str(late_xlsx)).exit_code == 0
    late = [[c.value for c in r] for r in load_workbook(late_xlsx).active.iter_rows(min_row=3) if r[0].value]
    late = [r for r in late if r[0] in PANEL]
    assert {r[0] for r in late} == {*LATE, UNEXPLAINED}
    by_uscc = {r[0]: r for r in late}
    assert by_uscc[LATE[0]][7] == "联系人17" and by_uscc[LATE[0]][8] == "0571-86000017"
    assert by_uscc[UNEXPLAINED][5] == "returned" and by_uscc[UNEXPLAINED][9] == "请说明收入增长原因"
    assert (
        ANNUAL_ONLY[0] not in by_uscc and SMALL not in by_uscc
    )  # the monthly form expects the key enterprises

    # the enterprise refiles with an explanation; the reviewer accepts it
    assert _run(home, "reports", "import", str(tmp_path / "浙江-2024-06-补充说明.csv")).exit_code == 0
    new_id = str(
        next(
            q
            for q in _json(_run(home, "review", "queue", "--period", "2024-06", "--format", "json"))
            if q["uscc"] == UNEXPLAINED
        )["id"]
    )
    assert new_id != rid
    assert _run(home, "review", "accept", new_id).exit_code == 0

    rates = _json(_run(home, "review", "rates", "--period", "2024-06", "--by-sector", "--format", "json"))
    assert sum(r["expected"] for r in rates) == 22 and sum(r["filed"] for r in rates) == 17
    assert {r["sector"] for r in rates} == {"IT services", "Software products"}

    # publishing: 17 of 22 key enterprises (77.27 %) is below 80 %: refused, nothing published; forced with a reason
    res = _run(home, "publish", "--period", "2024-06")
    assert res.exit_code == 1 and "NOT published" in " ".join(res.output.split()) and "77.27" in res.output
    assert _json(_run(home, "releases", "list", "--format", "json"))[-1]["period"] == "2024-05"
    dry = _json(_run(home, "publish", "--period", "2024-06", "--dry-run", "--format", "json"))
    assert dry[0]["status"] == "dry_run" and [p["code"] for p in dry[0]["preview"]["problems"]] == [
        "low_response"
    ]
    assert dry[0]["preview"]["imputed"] == 5 and dry[0]["preview"]["provinces"][0]["below"] is True
    assert _run(home, "publish", "--period", "2024-06", "--force").exit_code == 2  # a reason is required
    reason = "五家重点企业因系统故障迟报，按上月推算 five key enterprises late (system outage), imputed"
    res = _run(home, "publish", "--period", "2024-06", "--force", "--reason", reason)
    assert res.exit_code == 0 and "published by force" in " ".join(res.output.split()), res.output
    trail = _json(_run(home, "audit", "--format", "json"))
    forced = [e for e in trail if e["action"] == "period.published" and e["detail"].get("forced")]
    assert len(forced) == 1 and forced[0]["detail"]["reason"] == reason
    assert forced[0]["detail"]["problems"] == ["low_response"]

    # three late filers file; a second release passes the guard (20 of 22) and records what it revised
    assert _run(home, "reports", "import", str(tmp_path / "浙江-2024-06-迟报.csv")).exit_code == 0
    assert _run(home, "review", "accept", "--period", "2024-06").exit_code == 0
    res = _run(home, "publish", "--period", "2024-06")
    assert res.exit_code == 0 and "release 2 published" in " ".join(res.output.split()), res.output
    notice = _json(_run(home, "releases", "revisions", "--period", "2024-06", "--format", "json"))
    first = _json(
        _run(
            home,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-06",
            "--release",
            "1",
            "--format",
            "json",
        )
    )
    second = _json(
        _run(home, "query", "--indicator", "revenue_total", "--period", "2024-06", "--format", "json")
    )
    national = next(
        r for r in notice if r["indicator"] == "Software business revenue" and r["table"] == "national"
    )
    assert national["status"] == "revised"
    assert national["old"] == pytest.approx(first[0]["value"])
    assert national["new"] == pytest.approx(second[0]["value"])
    assert national["new"] != national["old"]  # three late filers' reports replaced their imputations
    public = _json(
        _run(
            home,
            "query",
            "--public",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-06",
            "--by",
            "province,sector",
            "--format",
            "json",
        )
    )
    cat = load_catalog()
    suppressed = {
        f"{cat.region_name(r['province'], 'en')} × {cat.sectors[r['sector']].name_en}"
        for r in public
        if r["flag"]
    }
    for cell in notice:  # published cells only: a cell suppressed now never shows a value
        if (
            cell["table"] == "province_sector"
            and cell["indicator"] == "Software business revenue"
            and cell["cell"] in suppressed
        ):
            assert cell["status"] == "newly_suppressed" and cell["old"] is None and cell["new"] is None
        if cell["status"] == "revised":
            assert cell["old"] is not None and cell["new"] is not None
        else:
            assert cell["old"] is None

    calendar = _json(_run(home, "releases", "calendar", "--year", "2024", "--format", "json"))
    june_plan = next(c for c in calendar if c["period"] == "2024-06")
    assert june_plan["planned"] == "2024-07-20" and june_plan["status"].startswith("LATE")
    assert next(c for c in calendar if c["period"] == "2024-07")["status"].startswith("OVERDUE")
