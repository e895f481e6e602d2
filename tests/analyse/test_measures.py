"""Every measure against an independent pandas computation over the generated intake files
(including imputed non-respondents, an accepted revision and enterprises that exit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sitmon.analyse import concentration as conc
from sitmon.analyse import measures as m
from sitmon.analyse.measures import cagr
from sitmon.store.warehouse import Warehouse

PERIOD = "2024-06"


@pytest.fixture(scope="module")
def table(published):
    return Warehouse(published.settings).table("monthly")


@pytest.fixture(scope="module")
def exp(published):
    return published.expected


def _by(df: pd.DataFrame, period: str, by: list[str], col: str = "revenue_total") -> pd.Series:
    d = df[df.period == period]
    return d.groupby(by)[col].sum() if by else pd.Series({(): d[col].sum()})


def _res(t, name, by, period=PERIOD):
    out = m.measure(t, name, "revenue_total", by, period).execute()
    return out.set_index(by)["value"].sort_index() if by else pd.Series({(): out["value"].iloc[0]})


def test_release_holds_respondents_imputed_and_the_revision(table, exp):
    rel = table.filter(table.period == PERIOD).execute()
    want = exp[exp.period == PERIOD]
    assert len(rel) == len(want)
    assert rel.imputed.sum() == want.imputed.sum() > 0
    merged = rel.merge(want, on="uscc", suffixes=("", "_x"))
    assert np.allclose(merged.revenue_total, merged.revenue_total_x)
    assert rel.revision.max() == 2  # the accepted correction is published


@pytest.mark.parametrize("by", [[], ["region"], ["sector"], ["region", "sector"]])
def test_levels(table, exp, by):
    got, want = _res(table, "ytd", by), _by(exp, PERIOD, by)
    assert np.allclose(got.to_numpy(), want.sort_index().to_numpy())


@pytest.mark.parametrize("by", [[], ["region"]])
def test_single_month_yoy_share(table, exp, by):
    prev = "2024-05"
    month = _by(exp, PERIOD, by) - _by(exp, prev, by)
    assert np.allclose(_res(table, "month", by).to_numpy(), month.sort_index().to_numpy())
    jan = _by(exp, "2024-01", by)
    assert np.allclose(_res(table, "month", by, "2024-01").to_numpy(), jan.sort_index().to_numpy())
    yoy = (_by(exp, PERIOD, by) / _by(exp, "2023-06", by) - 1) * 100
    assert np.allclose(_res(table, "yoy", by).to_numpy(), yoy.sort_index().to_numpy())
    share = _by(exp, PERIOD, by) / exp[exp.period == PERIOD].revenue_total.sum() * 100
    assert np.allclose(_res(table, "share", by).to_numpy(), share.sort_index().to_numpy())


@pytest.mark.parametrize("by", [[], ["sector"]])
def test_comparable_growth_uses_enterprises_reporting_in_both_years(table, exp, by):
    cur = exp[(exp.period == PERIOD) & ~exp.imputed]
    last = exp[(exp.period == "2023-06") & ~exp.imputed][["uscc", "revenue_total"]]
    both = cur.merge(last, on="uscc", suffixes=("", "_ly"))
    g = (
        both.groupby(by)[["revenue_total", "revenue_total_ly"]].sum()
        if by
        else both[["revenue_total", "revenue_total_ly"]].sum().to_frame().T
    )
    want = (g.revenue_total / g.revenue_total_ly - 1) * 100
    got = _res(table, "yoy_comparable", by)
    assert np.allclose(got.to_numpy(), want.sort_index().to_numpy())
    # exits and entries make the two growth rates differ
    assert abs(_res(table, "yoy", by).to_numpy() - got.to_numpy()).max() > 0.01


def test_contribution_sums_to_national_growth(table):
    parts = _res(table, "contribution", ["region"]).sum()
    assert parts == pytest.approx(_res(table, "yoy", []).iloc[0], rel=1e-9)


def test_concentration_and_size_tiers(table, exp):
    d = exp[exp.period == PERIOD].revenue_total.sort_values(ascending=False).to_numpy()
    s = d / d.sum() * 100
    got = conc.concentration(table, "revenue_total", PERIOD).execute().iloc[0]
    assert got.cr4 == pytest.approx(s[:4].sum()) and got.cr10 == pytest.approx(s[:10].sum())
    assert got.cr100 == pytest.approx(s[:100].sum()) and got.hhi == pytest.approx((s**2).sum())
    dec = exp[exp.period == "2024-12"].revenue_total / 1e4
    tiers = conc.size_tiers(table, 2024).execute().set_index("threshold_100m_cny")
    for th in (1, 10, 100):
        assert tiers.loc[float(th), "enterprises"] == (dec >= th).sum()
    top = conc.ranking(table, "revenue_total", PERIOD, 5).execute()
    assert list(top["rank"]) == [1, 2, 3, 4, 5] and top.value.iloc[0] == pytest.approx(d[0])


def test_cagr_definition():
    assert cagr(42800, 81616, 5) == pytest.approx(13.78, abs=0.01)  # 13th plan: 2015 -> 2020
    with pytest.raises(ValueError):
        cagr(0, 1, 2)
