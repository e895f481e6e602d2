"""Concentration and size structure: CR4/CR10/CR100, HHI, size tiers, cities above a threshold, rankings."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from ..domain import Period


def concentration(t: ir.Table, indicator: str, period: str, by: Sequence[str] = ()) -> ir.Table:
    """CR4, CR10, CR100 (percent of the cell total held by its 4/10/100 largest enterprises) and the
    Herfindahl–Hirschman index HHI = Σ (100·s_i)² on shares s_i (0–10,000), per cell of ``by``."""
    t = t.filter(t.period == period)
    w = ibis.window(group_by=list(by) or None, order_by=ibis.desc(t[indicator]))
    ranked = t.mutate(rank=ibis.row_number().over(w))
    tot_w = ibis.window(group_by=list(by) or None)
    ranked = ranked.mutate(total=ranked[indicator].sum().over(tot_w))
    ranked = ranked.mutate(s=ranked[indicator] / ranked.total * 100)
    agg = {
        "cr4": ranked.s.sum(where=ranked["rank"] < 4),
        "cr10": ranked.s.sum(where=ranked["rank"] < 10),
        "cr100": ranked.s.sum(where=ranked["rank"] < 100),
        "hhi": (ranked.s * ranked.s).sum(),
        "enterprises": ranked.enterprise_key.count(),
    }
    return ranked.group_by(list(by)).aggregate(**agg) if by else ranked.aggregate(**agg)


def full_year(t: ir.Table, year: int) -> ir.Table:
    """The rows of ``t`` that hold a whole year ``year``: the annual form's, or the December YTD of the monthly
    form."""
    return t.filter((t.period == str(Period(year))) | (t.period == str(Period(year, 12))))


def annual_revenue(t: ir.Table, year: int, indicator: str = "revenue_total") -> ir.Table:
    """Each enterprise's full-year value (亿元) of ``year``: the annual form's value, or December YTD of
    the monthly form. Columns enterprise_key, city, province, value_100m."""
    d = full_year(t, year)
    return d.select("enterprise_key", "city", "province", value_100m=d[indicator] / 1e4)


def size_tiers(t: ir.Table, year: int, thresholds: Sequence[float] = (1, 10, 50, 100, 500, 1000)) -> ir.Table:
    """Enterprises with full-year revenue above each threshold (亿元): count and total (亿元), one row per threshold."""
    a = annual_revenue(t, year)
    parts = [
        a.filter(a.value_100m >= th).aggregate(
            threshold_100m_cny=ibis.literal(float(th)),
            enterprises=a.enterprise_key.count(),
            total_100m_cny=a.value_100m.sum(),
        )
        for th in thresholds
    ]
    return ibis.union(*parts).order_by("threshold_100m_cny")


def cities_above(t: ir.Table, year: int, threshold_100m: float = 1000) -> ir.Table:
    """Cities whose enterprises' full-year revenue sums to at least ``threshold_100m`` 亿元 (city, value)."""
    a = annual_revenue(t, year)
    g = a.filter(a.city.notnull()).group_by("city").aggregate(value_100m=a.value_100m.sum())
    return g.filter(g.value_100m >= threshold_100m).order_by(ibis.desc("value_100m"))


def ranking(t: ir.Table, indicator: str, period: str, n: int = 100) -> ir.Table:
    """The ``n`` largest enterprises by ``indicator`` in ``period`` — CONFIDENTIAL micro-data, only for
    roles whose scope covers these enterprises. Columns rank, enterprise_key, uscc, province, sector, value."""
    d = t.filter(t.period == period)
    d = d.mutate(rank=ibis.row_number().over(ibis.window(order_by=ibis.desc(d[indicator]))) + 1)
    return (
        d.filter(d["rank"] <= n)
        .select("rank", "enterprise_key", "uscc", "province", "sector", value=d[indicator])
        .order_by("rank")
    )
