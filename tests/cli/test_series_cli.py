"""``sitmon series show|backtest``: official citations first, vintages, the public label, and the backtest
against hand computations on a short series."""

import csv
import io
import json
import math

import pytest
from typer.testing import CliRunner

from sitmon.catalog.series import Observation, Series
from sitmon.cli import app
from sitmon.disseminate import projections

from ..analyse.test_backtest import _reference_forecast


def _run(settings, *args, lang="en"):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", lang, *args])


def test_show_cites_the_ministry_first_and_says_the_figures_are_public(sqlite_settings):
    out = "".join(
        _run(sqlite_settings, "series", "show", "revenue_total", lang="zh").output.split()
    )  # unwrapped
    note = out.index(
        "工业和信息化部运行监测协调局《2024年软件和信息技术服务业主要指标》（2025-01-26；可信度高）；转引自"
        "http://m.t-block.cn/news/detail-120793.html"
    )
    assert note > out.index("2024")
    assert "公开数据" in out and "机密" not in out and "信息披露" not in out
    assert "数据版本：最新修订版" in out and "4个年份有修订（2016,2017,2018,2019）" in out
    en = " ".join(_run(sqlite_settings, "series", "show", "profit_total").output.split())
    assert "Public data" in en and "CONFIDENTIAL" not in en and "vintage: latest" in en


def test_show_either_vintage_as_json(sqlite_settings):
    latest = json.loads(_run(sqlite_settings, "series", "show", "revenue_total", "--format", "json").stdout)
    first = json.loads(
        _run(
            sqlite_settings, "series", "show", "revenue_total", "--vintage", "first", "--format", "json"
        ).stdout
    )
    used = {
        (r["vintage"], r["year"]): r for rows in (latest, first) for r in rows if r["used"].startswith("used")
    }
    assert used[("latest", 2019)]["value"] == 72072 and used[("first", 2019)]["value"] == 71768
    assert used[("latest", 2019)]["kind"] == "revised" and used[("first", 2019)]["kind"] == "first"
    assert used[("first", 2019)]["yoy_published"] == 15.4 and used[("latest", 2019)]["yoy_published"] == 16.4
    # the growth published with the first 2016 figure is not shown beside the revised level
    assert used[("latest", 2016)]["yoy_published"] is None and used[("first", 2016)]["yoy_published"] == 14.9
    r2024 = used[("latest", 2024)]
    assert r2024["official"].startswith("工业和信息化部运行监测协调局, “2024年") and r2024[
        "read_in"
    ].startswith("http://m.t-block")
    assert _run(sqlite_settings, "series", "show", "revenue_total", "--vintage", "second").exit_code == 2
    assert _run(sqlite_settings, "series", "show", "nope").exit_code == 2


def _short_series():
    obs = []
    for ind in ("revenue_total", "profit_total", "exports_usd"):
        for i, y in enumerate(range(2015, 2021)):
            obs.append(Observation(y, ind, 100 * 1.1**i, "100m_cny", "test", "test"))
    return Series(tuple(obs))


@pytest.fixture
def short_series(monkeypatch):
    s = _short_series()
    monkeypatch.setattr(projections, "load_series", lambda: s)
    projections.record.cache_clear()
    yield s
    projections.record.cache_clear()


def test_backtest_csv_against_hand_computations_on_a_short_series(sqlite_settings, short_series):
    res = _run(
        sqlite_settings,
        "series",
        "backtest",
        "--indicator",
        "revenue_total",
        "--horizons",
        "1-2",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == [
        "origin",
        "horizon",
        "target_year",
        "projection",
        "lo80",
        "hi80",
        "lo95",
        "hi95",
        "outcome",
        "rw_projection",
        "rw_lo80",
        "rw_hi80",
        "rw_lo95",
        "rw_hi95",
    ]
    # origins with five published years: 2019 and 2020; horizons 1 and 2
    assert [(r["origin"], r["horizon"], r["target_year"]) for r in rows] == [
        ("2019", "1", "2020"),
        ("2019", "2", "2021"),
        ("2020", "1", "2021"),
        ("2020", "2", "2022"),
    ]
    pts = {y: o.value for y, o in short_series.of("revenue_total").items()}
    assert float(rows[0]["outcome"]) == pytest.approx(161.1, abs=0.05) and rows[1]["outcome"] == ""
    # the random walk: 10 % a year exactly, no spread around it
    assert float(rows[0]["rw_projection"]) == pytest.approx(146.41 * 1.1, abs=0.05)
    assert float(rows[3]["rw_projection"]) == pytest.approx(161.051 * 1.21, abs=0.05)
    assert float(rows[0]["rw_lo80"]) == pytest.approx(float(rows[0]["rw_projection"]), abs=0.05)
    # sitmon: the default candidate (no earlier errors), no interval (fewer than 8 errors to calibrate on)
    from sitmon.analyse.projection import DEFAULT

    assert float(rows[0]["projection"]) == pytest.approx(
        math.exp(_reference_forecast(pts, 2019, 1, DEFAULT)), abs=0.05
    )
    assert all(r["lo80"] == r["hi95"] == "" for r in rows)
    summary = list(
        csv.DictReader(
            io.StringIO(
                _run(
                    sqlite_settings,
                    "series",
                    "backtest",
                    "--indicator",
                    "revenue_total",
                    "--horizons",
                    "1-2",
                    "--format",
                    "csv",
                    "--summary",
                ).stdout
            )
        )
    )
    by = {(s["method"], s["horizon"]): s for s in summary}
    sitmon_ape = abs(math.exp(_reference_forecast(pts, 2019, 1, DEFAULT)) - pts[2020]) / pts[2020] * 100
    assert float(by[("sitmon", "all")]["mape_pct"]) == pytest.approx(sitmon_ape, abs=0.01)
    assert float(by[("random_walk", "all")]["mape_pct"]) == pytest.approx(0, abs=0.01)
    assert by[("sitmon", "all")]["cases"] == "1" and by[("sitmon", "all")]["calibrated"] == "0"
    assert by[("sitmon", "all")]["coverage80_pct"] == "" and by[("random_walk", "1")]["calibrated"] == "1"
    assert by[("sitmon", "2")]["cases"] == "0"


def test_backtest_json_on_the_real_series_and_refusals(sqlite_settings):
    doc = json.loads(
        _run(sqlite_settings, "series", "backtest", "--indicator", "profit_total", "--format", "json").stdout
    )
    assert doc["indicator"] == "profit_total" and doc["vintage"] == "latest" and doc["unit"] == "100m_cny"
    assert doc["pool"] == ["revenue_total", "profit_total", "exports_usd"]
    rows = doc["rows"]
    assert {r["origin"] for r in rows} == {2020, 2021, 2022, 2023, 2024} and {r["horizon"] for r in rows} == {
        1,
        2,
        3,
        4,
        5,
    }
    done = [r for r in rows if r["outcome"] is not None]
    summary = {(s["method"], s["horizon"]): s for s in doc["summary"]}
    s = summary[("sitmon", "all")]
    assert s["cases"] == len(done) == 10
    assert s["covered80"] == sum(
        r["lo80"] <= r["outcome"] <= r["hi80"] for r in done if r["lo80"] is not None
    )
    mape = sum(abs(r["projection"] - r["outcome"]) / r["outcome"] for r in done) / len(done) * 100
    assert s["mape_pct"] == pytest.approx(mape, abs=0.05)  # the rows are rounded to 0.1
    table = " ".join(_run(sqlite_settings, "series", "backtest", "--indicator", "exports_usd").output.split())
    assert "summary: sitmon and the random walk with drift" in table and "rolling-origin backtest" in table
    for bad in (["--horizons", "0-3"], ["--horizons", "1-99"], ["--horizons", "x"], ["--vintage", "third"]):
        assert (
            _run(sqlite_settings, "series", "backtest", "--indicator", "revenue_total", *bad).exit_code == 2
        )
    assert _run(sqlite_settings, "series", "backtest", "--indicator", "nope").exit_code == 2
    pct = _run(sqlite_settings, "series", "backtest", "--indicator", "revenue_total_yoy")
    assert pct.exit_code == 2 and "percentage" in pct.output
