"""Filing monitoring: who was expected to file a period, who did, and what they reported in total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store.models import Enterprise
from ..store.reports import current_reports


@dataclass(frozen=True)
class PeriodFiling:
    """One period's filing status: expected filers, filers, response rate (%), revenue reported, warnings."""

    period: str
    expected: int
    filed: int
    response_rate_pct: float
    revenue_total_100m_cny: float
    warnings: int
    accepted: int


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` or ``YYYY`` period."""
    y = int(period[:4])
    if len(period) == 4:
        return date(y, 1, 1), date(y, 12, 31)
    m = int(period[5:7])
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)


def expected_filers(session: Session, period: str) -> set[int]:
    """Enterprises active at the end of ``period``: founded by then (or unknown) and not closed by then."""
    first, last = period_bounds(period)
    rows = session.execute(select(Enterprise.id, Enterprise.founded, Enterprise.closed))
    return {i for i, f, c in rows if (f is None or f <= last) and (c is None or c > last)}


def filing_summary(session: Session, form: str, periods: list[str] | None = None) -> list[PeriodFiling]:
    """Per period of ``form``: expected filers, current reports, response rate and the revenue they
    report in total (亿元, simple sum of the filed values: not a published estimate)."""
    reps = current_reports(session, form, periods)
    by_period: dict[str, list] = {}
    for r in reps:
        by_period.setdefault(r.period, []).append(r)
    out = []
    for period in sorted(by_period):
        rs = by_period[period]
        expected = expected_filers(session, period)
        filed = {r.enterprise_id for r in rs}
        out.append(PeriodFiling(
            period=period, expected=len(expected), filed=len(filed),
            response_rate_pct=round(100 * len(filed & expected) / len(expected), 2) if expected else 0.0,
            revenue_total_100m_cny=round(sum(r.values.get("revenue_total") or 0 for r in rs) / 1e4, 2),
            warnings=sum(len(r.warnings) for r in rs), accepted=sum(r.status == "accepted" for r in rs)))
    return out
