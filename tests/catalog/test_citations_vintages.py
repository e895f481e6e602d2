"""Vintages of the national series (first published, revised) and the official citation of every figure."""

import csv

import pytest

from sitmon.catalog import CatalogError
from sitmon.catalog import series as series_module
from sitmon.catalog.citations import cite, date_text, load_citations
from sitmon.catalog.loader import data_path
from sitmon.catalog.series import CITATION_NOTE, load_series


def test_2019_has_two_vintages_and_latest_is_the_default():
    s = load_series()
    assert s.of("revenue_total")[2019].value == 72072 == s.of("revenue_total", vintage="latest")[2019].value
    assert s.of("revenue_total", vintage="first")[2019].value == 71768
    assert (
        s.of("revenue_total_yoy")[2019].value,
        s.of("revenue_total_yoy", vintage="first")[2019].value,
    ) == (16.4, 15.4)
    assert (s.of("profit_total")[2019].value, s.of("profit_total", vintage="first")[2019].value) == (
        9835,
        9362,
    )
    assert (s.of("profit_total_yoy")[2019].value, s.of("profit_total_yoy", vintage="first")[2019].value) == (
        9.7,
        9.9,
    )
    both = [o for o in s.all_of("revenue_total") if o.year == 2019]
    assert {(o.value, o.vintage, o.used, o.in_first) for o in both} == {
        (72072, "revised", True, False),
        (71768, "first", False, True),
    }


def test_2016_and_2018_were_revised_later_and_2017_too():
    s = load_series()
    assert s.revised("revenue_total") == [2016, 2017, 2018, 2019]
    first, latest = s.values("revenue_total", vintage="first"), s.values("revenue_total")
    assert (first[2016], latest[2016]) == (49000, 48232)
    assert (first[2018], latest[2018]) == (63061, 61909)
    assert (first[2017], latest[2017]) == (55000, 55103)
    # the revised 2017 and 2018 values are recorded only in the notes of official_citations.csv
    notes = {c.year: c.note for c in load_citations().values()}
    for year, value in ((2017, 55103), (2018, 61909)):
        o = next(o for o in s.all_of("revenue_total") if o.year == year and o.vintage == "revised")
        assert o.source == CITATION_NOTE and str(value) in notes[year] and o.value == value
    # years published once are the same in both vintages, gaps stay gaps
    assert first[2024] == latest[2024] == 137276 and 2014 not in first and 2014 not in latest


def test_reprints_that_contradict_the_ministry_lose_and_say_so():
    s = load_series()
    assert s.of("revenue_total")[2013].value == 31000 and s.of("revenue_total_yoy")[2013].value == 24.6
    assert s.of("revenue_total_yoy")[2011].value == 32.4
    lost = {(o.year, o.indicator, o.value) for o in s.observations if o.reprint_only}
    assert lost == {
        (2013, "revenue_total", 30600),
        (2013, "revenue_total_yoy", 23.4),
        (2011, "revenue_total_yoy", 25.4),
    }
    assert all(not o.used and not o.in_first and o.why_en for o in s.observations if o.reprint_only)
    # 2007 has no official publication: the precise figure wins over the rounded headline
    assert s.of("revenue_total")[2007].value == 5834


def test_the_official_publication_is_cited_first_and_the_reprint_as_where_it_was_read():
    s = load_series()
    c = cite(s.of("revenue_total")[2024])
    assert c.official is not None and c.official.title == "2024年软件和信息技术服务业主要指标"
    assert (c.official.publisher, c.official.published, c.official.confidence) == (
        "工业和信息化部运行监测协调局",
        "2025-01-26",
        "high",
    )
    assert c.read_in == "http://m.t-block.cn/news/detail-120793.html"
    zh, en = c.render("zh"), c.render("en")
    assert zh == (
        "工业和信息化部运行监测协调局《2024年软件和信息技术服务业主要指标》（2025-01-26；可信度高）；"
        "转引自 http://m.t-block.cn/news/detail-120793.html"
    )
    assert en.index("“2024年软件和信息技术服务业主要指标”") < en.index("read in http://m.t-block.cn")
    # every figure of a year with an official publication cites it, unless revised or reprint-only
    pubs = load_citations()
    for o in s.observations:
        c = cite(o)
        if o.vintage == "revised":
            assert (
                c.official is None
                and c.revision == (o.why_zh, o.why_en)
                and c.first_published_in is pubs.get(o.year)
            )
        elif o.reprint_only:
            assert c.official is None and "no official source" in c.render("en")
        elif o.year in pubs:
            assert c.official is pubs[o.year] and c.render("en").startswith(pubs[o.year].publisher)


def test_revisions_reprint_only_values_and_the_plan_documents():
    s = load_series()
    revised = cite(s.of("revenue_total")[2019]).render("zh")
    assert revised.startswith(
        "修订数：统计年报核实数；首次公布见 工业和信息化部《2019年软件和信息技术服务业统计公报》（2020年初；可信度中）"
    )
    lost = cite(next(o for o in s.all_of("revenue_total") if o.value == 30600)).render("zh")
    assert lost.startswith("未找到官方出处") and lost.endswith("转引自 http://whsspr.com/zhishi/1869989.html")
    plan = cite(s.of("revenue_total")[2010])  # read in the 12th plan itself, a document of the ministry
    assert plan.source_is_official and plan.render("en") == (
        "the ministry's own document: 软件和信息技术服务业“十二五”发展规划 (工业和信息化部, 2012)"
    )
    early = cite(s.of("revenue_total")[2005]).render("en")
    assert (
        early == "no publication of the ministry found; read in http://ccgp-fushun.com/english/BAT/170170.htm"
    )
    assert (
        date_text("on or before 2012-02-16"),
        date_text("early 2020"),
        date_text("before 2024-03", "en"),
    ) == ("不晚于2012-02-16", "2020年初", "before 2024-03")


def test_the_shipped_files_are_the_shared_data_set():
    def rows(name):
        return list(csv.DictReader(data_path(f"series/{name}").open(encoding="utf-8")))

    assert len(rows("official_citations.csv")) == 13
    assert {r["year"] for r in rows("official_citations.csv")} == {
        str(y) for y in (2011, 2012, 2013, *range(2015, 2025))
    }
    assert (
        sum(
            1
            for r in rows("published_national_annual.csv")
            if r["year"] == "2019" and r["indicator"] in ("revenue_total", "profit_total")
        )
        == 4
    )


def test_a_duplicate_that_is_neither_a_vintage_nor_a_choice_is_refused(monkeypatch):
    real = series_module.read_yaml

    def without_2019(name, base=None):
        doc = real(name, base)
        if name == "series/vintages.yaml":
            doc = {**doc, "vintages": [v for v in doc["vintages"] if v["year"] != 2019]}
        return doc

    monkeypatch.setattr(series_module, "read_yaml", without_2019)
    load_series.cache_clear()
    try:
        with pytest.raises(CatalogError) as err:
            load_series()
        assert "2019" in err.value.key and "neither a vintage nor a stated choice" in err.value.reason
    finally:
        monkeypatch.undo()
        load_series.cache_clear()


def test_a_vintage_must_name_the_two_published_values(monkeypatch):
    real = series_module.read_yaml

    def wrong(name, base=None):
        doc = real(name, base)
        if name == "series/vintages.yaml":
            doc = {
                **doc,
                "vintages": [
                    {**v, "revised": 72000} if v["year"] == 2019 and v["indicator"] == "revenue_total" else v
                    for v in doc["vintages"]
                ],
            }
        return doc

    monkeypatch.setattr(series_module, "read_yaml", wrong)
    load_series.cache_clear()
    try:
        with pytest.raises(CatalogError, match="must be the two published values"):
            load_series()
    finally:
        monkeypatch.undo()
        load_series.cache_clear()
