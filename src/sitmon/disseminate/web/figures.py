"""The figures of the public pages, each one a published table (:func:`~sitmon.disseminate.tables.published_table`
with ``public=True``: disclosure control always applies) kept in the app's release cache, like the API's.

Nothing here computes a statistic: it picks tables and cells for a page. A table that cannot be answered
(a period not published, a measure that needs a release that is not there) is None, and the page shows a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...config import Settings
from ...domain import Period
from ...process.publish import releases
from ...store.db import Database
from ..cache import ReleaseCache
from ..tables import QueryError, TableResult, published_table

#: The national figures of the overview (bulletin order), each with the unit it is shown in.
HEADLINE = (
    ("revenue_total", "100m_cny"),
    ("profit_total", "100m_cny"),
    ("exports_usd", "100m_usd"),
    ("employees", "10k_persons"),
)
SECTOR_REVENUES = (
    "revenue_software_products",
    "revenue_it_services",
    "revenue_info_security",
    "revenue_embedded",
)
#: Indicators that are published by province (the parts of revenue are national only: disclosure.yaml).
MAP_INDICATORS = ("revenue_total", "profit_total", "exports_usd", "employees")
MAP_MEASURES = ("level", "month", "yoy", "yoy_comparable", "share")


def form_of(period: str) -> str:
    """``annual`` for ``YYYY``, ``monthly`` for ``YYYY-MM``."""
    return str(Period.parse(period).form)


def table(
    cache: ReleaseCache,
    settings: Settings,
    indicator: str,
    by: Sequence[str],
    period: str,
    measure: str = "level",
    unit: str | None = None,
) -> TableResult | None:
    """The public table (disclosure control applied), cached until a new release of its form; None when it
    cannot be answered."""
    key = ("web", indicator, tuple(by), period, measure, unit)
    try:
        return cache.get(
            key,
            [form_of(period)],
            lambda backend: published_table(
                settings, indicator, list(by), period, measure, unit=unit, public=True, backend=backend
            ),
        )
    except QueryError:
        return None


def cell(res: TableResult | None, **where: Any) -> dict[str, Any] | None:
    """The row of ``res`` whose dimensions equal ``where`` (the national row when ``where`` is empty)."""
    if res is None:
        return None
    for row in res.rows:
        if all(str(row.get(k)) == str(v) for k, v in where.items()):
            return row
    return None


@dataclass(frozen=True)
class LatestRelease:
    """The newest published period of a form: period, release number, when it was published, synthetic or not."""

    form: str
    period: str
    number: int
    published_at: datetime
    synthetic: bool
    response_rate: float


def latest_release(db: Database, form: str = "monthly") -> LatestRelease | None:
    """The newest period of ``form`` and its newest release (None while nothing is published)."""
    rows = releases(db, form)
    if not rows:
        return None
    newest = max(rows, key=lambda r: (Period.parse(r.period), r.number))
    return LatestRelease(
        form,
        newest.period,
        newest.number,
        newest.created_at,
        bool(newest.synthetic),
        float(newest.response_rate),
    )


def published_periods(db: Database, form: str = "monthly") -> list[str]:
    """Every published period of ``form``, oldest first."""
    return sorted({r.period for r in releases(db, form)}, key=Period.parse)


@dataclass
class Headline:
    """One national figure of the overview: value and flag (level), 同比 and 同口径 growth with flags."""

    indicator: str
    unit: str
    value: float | None = None
    flag: str | None = None
    yoy: float | None = None
    yoy_flag: str | None = None
    comparable: float | None = None
    comparable_flag: str | None = None


def headline(cache: ReleaseCache, settings: Settings, indicator: str, unit: str, period: str) -> Headline:
    """The national level of ``indicator`` in ``unit`` for ``period`` with its YoY on levels and its
    comparable-basis YoY (%)."""
    h = Headline(indicator, unit)
    if (row := cell(table(cache, settings, indicator, (), period, "level", unit))) is not None:
        h.value, h.flag = row["value"], row["flag"]
    if (row := cell(table(cache, settings, indicator, (), period, "yoy"))) is not None:
        h.yoy, h.yoy_flag = row["value"], row["flag"]
    if (row := cell(table(cache, settings, indicator, (), period, "yoy_comparable"))) is not None:
        h.comparable, h.comparable_flag = row["value"], row["flag"]
    return h


@dataclass
class Trend:
    """Monthly national figures of one indicator: periods, single-month values (with flags), YTD
    comparable growth (with flags)."""

    periods: list[str] = field(default_factory=list)
    month: list[float | None] = field(default_factory=list)
    month_flags: list[str | None] = field(default_factory=list)
    growth: list[float | None] = field(default_factory=list)
    growth_flags: list[str | None] = field(default_factory=list)


def trend(
    cache: ReleaseCache,
    settings: Settings,
    periods: Sequence[str],
    indicator: str = "revenue_total",
    unit: str = "100m_cny",
    where: dict[str, str] | None = None,
    by: Sequence[str] = (),
) -> Trend:
    """Single-month values (``unit``) and YTD comparable growth (%) of ``indicator`` for each of ``periods``
    (a cell of the ``by`` table chosen by ``where``; national by default)."""
    out = Trend()
    where = where or {}
    for p in periods:
        m = cell(table(cache, settings, indicator, by, p, "month", unit), **where)
        g = cell(table(cache, settings, indicator, by, p, "yoy_comparable"), **where)
        out.periods.append(p)
        out.month.append(None if m is None else m["value"])
        out.month_flags.append(None if m is None else m["flag"])
        out.growth.append(None if g is None else g["value"])
        out.growth_flags.append(None if g is None else g["flag"])
    return out


def warm(cache: ReleaseCache, settings: Settings, db: Database, progress: Any = None) -> int:
    """Compute (and keep) the tables the overview and the default map read for the newest monthly release, so
    that the first visitor does not wait for their disclosure patterns; returns how many tables were read.
    ``progress(n)`` is called after each indicator."""
    latest = latest_release(db)
    if latest is None:
        return 0
    p = latest.period
    months = [str(m) for m in Period.parse(p).months_to_date()]
    n = 0
    for indicator, unit in (*HEADLINE, *((s, "100m_cny") for s in SECTOR_REVENUES)):
        headline(cache, settings, indicator, unit, p)
        n += 3
        if indicator == "revenue_total":
            trend(cache, settings, months)
            table(cache, settings, indicator, ("province",), p, "level", unit)
            n += 2 * len(months) + 1
        if progress is not None:
            progress(1)
    return n
