"""Bulletin measures on release tables (pure Ibis: tables in, tables out).

A release table has one row per enterprise and period (respondents and imputed non-respondents) with
the dimensions ``region, province, city, sector`` and monthly values as year to date (本年累计).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from ..domain import Period

DIMENSIONS = ("region", "province", "city", "sector", "size_tier")
#: Lower bounds (亿元, annualised revenue) of the size tiers (规模档次) and their labels.
SIZE_TIERS = (
    (1000, "1000亿元以上"),
    (500, "500–1000亿元"),
    (100, "100–500亿元"),
    (50, "50–100亿元"),
    (10, "10–50亿元"),
    (1, "1–10亿元"),
    (0, "1亿元以下"),
)


def with_size_tier(t: ir.Table, indicator: str = "revenue_total") -> ir.Table:
    """Adds ``size_tier``: the tier of the enterprise's annualised revenue in the period
    (YTD × 12 / month, in 亿元; the full year for December and annual forms)."""
    months = ibis.ifelse(t.month.isnull(), 12, t.month).cast("float64")
    annual_100m = t[indicator] * 12.0 / months / 1e4
    tier = ibis.cases(*[(annual_100m >= lo, label) for lo, label in SIZE_TIERS[:-1]], else_=SIZE_TIERS[-1][1])
    return t.mutate(size_tier=tier)


def _prepare(t: ir.Table, by: Sequence[str], indicator: str) -> ir.Table:
    # an enterprise's size tier is that of its software business revenue, whatever indicator is tabulated
    return with_size_tier(t) if "size_tier" in by else t


def level(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Σ indicator over the enterprises of ``period`` by ``by`` (YTD for monthly forms), with the count
    of enterprises: columns ``*by, value, enterprises``."""
    t = _prepare(t, by, indicator).filter(lambda r: r.period == period)
    agg = {"value": t[indicator].sum(), "enterprises": t.enterprise_key.count()}
    return t.group_by(list(by)).aggregate(**agg) if by else t.aggregate(**agg)


def _last_year(period: str) -> str:
    return str(Period.parse(period).same_period_last_year)


def _join_on(a: ir.Table, b: ir.Table, by: Sequence[str], value: str) -> ir.Table:
    if not by:
        return a.cross_join(b.select(**{value: b.value}))
    b = b.select(*[b[c].name(f"{c}_r") for c in by], **{value: b.value})
    # null-safe: the cell of enterprises in no city is a cell in both periods
    pred = [a[c].identical_to(b[f"{c}_r"]) for c in by]
    j = a.left_join(b, pred)
    return j.select(*[a[c] for c in by], a.value, a.enterprises, j[value])


def single_month(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """当月: Σ YTD of ``period`` − Σ YTD of the previous month, per cell (January: its YTD).

    Derived from the two releases' cell totals, as bulletins publish it; columns ``*by, value``.
    """
    cur = level(t, indicator, by, period)
    prev = Period.parse(period).previous_in_year
    if prev is None:
        return cur.select(*by, "value")
    j = _join_on(cur, level(t, indicator, by, str(prev)), by, "prev")
    return j.select(*by, value=j.value - j.prev.fill_null(0))


def yoy(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Year-on-year growth on levels, percent: (Σx_t / Σx_{t−1y} − 1) × 100 over each period's release."""
    j = _join_on(level(t, indicator, by, period), level(t, indicator, by, _last_year(period)), by, "prev")
    return j.select(*by, value=ibis.ifelse(j.prev > 0, (j.value / j.prev - 1) * 100, ibis.null("float64")))


def comparable_yoy(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Comparable-basis growth (同口径), percent: (Σ_{i∈both} x_{i,t} / Σ_{i∈both} x_{i,t−1y} − 1) × 100,
    over enterprises that reported (not imputed) in both periods; cells by this period's attributes."""
    t = _prepare(t, by, indicator)
    cur = t.filter((t.period == period) & ~t.imputed)
    last = t.filter((t.period == _last_year(period)) & ~t.imputed)
    last = last.select(key_r=last.enterprise_key, prev=last[indicator])
    j = cur.inner_join(last, cur.enterprise_key == last.key_r)
    agg = {"num": j[indicator].sum(), "den": j.prev.sum()}
    g = j.group_by(list(by)).aggregate(**agg) if by else j.aggregate(**agg)
    return g.select(*by, value=ibis.ifelse(g.den > 0, (g.num / g.den - 1) * 100, ibis.null("float64")))


def share(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Share of each cell in the national total, percent: Σx_cell / Σx_nation × 100."""
    cells = level(t, indicator, by, period)
    total = level(t, indicator, (), period).select(total=lambda r: r.value)
    j = cells.cross_join(total)
    return j.select(*by, value=j.value / j.total * 100)


def contribution(t: ir.Table, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Contribution to national growth, percentage points: (x_cell,t − x_cell,t−1y) / X_nation,t−1y × 100."""
    ly = _last_year(period)
    j = _join_on(level(t, indicator, by, period), level(t, indicator, by, ly), by, "prev")
    nat = level(t, indicator, (), ly).select(nat_prev=lambda r: r.value)
    k = j.cross_join(nat)
    return k.select(*by, value=(k.value - k.prev.fill_null(0)) / k.nat_prev * 100)


MEASURES = {
    "level": level,
    "ytd": level,
    "month": single_month,
    "yoy": yoy,
    "yoy_comparable": comparable_yoy,
    "share": share,
    "contribution": contribution,
}
PERCENT_MEASURES = {"yoy", "yoy_comparable", "share", "contribution"}


def measure(t: ir.Table, name: str, indicator: str, by: Sequence[str], period: str) -> ir.Table:
    """Dispatch to the measure ``name`` (see :data:`MEASURES`); columns ``*by, value``."""
    return MEASURES[name](t, indicator, by, period).select(*by, "value")


def cagr(first: float, last: float, years: float) -> float:
    """Average annual growth, percent: ((last / first)^(1/years) − 1) × 100."""
    if first <= 0 or years <= 0:
        raise ValueError("CAGR needs a positive first value and a positive span")
    return ((last / first) ** (1 / years) - 1) * 100


__all__ = [
    "DIMENSIONS",
    "MEASURES",
    "PERCENT_MEASURES",
    "SIZE_TIERS",
    "cagr",
    "comparable_yoy",
    "contribution",
    "level",
    "measure",
    "share",
    "single_month",
    "with_size_tier",
    "yoy",
]
