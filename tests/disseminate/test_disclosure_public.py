"""``published_table(public=True)`` on real releases (the shared published fixture): the contract the CLI and
the API rely on, one pattern for all linked tables and measures, stored once, carried through the year."""

import pytest

from sitmon.analyse.disclosure import REASONS
from sitmon.disseminate.disclosure import Disclosure
from sitmon.disseminate.tables import QueryError, published_table
from sitmon.store.patterns import pattern_path
from sitmon.store.warehouse import Warehouse

pytestmark = pytest.mark.slow  # suppression patterns (linear programs) of the test releases

PERIOD = "2024-03"


def _flags(res):
    return {tuple(r[d] for d in res.by): r["flag"] for r in res.rows}


def test_public_rows_carry_a_flag_and_suppressed_values_are_none(published):
    s = published.settings
    pub = published_table(s, "revenue_total", ["province", "sector"], PERIOD, public=True)
    conf = published_table(s, "revenue_total", ["province", "sector"], PERIOD)
    assert (pub.protected, pub.confidential) == (True, False)
    assert (conf.protected, conf.confidential) == (False, True)
    assert all(r["flag"] is None for r in conf.rows)
    values = {(r["province"], r["sector"]): r["value"] for r in conf.rows}
    suppressed = [r for r in pub.rows if r["flag"] is not None]
    shown = [r for r in pub.rows if r["flag"] is None]
    assert suppressed and shown
    assert all(r["value"] is None and r["flag"] in REASONS for r in suppressed)
    assert {r["flag"] for r in suppressed} >= {"threshold", "secondary"}
    assert all(r["value"] == pytest.approx(values[(r["province"], r["sector"])]) for r in shown)
    assert set(pub.rows[0]) == {"province", "sector", "period", "measure", "value", "flag"}


@pytest.mark.parametrize("by", [["province"], ["province", "sector"]])
def test_every_measure_and_unit_follows_the_level_pattern(published, by):
    s = published.settings

    def flags(period, measure="level", **kw):
        return _flags(published_table(s, "revenue_total", by, period, measure, public=True, **kw))

    level, before, last = flags(PERIOD), flags("2024-02"), flags("2023-03")
    month, yoy, share, comparable = flags(PERIOD, "month"), flags(PERIOD, "yoy"), flags(PERIOD, "share"), \
        flags(PERIOD, "yoy_comparable")
    assert flags(PERIOD, unit="100m_cny") == level == share
    for k, f in level.items():
        if f is not None:
            assert month[k] is not None and yoy[k] is not None
            assert comparable.get(k, "no row") is not None  # a cell without a panel has no row at all
        if before.get(k):
            assert month[k] is not None  # last month's suppressed YTD is not reopened by YTD − month
        if last.get(k):
            assert yoy[k] is not None and comparable.get(k, "no row") is not None  # nor last year's by growth
    if by == ["province", "sector"]:  # the growth rule had something to do here
        assert any(last.get(k) and not level[k] and yoy[k] == "secondary" for k in level)


def test_one_stored_pattern_for_all_linked_tables_and_it_passes_the_audit(published):
    s = published.settings
    wh = Warehouse(s)
    d = Disclosure(wh)
    pattern = d.pattern("monthly", PERIOD, "revenue_total")
    path = pattern_path(s, "monthly", PERIOD, pattern.release, "revenue_total")
    stamp = path.stat().st_mtime_ns
    for by in (["region"], ["province"], ["sector", "region"], ["city"], ["size_tier"], []):
        res = published_table(s, "revenue_total", by, PERIOD, public=True)
        dims = d.rules.table_of(d.catalog.indicators["revenue_total"], by)
        got = {tuple(r[x] for x in dims): r["flag"] for r in res.rows}
        assert {k: f for k, f in got.items() if f} == pattern.table_flags(dims)
    again = Disclosure(Warehouse(s)).pattern("monthly", PERIOD, "revenue_total")
    assert again.flags == pattern.flags and path.stat().st_mtime_ns == stamp  # read, never rewritten
    rows = d.audit("monthly", PERIOD, "revenue_total")
    assert len(rows) == len(pattern.flags) and all(r.protected for r in rows)
    caught = d.audit("monthly", PERIOD, "revenue_total", primary_only=True)
    assert any(not r.protected for r in caught)


def test_suppressed_cells_stay_suppressed_later_in_the_year(published):
    d = Disclosure(Warehouse(published.settings))
    before, now = d.pattern("monthly", "2024-02", "revenue_total"), d.pattern("monthly", PERIOD, "revenue_total")
    assert now.carried_from == ("monthly 2024-02 #1",)
    linked = d.linked("monthly", PERIOD, "revenue_total")
    still = {k for k in before.flags if k in linked}
    assert still and still <= set(now.flags)


def test_only_linked_tables_and_national_parts_are_public(published):
    s = published.settings
    with pytest.raises(QueryError, match="not published by city,sector"):
        published_table(s, "revenue_total", ["city", "sector"], PERIOD, public=True)
    with pytest.raises(QueryError, match="not published by province"):
        published_table(s, "revenue_it_services", ["province"], PERIOD, public=True)
    (row,) = published_table(s, "revenue_it_services", [], PERIOD, public=True).rows
    assert row["flag"] is None and row["value"] > 0


def test_an_annual_release_starts_from_its_december_pattern(published, tmp_path):
    import pandas as pd

    from sitmon.config import Settings
    from sitmon.store.warehouse import write_release

    (dec,) = Warehouse(published.settings).files("monthly", ["2024-12"])
    data = pd.read_parquet(dec.path)
    settings = Settings(home=tmp_path / "home")
    write_release(settings, "monthly", "2024-12", 1, data, {"synthetic": True})
    annual = data.assign(period="2024", month=pd.array([None] * len(data), dtype="Int32"))
    annual["revenue_total"] *= 1.001  # the annual report differs a little from December's YTD
    annual["rd_expense"] = annual.revenue_total * 0.1
    write_release(settings, "annual", "2024", 1, annual, {"synthetic": True})
    d = Disclosure(Warehouse(settings))
    monthly, yearly = d.pattern("monthly", "2024-12", "revenue_total"), d.pattern("annual", "2024", "revenue_total")
    assert yearly.carried_from == ("monthly 2024-12 #1",)
    assert monthly.flags and set(monthly.flags) <= set(yearly.flags)
    assert d.pattern("annual", "2024", "rd_expense").carried_from == ()  # not on the monthly form
