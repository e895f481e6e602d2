"""The bulletin table set of one period (月度运行情况): revenue by every published breakdown, with
YTD, single month, YoY on levels and comparable YoY, plus national concentration."""

from __future__ import annotations

import ibis.expr.types as ir

from .concentration import concentration
from .measures import comparable_yoy, level, single_month, yoy

BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "national": (),
    "region": ("region",),
    "province": ("province",),
    "city": ("city",),
    "sector": ("sector",),
}


def bulletin_tables(t: ir.Table, period: str, indicator: str = "revenue_total") -> dict[str, ir.Table]:
    """Named Ibis tables: ``<breakdown>`` with columns ``*by, ytd, month, yoy, yoy_comparable`` (万元 and %)
    for national, macro region, province, city and sector, and ``concentration`` (CR4/10/100, HHI)."""
    out: dict[str, ir.Table] = {}
    for name, by in BREAKDOWNS.items():
        cells = level(t, indicator, by, period).select(*by, ytd="value")
        for mname, fn in (("month", single_month), ("yoy", yoy), ("yoy_comparable", comparable_yoy)):
            other = fn(t, indicator, by, period)
            if by:
                other = other.select(*[other[c].name(f"{c}__k") for c in by], **{mname: other.value})
                cells = cells.left_join(other, [cells[c] == other[f"{c}__k"] for c in by]).drop(
                    *[f"{c}__k" for c in by]
                )
            else:
                cells = cells.cross_join(other.select(**{mname: other.value}))
        if name == "city":
            cells = cells.filter(cells.city.notnull())
        out[name] = cells
    out["concentration"] = concentration(t, indicator, period)
    return out
