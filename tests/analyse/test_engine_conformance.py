"""The conformance suite of the analysis engines: every measure, concentration and size structure, the derived
indicators of plans and the statistics disclosure control reads, computed by the same Ibis expressions on each
engine (DuckDB in process, Spark in local mode with one shared session) and checked against an independent
pandas computation over the generated intake files (tests/published.py) — the way ibis tests its backends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sitmon.analyse import concentration as conc
from sitmon.analyse.bulletin import bulletin_tables
from sitmon.analyse.derived import derived_value
from sitmon.analyse.disclosure import panel_stats, release_stats
from sitmon.analyse.measures import MEASURES, SIZE_TIERS, measure
from sitmon.catalog import load_catalog
from sitmon.catalog.derived import DerivedIndicator, load_derived
from sitmon.config import Settings
from sitmon.store.warehouse import Warehouse, connect

# the session's published world takes a minute to build (every release's disclosure patterns): not the fast loop
pytestmark = pytest.mark.slow

PERIOD, LAST_YEAR, PREVIOUS = "2024-06", "2023-06", "2024-05"
BREAKDOWNS = [(), ("province",), ("region", "sector"), ("size_tier",)]
ENGINES = ["duckdb", pytest.param("spark", marks=[pytest.mark.spark, pytest.mark.slow])]


@pytest.fixture(scope="session", params=ENGINES)
def engine(request, published):
    """An Ibis backend of each engine over the published test warehouse (Spark: one session for the suite)."""
    settings = Settings(home=published.settings.home, engine=request.param, spark_master="local[2]")
    return connect(settings)


@pytest.fixture(scope="session")
def release(engine, published):
    """Every monthly release as one Ibis table on ``engine``."""
    return Warehouse(published.settings, engine).table("monthly")


@pytest.fixture(scope="module")
def exp(published) -> pd.DataFrame:
    """The pandas model of every release, with each enterprise's size tier (by annualised software business
    revenue) in its period."""
    e = published.expected.copy()
    months = e.period.str[5:7].astype(int)
    annual_100m = e.revenue_total * 12.0 / months / 1e4
    e["size_tier"] = SIZE_TIERS[-1][1]
    for lo, label in reversed(SIZE_TIERS[:-1]):
        e.loc[annual_100m >= lo, "size_tier"] = label
    return e


# -- the pandas model ---------------------------------------------------------------------------------------------
def _sums(e: pd.DataFrame, period: str, by: tuple[str, ...], col: str = "revenue_total") -> pd.Series:
    d = e[e.period == period]
    return d.groupby(list(by))[col].sum() if by else pd.Series({(): d[col].sum()})


def _comparable(e: pd.DataFrame, by: tuple[str, ...]) -> pd.Series:
    cur = e[(e.period == PERIOD) & ~e.imputed]
    last = e[(e.period == LAST_YEAR) & ~e.imputed][["uscc", "revenue_total"]]
    both = cur.merge(last, on="uscc", suffixes=("", "_ly"))
    if not by:
        return pd.Series({(): (both.revenue_total.sum() / both.revenue_total_ly.sum() - 1) * 100})
    g = both.groupby(list(by))[["revenue_total", "revenue_total_ly"]].sum()
    return (g.revenue_total / g.revenue_total_ly - 1) * 100


def expected_measure(e: pd.DataFrame, name: str, by: tuple[str, ...]) -> pd.Series:
    """The measure ``name`` of software business revenue for PERIOD by ``by``, computed with pandas."""
    cur, ly = _sums(e, PERIOD, by), _sums(e, LAST_YEAR, by)
    national = _sums(e, PERIOD, ())[()]
    if name in ("level", "ytd"):
        return cur
    if name == "month":
        return cur - _sums(e, PREVIOUS, by).reindex(cur.index).fillna(0)
    if name == "yoy":
        return (cur / ly.reindex(cur.index) - 1) * 100
    if name == "yoy_comparable":
        return _comparable(e, by)
    if name == "share":
        return cur / national * 100
    if name == "contribution":
        return (cur - ly.reindex(cur.index).fillna(0)) / _sums(e, LAST_YEAR, ())[()] * 100
    raise KeyError(name)


def _series(df: pd.DataFrame, by: tuple[str, ...], col: str = "value") -> pd.Series:
    return df.set_index(list(by))[col].sort_index() if by else pd.Series({(): df[col].iloc[0]})


def _same(got: pd.Series, want: pd.Series) -> None:
    want = want.sort_index()
    assert list(got.index) == list(want.index)
    assert np.allclose(got.to_numpy(dtype=float), want.to_numpy(dtype=float), rtol=1e-9, equal_nan=True)


# -- measures -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("by", BREAKDOWNS, ids=lambda b: "_".join(b) or "national")
@pytest.mark.parametrize("name", [m for m in MEASURES if m != "level"])
def test_every_measure(release, exp, name, by):
    got = _series(measure(release, name, "revenue_total", list(by), PERIOD).execute(), by)
    _same(got, expected_measure(exp, name, by))


def test_january_single_month_is_its_ytd(release, exp):
    got = _series(measure(release, "month", "revenue_total", ["region"], "2024-01").execute(), ("region",))
    _same(got, _sums(exp, "2024-01", ("region",)))


def test_bulletin_tables(release, exp):
    tables = {k: v.execute() for k, v in bulletin_tables(release, PERIOD).items()}
    assert set(tables) == {"national", "region", "province", "city", "sector", "concentration"}
    region = tables["region"].set_index("region").sort_index()
    _same(region.ytd, _sums(exp, PERIOD, ("region",)))
    _same(region.yoy, expected_measure(exp, "yoy", ("region",)))
    _same(region.yoy_comparable, expected_measure(exp, "yoy_comparable", ("region",)))
    city = tables["city"].set_index("city").sort_index()
    _same(city.ytd, _sums(exp, PERIOD, ("city",)))


# -- concentration and size structure ----------------------------------------------------------------------------
def _shares(values: pd.Series) -> np.ndarray:
    v = values.sort_values(ascending=False).to_numpy()
    return v / v.sum() * 100


def test_concentration_national_and_by_region(release, exp):
    s = _shares(exp[exp.period == PERIOD].revenue_total)
    got = conc.concentration(release, "revenue_total", PERIOD).execute().iloc[0]
    assert (got.cr4, got.cr10, got.cr100, got.hhi) == pytest.approx(
        (s[:4].sum(), s[:10].sum(), s[:100].sum(), (s**2).sum()), rel=1e-9
    )
    by = (
        conc.concentration(release, "revenue_total", PERIOD, ["region"])
        .execute()
        .set_index("region")
        .sort_index()
    )
    for region, group in exp[exp.period == PERIOD].groupby("region"):
        s = _shares(group.revenue_total)
        assert by.loc[region, "cr4"] == pytest.approx(s[:4].sum(), rel=1e-9)
        assert by.loc[region, "hhi"] == pytest.approx((s**2).sum(), rel=1e-9)
        assert by.loc[region, "enterprises"] == len(group)


def test_size_tiers_cities_and_ranking(release, exp):
    dec = exp[exp.period == "2024-12"]
    tiers = conc.size_tiers(release, 2024).execute().set_index("threshold_100m_cny")
    for th in (1, 10, 100, 500):
        above = dec.revenue_total / 1e4 >= th
        assert tiers.loc[float(th), "enterprises"] == above.sum()
        assert tiers.loc[float(th), "total_100m_cny"] == pytest.approx(dec.revenue_total[above].sum() / 1e4)
    by_city = (dec.dropna(subset=["city"]).groupby("city").revenue_total.sum() / 1e4).sort_values()
    threshold = float(
        by_city.iloc[len(by_city) // 2 - 1 : len(by_city) // 2 + 1].mean()
    )  # between two cities
    cities = conc.cities_above(release, 2024, threshold).execute()
    assert set(cities.city) == set(by_city[by_city >= threshold].index)
    top = conc.ranking(release, "revenue_total", PERIOD, 5).execute()
    want = exp[exp.period == PERIOD].nlargest(5, "revenue_total")
    assert list(top["rank"]) == [1, 2, 3, 4, 5] and list(top.uscc) == list(want.uscc)


# -- derived indicators of plans -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "code",
    ["enterprises_revenue_over_100e8", "enterprises_revenue_over_1000e8", "cities_revenue_over_1000e8"],
)
def test_shipped_derived_indicators(release, exp, code):
    dec = exp[exp.period == "2024-12"]
    d = load_derived()[code]
    got = derived_value(release, d, 2024, load_catalog()).execute()
    threshold = float(d.params["threshold"]) * 1e4  # 亿元 → 万元
    if d.expression == "cities_at_least":
        want = (dec.dropna(subset=["city"]).groupby("city").revenue_total.sum() >= threshold).sum()
    else:
        want = (dec.revenue_total >= threshold).sum()
    assert int(got) == int(want)


def test_top_n_ratio(release, exp):
    d = DerivedIndicator(
        code="top10_it_share",
        name_zh="前10家信息技术服务收入占比",
        name_en="IT services share of the top 10",
        unit="pct",
        expression="top_n_ratio",
        params={
            "n": 10,
            "rank_by": "revenue_total",
            "numerator": "revenue_it_services",
            "denominator": "revenue_total",
        },
    )
    top = exp[exp.period == "2024-12"].nlargest(10, "revenue_total")
    got = derived_value(release, d, 2024, load_catalog()).execute()
    assert float(got) == pytest.approx(
        top.revenue_it_services.sum() / top.revenue_total.sum() * 100, rel=1e-9
    )


# -- what disclosure control reads ---------------------------------------------------------------------------------
def _contributors(d: pd.DataFrame, keys: list[str], top: int) -> pd.DataFrame:
    rows = []
    for key, g in d.groupby(keys, dropna=False):
        a = np.sort(np.abs(g.revenue_total.fillna(0).to_numpy()))[::-1]
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "n": len(g),
                "sum": g.revenue_total.sum(),
                "abs": a.sum(),
                **{f"top{i + 1}": (a[i] if i < len(a) else 0.0) for i in range(top)},
            }
        )
    return pd.DataFrame(rows)


def _same_frame(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    got = got.astype({k: object for k in keys}).where(got.notna(), None)
    want = want.astype({k: object for k in keys}).where(want.notna(), None)
    got = got.sort_values(keys, key=lambda c: c.astype(str)).reset_index(drop=True)
    want = want.sort_values(keys, key=lambda c: c.astype(str)).reset_index(drop=True)
    assert len(got) == len(want) > 0
    for k in keys:
        assert got[k].tolist() == want[k].tolist(), k
    for c in [c for c in want.columns if c not in keys]:
        assert np.allclose(got[c].astype(float), want[c].astype(float), rtol=1e-9), c


def test_release_statistics(release, exp):
    keys = ["period", "region", "province", "city", "sector"]
    frames = {k: v.execute() for k, v in release_stats(release, [PERIOD], "revenue_total", 2).items()}
    d = exp[exp.period == PERIOD]
    _same_frame(frames["atoms"], _contributors(d, keys, 2), keys)
    _same_frame(frames["tiers"], _contributors(d, ["period", "size_tier"], 2), ["period", "size_tier"])


def test_panel_statistics(release, exp):
    keys = ["period", "region", "province", "city", "sector"]
    frames = {k: v.execute() for k, v in panel_stats(release, PERIOD, LAST_YEAR, "revenue_total", 3).items()}
    cur = exp[(exp.period == PERIOD) & ~exp.imputed]
    both = cur[cur.uscc.isin(exp[(exp.period == LAST_YEAR) & ~exp.imputed].uscc)]
    assert 0 < len(both) < len(cur)
    _same_frame(frames["atoms"], _contributors(both, keys, 3), keys)
    _same_frame(frames["tiers"], _contributors(both, ["period", "size_tier"], 3), ["period", "size_tier"])


def test_the_cube_materialised_on_every_engine(engine, published, exp, tmp_path):
    """The aggregates materialised at publish time (:mod:`sitmon.analyse.cube`) on each engine: the atoms roll up
    to the pandas model's levels and comparable panel, and the largest values are the model's."""
    import shutil

    from pyarrow import feather

    from sitmon.process.materialise import materialise
    from sitmon.store.cubes import ATOMS_FILE, PANEL_FILE
    from sitmon.store.warehouse import release_files

    (f,) = release_files(published.settings, "monthly", [PERIOD])
    folder = tmp_path / "staged"
    folder.mkdir()
    shutil.copy(f.path, folder / "data.parquet")
    meta = materialise(published.settings, "monthly", PERIOD, folder, engine)
    atoms = feather.read_table(folder / ATOMS_FILE).to_pandas()
    panel = feather.read_table(folder / PANEL_FILE).to_pandas()
    cur = exp[exp.period == PERIOD]
    assert meta["top"]["revenue_total"] == pytest.approx(sorted(cur.revenue_total, reverse=True)[:100])
    for by in BREAKDOWNS:
        want = _sums(exp, PERIOD, by)
        got = (
            atoms.groupby(list(by)).revenue_total.sum() if by else pd.Series({(): atoms.revenue_total.sum()})
        )
        assert np.allclose(got.sort_index().to_numpy(), want.sort_index().to_numpy(), rtol=1e-9), by
        g = (
            panel.groupby(list(by))[["revenue_total__num", "revenue_total__den"]].sum()
            if by
            else panel[["revenue_total__num", "revenue_total__den"]].sum().to_frame().T
        )
        growth = (g.revenue_total__num / g.revenue_total__den - 1).to_numpy() * 100
        assert np.allclose(np.sort(growth), np.sort(_comparable(exp, by).to_numpy()), rtol=1e-9), by
    assert int(atoms.enterprises.sum()) == len(cur) and (atoms.revenue_total__sq > 0).all()
