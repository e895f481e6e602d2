import json

from typer.testing import CliRunner

from sitmon.cli import app

FIELDS = {
    "plan",
    "target_id",
    "indicator",
    "kind",
    "target_value",
    "unit",
    "base_year",
    "base_value",
    "latest_year",
    "latest_value",
    "attainment_pct",
    "required_cagr_pct",
    "realised_cagr_pct",
    "status",
    "source",
    "projection",
}


def _run(settings, *args):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", "en", *args])


def test_status_json_has_the_documented_fields(sqlite_settings):
    res = _run(sqlite_settings, "plans", "status", "--plan", "14th_fyp", "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert set(rows[0]) >= FIELDS
    assert {r["status"] for r in rows} <= {
        "achieved",
        "on_track",
        "at_risk",
        "off_track",
        "not_achieved",
        "not_measurable",
    }
    assert set(rows[0]["projection"]) >= {"year", "value", "lo80", "hi80", "lo95", "hi95", "model"}


def test_table_backtest_series_and_errors(sqlite_settings):
    table = _run(sqlite_settings, "plans", "status", "--plan", "12th_fyp").output
    flat = " ".join(table.split())
    assert "Plan targets" in table and "Open SDG" in flat
    # the latest figure's source: the ministry's publication first, the reprint as where it was read
    official = flat.index(
        "12th-04: 工业和信息化部, “2011年软件业经济运行情况” (on or before 2012-02-16; confidence medium)"
    )
    assert flat.index("read in http://msn.finance.sina.com.cn", official) > official
    assert _run(sqlite_settings, "plans", "backtest", "--plan", "12th_fyp").exit_code == 0
    assert _run(sqlite_settings, "plans", "status", "--plan", "nope").exit_code == 2
    show = _run(sqlite_settings, "series", "show", "revenue_total", "--format", "json")
    rows = json.loads(show.stdout)
    r2021 = next(r for r in rows if r["year"] == 2021)
    assert r2021["yoy_published"] == 17.7 and r2021["yoy_from_levels"] == 16.4
    assert any(r["year"] == 2009 and r["value"] is None for r in rows)
    assert "revenue_total" in _run(sqlite_settings, "series", "list").output


def test_status_csv_has_every_rows_columns_and_the_vintage(sqlite_settings):
    import csv
    import io

    res = _run(sqlite_settings, "plans", "status", "--format", "csv", "--vintage", "first")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {"projection_lo80", "outlook_call", "outlook_hits", "latest_citation_en", "vintage"} <= set(
        rows[0]
    )
    assert {r["vintage"] for r in rows} == {"first"}
    called = [r for r in rows if r["outlook_call"]]
    assert called and all(r["status"] == r["outlook_call"] for r in called)
    assert _run(sqlite_settings, "plans", "status", "--vintage", "newest").exit_code == 2
