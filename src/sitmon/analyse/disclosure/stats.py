"""What the disclosure rules need from a release, as Ibis expressions (pure: tables in, tables out).

The linked tables of a release are sums over *atoms*: the non-empty (region, province, city, sector) groups of
enterprises. Every geographic or sector table is a union of atoms, so per atom the number of enterprises, the
sum, the sum of absolute values and the ``top`` largest absolute contributions of the indicator are enough to
apply the threshold and dominance rules to any cell (the top-n of a union is the top-n of its parts' top-n).
Size tiers (by software business revenue) cut across atoms and are summarised on their own.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from ..measures import with_size_tier

GEO_DIMENSIONS = ("region", "province", "city", "sector")
TIER_DIMENSIONS = ("size_tier",)


def contributor_stats(d: ir.Table, keys: Sequence[str], indicator: str, top: int) -> ir.Table:
    """Per group of ``keys``: ``n`` (enterprises), ``sum`` (Σx), ``abs`` (Σ|x|) and ``top1`` … ``top<top>``
    (the largest |x|, 0 where the group has fewer enterprises) of ``indicator``; a missing value counts as 0.
    Values in the form's unit."""
    x = d[indicator].fill_null(0).cast("float64")
    d = d.mutate(
        x__=x,
        rank__=ibis.row_number().over(
            ibis.window(group_by=list(keys), order_by=[ibis.desc(x.abs()), d.enterprise_key])
        ),
    )
    a = d.x__.abs()
    agg: dict[str, ir.Value] = {"n": d.enterprise_key.count(), "sum": d.x__.sum(), "abs": a.sum()}
    for i in range(top):
        agg[f"top{i + 1}"] = a.max(where=d.rank__ == i).fill_null(0)
    return d.group_by(list(keys)).aggregate(**agg)


def release_stats(t: ir.Table, periods: Sequence[str], indicator: str, top: int) -> dict[str, ir.Table]:
    """``atoms`` (by period, region, province, city, sector) and ``tiers`` (by period and size tier of software
    business revenue): :func:`contributor_stats` of every enterprise in the releases of ``periods``
    (respondents and imputed non-respondents alike)."""
    d = with_size_tier(t.filter(t.period.isin(list(periods))))
    return {
        "atoms": contributor_stats(d, ("period", *GEO_DIMENSIONS), indicator, top),
        "tiers": contributor_stats(d, ("period", *TIER_DIMENSIONS), indicator, top),
    }


def panel_stats(t: ir.Table, period: str, last_year: str, indicator: str, top: int) -> dict[str, ir.Table]:
    """The same summaries over the comparable-basis panel of ``period`` — enterprises that reported (not imputed)
    in both ``period`` and ``last_year`` — on this period's values and attributes: what comparable growth
    (同口径增长) is computed from."""
    d = with_size_tier(t)
    cur = d.filter((d.period == period) & ~d.imputed)
    last = d.filter((d.period == last_year) & ~d.imputed)
    both = cur.semi_join(last, cur.enterprise_key == last.enterprise_key)
    return {
        "atoms": contributor_stats(both, ("period", *GEO_DIMENSIONS), indicator, top),
        "tiers": contributor_stats(both, ("period", *TIER_DIMENSIONS), indicator, top),
    }


def long_stats(
    t: ir.Table, period: str, indicators: Sequence[str], top: int, panel_of: str | None = None
) -> dict[str, ir.Table]:
    """The summaries the rules need for every indicator of ``indicators`` at once (column ``indicator``): ``atoms``
    and ``tiers`` as :func:`release_stats` gives them, and ``parts`` — Σ per province and size tier, what a
    provincial reviewer knows of each tier. With ``panel_of`` (the same period last year), over the
    comparable-basis panel only (:func:`panel_stats`). One query per summary, whatever the number of indicators."""
    d = with_size_tier(t)
    cur = d.filter(d.period == period)
    if panel_of is not None:
        cur = cur.filter(~cur.imputed)
        last = d.filter((d.period == panel_of) & ~d.imputed)
        cur = cur.semi_join(last, cur.enterprise_key == last.enterprise_key)
    keep = ["enterprise_key", "period", *GEO_DIMENSIONS, *TIER_DIMENSIONS]
    long = cur.select(*keep, *[cur[c].cast("float64") for c in indicators]).pivot_longer(
        list(indicators), names_to="indicator", values_to="x__v"
    )
    out = {
        "atoms": contributor_stats(long, ("indicator", "period", *GEO_DIMENSIONS), "x__v", top),
        "tiers": contributor_stats(long, ("indicator", "period", *TIER_DIMENSIONS), "x__v", top),
    }
    if panel_of is None:
        out["parts"] = contributor_stats(long, ("indicator", "province", *TIER_DIMENSIONS), "x__v", 0)
    return out
