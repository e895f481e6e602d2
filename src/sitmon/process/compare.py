"""One report as a reviewer checks it (审核): every indicator against the enterprise's own report of the previous
month (same year: year-to-date values are comparable within a year) and of the same period last year."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import load_catalog
from ..domain import Period, PeriodError
from ..security import Principal
from ..store.db import Database
from ..store.reports import current_reports, report_with_enterprise
from .filings import ReportView, report_detail


@dataclass(frozen=True)
class IndicatorComparison:
    """One indicator of a report (in the form's unit): this period, last month and the same period last year
    (current revisions; None where not filed) and the change against each (%, one decimal)."""

    indicator: str
    name_zh: str
    name_en: str
    unit: str
    value: float | None
    last_month: float | None
    vs_last_month_pct: float | None
    last_year: float | None
    yoy_pct: float | None


@dataclass(frozen=True)
class ReportComparison:
    """A report revision with its indicators compared (``last_month_period`` is None in January and for an
    annual report)."""

    report: ReportView
    last_month_period: str | None
    last_year_period: str | None
    rows: list[IndicatorComparison]


def _change(now: float | None, then: float | None) -> float | None:
    if now is None or then is None or then == 0:
        return None
    return round((now / then - 1) * 100, 1)


def _number(values: dict | None, code: str) -> float | None:
    if not values or values.get(code) is None:
        return None
    return float(values[code])


def compare_report(db: Database, principal: Principal, report_id: int) -> ReportComparison:
    """Report revision ``report_id`` against the same enterprise's current reports of the previous month and
    the same period last year; :class:`~sitmon.domain.NotFound` outside the caller's scope (as if absent)."""
    view = report_detail(db, principal, report_id)
    period = Period.parse(view.period)
    last_month = None if period.is_annual or period.previous_in_year is None else str(period.previous_in_year)
    try:
        last_year: str | None = str(period.same_period_last_year)
    except PeriodError:
        last_year = None
    refs = [p for p in (last_month, last_year) if p]
    with db.session() as s:
        found = report_with_enterprise(s, report_id)
        assert found is not None  # report_detail found it
        others = (
            {
                r.period: r.values
                for r in current_reports(s, view.form, refs, enterprise_ids=[found[0].enterprise_id])
            }
            if refs
            else {}
        )
    cat = load_catalog()
    rows = []
    for code in cat.forms[view.form].indicators:
        ind = cat.indicators[code]
        now = _number(view.values, code)
        prev = _number(others.get(last_month or ""), code)
        ly = _number(others.get(last_year or ""), code)
        rows.append(
            IndicatorComparison(
                code, ind.name_zh, ind.name_en, ind.unit, now, prev, _change(now, prev), ly, _change(now, ly)
            )
        )
    return ReportComparison(view, last_month, last_year, rows)
