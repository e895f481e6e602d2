"""The synthetic population lands on the published regional, provincial and sector levels and comparable
growth — computed here from the generated reports with plain pandas, not from the generator's own report."""

import numpy as np
import pandas as pd
import pytest

from sitmon.catalog.regional import load_regional
from sitmon.catalog.series import load_series
from sitmon.collect.synthetic import simulate

SECTORS = ("software_products", "it_services", "info_security", "embedded")
MACROS = ("east", "central", "west", "northeast")
LEVEL_TOL_PCT, GROWTH_TOL_PTS = 1.0, 0.3


def _frames(pop):
    geo = pop.enterprises.set_index("enterprise_key")[["macro_region", "province_code"]]
    return {
        y: f.join(geo, on="enterprise_key").set_index("enterprise_key") for y, f in pop.annual.groupby("year")
    }


def _published():
    """(year, kind, key) → value: levels (亿元) and growth (%) the ministry published, national series and the
    2024 regional figures."""
    s = load_series()
    out = {}
    for o in s.observations:
        if not o.used:
            continue
        for m in MACROS:
            if o.indicator == f"revenue_region_{m}":
                out[(o.year, "level", m)] = o.value
            if o.indicator == f"revenue_region_{m}_yoy":
                out[(o.year, "growth", m)] = o.value
        for sec in SECTORS:
            if o.indicator == f"revenue_{sec}":
                out[(o.year, "level", sec)] = o.value
            if o.indicator == f"revenue_{sec}_yoy":
                out[(o.year, "growth", sec)] = o.value
        if o.indicator == "revenue_total":
            out[(o.year, "level", "national")] = o.value
        if o.indicator == "revenue_total_yoy":
            out[(o.year, "growth", "national")] = o.value
    for f in load_regional():
        if f.area_code.isdigit() and f.yoy_pct is not None:
            out[(f.year, "growth", f.area_code)] = f.yoy_pct
        if f.area_code == "top5":
            out[(f.year, "level", "top5")] = f.value
        if f.indicator == "revenue_industrial_software":
            out[(f.year, "level", "industrial")], out[(f.year, "growth", "industrial")] = f.value, f.yoy_pct
        if f.indicator == "revenue_cloud_bigdata_services":
            out[(f.year, "level", "cloud_bigdata")], out[(f.year, "growth", "cloud_bigdata")] = (
                f.value,
                f.yoy_pct,
            )
    return out


TOP5 = ["110000", "440000", "320000", "370000", "310000"]


def _column(f, key):
    if key in SECTORS:
        return f[f"revenue_{key}"]
    if key in MACROS:
        return f.revenue_total[f.macro_region == key]
    if key == "top5":
        return f.revenue_total[f.province_code.isin(TOP5)]
    if key.isdigit():
        return f.revenue_total[f.province_code == key]
    if key == "industrial":
        return f.revenue_industrial_software
    if key == "cloud_bigdata":
        return f.revenue_cloud_services + f.revenue_bigdata_services
    return f.revenue_total


def _deviations(pop):
    frames, pub = _frames(pop), _published()
    out = []
    for (year, kind, key), value in pub.items():
        if year not in frames or kind == "growth" and year - 1 not in frames:
            continue
        cur = frames[year]
        if kind == "level":
            gen = _column(cur, key).sum() / 1e4
            out.append((year, kind, key, value, gen, (gen / value - 1) * 100))
        else:
            prev = frames[year - 1]
            both = cur.index.intersection(prev.index)  # enterprises reporting in both years
            gen = (_column(cur.loc[both], key).sum() / _column(prev.loc[both], key).sum() - 1) * 100
            out.append((year, kind, key, value, gen, gen - value))
    return pd.DataFrame(out, columns=["year", "kind", "key", "published", "generated", "diff"])


def _assert_calibrated(dev):
    levels, growth = dev[dev.kind == "level"], dev[dev.kind == "growth"]
    assert (levels["diff"].abs() < LEVEL_TOL_PCT).all(), levels[levels["diff"].abs() >= LEVEL_TOL_PCT]
    assert (growth["diff"].abs() < GROWTH_TOL_PTS).all(), growth[growth["diff"].abs() >= GROWTH_TOL_PTS]


@pytest.mark.slow
def test_the_default_demo_population_lands_on_the_published_figures():
    pop = simulate(10000, 2023, 2024, seed=7)  # what `sitmon demo` generates
    dev = _deviations(pop)
    _assert_calibrated(dev)
    # what was checked: 2023 national, east and sector levels (6); 2024 national, regional, sector, top-5 and
    # sub-item levels (12); 2024 national, regional, provincial, sector and sub-item growth (16)
    got = set(zip(dev.year, dev.kind, dev.key, strict=True))
    assert {(2024, "growth", m) for m in MACROS} | {(2024, "growth", p) for p in TOP5} <= got
    assert {(2024, "level", "top5"), (2024, "growth", "industrial"), (2023, "level", "east")} <= got
    assert len(dev) == 34
    growth = dev[(dev.kind == "growth") & dev.key.isin(MACROS)].set_index("key").generated
    assert growth.max() - growth.min() > 2.5  # the regions no longer grow alike (east 10.1 … west 8.5)
    assert sorted(growth.index, key=growth.get) == ["west", "northeast", "east", "central"]


@pytest.mark.slow
def test_three_years_and_a_first_year_alone():
    _assert_calibrated(_deviations(simulate(3000, 2022, 2024, seed=3)))
    one = _deviations(simulate(1500, 2024, 2024, seed=4))
    _assert_calibrated(one)
    assert set(one.kind) == {"level"}


def test_the_enterprise_level_spread_stays_realistic():
    pop = simulate(3000, 2023, 2024, seed=11)
    f = _frames(pop)
    both = f[2024].index.intersection(f[2023].index)
    g = (f[2024].revenue_total[both] / f[2023].revenue_total[both] - 1) * 100
    q10, q25, q50, q75, q90 = np.percentile(g, [10, 25, 50, 75, 90])
    assert 5 < q50 < 13  # the typical enterprise grows about as the industry
    assert 12 < q75 - q25 < 35 and q10 < -3 and q90 > 20  # …but enterprises differ widely
    size = f[2024].revenue_total / 1e4
    assert size.max() / size.median() > 100  # a heavy tail
    share_top = size.sort_values(ascending=False).head(len(size) // 100).sum() / size.sum()
    assert 0.2 < share_top < 0.8  # the largest 1 % hold a large, not a total, share
    months = pop.monthly[pop.monthly.period == "2024-12"].set_index("enterprise_key").revenue_total
    common = months.index.intersection(f[2024].index)
    assert np.allclose(
        months[common], f[2024].revenue_total[common], rtol=1e-6, atol=0.05
    )  # December YTD = annual


def test_the_generator_reports_its_own_calibration_with_sources():
    pop = simulate(1500, 2023, 2024, seed=2)
    c = pop.calibration
    assert set(c.columns) == {
        "year",
        "measure",
        "dimension",
        "cell",
        "target",
        "generated",
        "diff",
        "published",
        "source",
    }
    pub = c[c.published]
    assert pub.source.str.len().min() > 5 and (~c.published).any()
    assert (pub[pub.measure == "level"]["diff"].abs() < LEVEL_TOL_PCT).all()
    assert (pub[pub.measure == "growth"]["diff"].abs() < GROWTH_TOL_PTS).all()
    derived = c[~c.published]
    assert derived.source.str.contains("derived|back-cast|share|scaled|minus").all()
