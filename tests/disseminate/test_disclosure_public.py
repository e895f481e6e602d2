"""``published_table(public=True)`` on real releases (the shared published fixture): the contract the CLI and
the API rely on, one pattern for all linked tables and measures, computed at publishing, stored once, carried
through the year and across releases of a period; public reads only read."""

import shutil

import pandas as pd
import pytest

from sitmon.analyse.disclosure import REASONS
from sitmon.config import Settings
from sitmon.disseminate.disclosure import Disclosure
from sitmon.disseminate.tables import QueryError, published_table
from sitmon.process.disclosure import audit_release, ensure_patterns, stage_patterns
from sitmon.store.patterns import pattern_path
from sitmon.store.warehouse import Warehouse, write_release

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
    month, yoy, share, comparable = (
        flags(PERIOD, "month"),
        flags(PERIOD, "yoy"),
        flags(PERIOD, "share"),
        flags(PERIOD, "yoy_comparable"),
    )
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
    assert path.parent.parent.name == f"release={pattern.release}"  # inside the release folder
    rows = audit_release(s, "monthly", PERIOD, "revenue_total", reviewers=True)
    public = [r for r in rows if r.attacker == "public"]
    assert len(public) == len(pattern.flags) and all(r.protected for r in rows)
    assert {r.attacker for r in rows} - {"public"}  # every province's reviewer was an attacker too
    caught = audit_release(s, "monthly", PERIOD, "revenue_total", primary_only=True)
    assert any(not r.protected for r in caught)


def test_suppressed_cells_stay_suppressed_later_in_the_year(published):
    d = Disclosure(Warehouse(published.settings))
    before, now = (
        d.pattern("monthly", "2024-02", "revenue_total"),
        d.pattern("monthly", PERIOD, "revenue_total"),
    )
    assert now.carried_from == ("monthly 2024-02 #1",)
    res = published_table(published.settings, "revenue_total", ["province", "sector"], PERIOD, public=True)
    exists = {("province_sector", (r["province"], r["sector"])) for r in res.rows}
    still = {k for k in before.flags if k in exists}
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
    assert (
        d.pattern("annual", "2024", "revenue_total") is None
    )  # written without patterns: nothing computed here
    rows = published_table(settings, "revenue_total", ["province"], "2024", public=True).rows
    assert rows and all(
        r["flag"] == "secondary" and r["value"] is None for r in rows
    )  # missing: all suppressed
    written = ensure_patterns(settings, "annual", "2024")
    assert "monthly 2024-12 #1 revenue_total" in written and "annual 2024 #1 revenue_total" in written
    monthly, yearly = (
        d.pattern("monthly", "2024-12", "revenue_total"),
        d.pattern("annual", "2024", "revenue_total"),
    )
    assert yearly.carried_from == ("monthly 2024-12 #1",)
    assert monthly.flags and set(monthly.flags) <= set(yearly.flags)
    assert d.pattern("annual", "2024", "rd_expense").carried_from == ()  # not on the monthly form


def test_a_revision_republished_hides_nothing_the_earlier_release_showed(published, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(published.settings.home, home)
    settings = Settings(home=home)
    (first,) = Warehouse(settings).files("monthly", [PERIOD])
    data = pd.read_parquet(first.path)
    small = data.sort_values("revenue_total").index[len(data) // 3]
    data.loc[small, ["revenue_total", "revenue_it_services"]] += 500.0  # one enterprise revises
    write_release(
        settings,
        "monthly",
        PERIOD,
        first.number + 1,
        data,
        {"synthetic": True},
        derive=[stage_patterns(settings, "monthly", PERIOD)],
    )
    d = Disclosure(Warehouse(settings))
    old = d.pattern("monthly", PERIOD, "revenue_total", first.number)
    new = d.pattern("monthly", PERIOD, "revenue_total")
    assert new.release == first.number + 1 and f"monthly {PERIOD} #{first.number}" in new.carried_from
    assert set(old.flags) <= set(new.flags)  # suppressed stays suppressed across releases
    before = {
        (r["province"], r["sector"]): r["value"]
        for r in published_table(
            settings, "revenue_total", ["province", "sector"], PERIOD, release=first.number
        ).rows
    }
    for (table, key), _ in new.flags.items():  # a cell newly hidden changed with the revision: not known
        if table == "province_sector" and ("province_sector", key) not in old.flags:
            now = published_table(settings, "revenue_total", ["province", "sector"], PERIOD).rows
            value = next(r["value"] for r in now if (r["province"], r["sector"]) == key)
            assert value != pytest.approx(before[key])
    rows = audit_release(settings, "monthly", PERIOD, "revenue_total")
    assert rows and all(r.protected for r in rows)
    with pytest.raises(QueryError, match="superseded"):  # the public reads the latest release only
        published_table(settings, "revenue_total", ["province"], PERIOD, release=first.number, public=True)
    latest = published_table(
        settings, "revenue_total", ["province"], PERIOD, release=first.number + 1, public=True
    )
    assert latest.protected


def test_a_pattern_that_cannot_be_computed_suppresses_everything(published, tmp_path, monkeypatch):
    import sitmon.process.disclosure as pd_mod

    home = tmp_path / "home"
    shutil.copytree(published.settings.home, home)
    settings = Settings(home=home)
    (first,) = Warehouse(settings).files("monthly", [PERIOD])
    data = pd.read_parquet(first.path)

    def broken(*args, **kwargs):
        raise OverflowError("a value near 1e308")

    monkeypatch.setattr(pd_mod, "protect", broken)
    write_release(
        settings,
        "monthly",
        PERIOD,
        first.number + 1,
        data,
        {"synthetic": True},
        derive=[stage_patterns(settings, "monthly", PERIOD)],
    )
    pattern = Disclosure(Warehouse(settings)).pattern("monthly", PERIOD, "revenue_total")
    assert pattern.release == first.number + 1 and "OverflowError" in pattern.failsafe
    rows = published_table(settings, "revenue_total", ["province"], PERIOD, public=True).rows
    assert rows and all(r["value"] is None and r["flag"] for r in rows)


def test_a_public_read_after_publish_serves_the_cube_and_never_calls_the_solver(published, monkeypatch):
    """Publishing computes the patterns first and the materialised aggregates carry them: a public table reads
    its values and its flags from the cube; neither the pattern solver nor the pattern files are touched."""
    import sitmon.analyse.disclosure.lp as lp_mod
    import sitmon.analyse.disclosure.optimal as optimal_mod
    import sitmon.disseminate.disclosure as dd_mod
    import sitmon.process.disclosure as pd_mod
    from sitmon.store.cubes import read_cube
    from sitmon.store.patterns import read_pattern

    s = published.settings
    (f,) = Warehouse(s).files("monthly", [PERIOD])
    stored = read_pattern(s, "monthly", PERIOD, f.number, "revenue_total")
    cube = read_cube(f.path.parent)
    assert stored is not None and cube is not None
    carried = cube.meta["disclosure"]["revenue_total"]
    assert carried["cells"] == stored["cells"] and carried["panel"] == stored["panel"]

    def forbidden(*args, **kwargs):
        raise AssertionError("a public read computed or re-read a pattern")

    for mod in (pd_mod, optimal_mod):
        monkeypatch.setattr(mod, "protect", forbidden)
    monkeypatch.setattr(pd_mod.PatternBuilder, "__init__", forbidden)
    monkeypatch.setattr(lp_mod.AttackerLP, "__init__", forbidden)
    monkeypatch.setattr(dd_mod, "read_pattern", forbidden)  # served from the cube, not the pattern files
    monkeypatch.setattr(dd_mod, "_PATTERNS", {})
    res = published_table(
        s, "revenue_total", ["province", "sector"], PERIOD, ["level", "month", "yoy"], public=True
    )
    assert res.materialised == 3 and res.protected
    level = {(r["province"], r["sector"]): r["flag"] for r in res.rows if r["measure"] == "level"}
    expected = {tuple(c["key"]): c["flag"] for c in stored["cells"] if c["table"] == "province_sector"}
    assert {k: v for k, v in level.items() if v} == expected
    assert all(r["value"] is None for r in res.rows if r["flag"])
