"""The release calendar as it stands (发布日程): for every period, the planned date of its first release (catalog
``release_calendar.yaml``), when it was first published, and whether that was on time, late, or is still due or
overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from ..catalog.calendar import load_calendar
from ..domain import Period
from ..store.db import Database
from ..store.releases import list_releases

STATUSES = ("on_time", "late", "due", "overdue")
BEIJING = timezone(timedelta(hours=8), "CST")
"""The calendar's dates are China Standard Time (UTC+8, no daylight saving): a release at 01:00 on the 21st in
Beijing is late for the 20th even though it is still the 20th in UTC."""


@dataclass(frozen=True)
class CalendarEntry:
    """One period: its planned date, its first release (date, number of releases so far) and its status —
    ``on_time``, ``late`` (published ``days_late`` days after the planned date), ``due`` (not yet published, the
    date not passed) or ``overdue`` (not published, ``days_late`` days past the date)."""

    form: str
    period: str
    planned: date | None
    first_published: date | None
    releases: int
    status: str
    days_late: int | None


def status_of(planned: date | None, published: date | None, today: date) -> tuple[str, int | None]:
    """(status, days late) of a period planned on ``planned`` and first published on ``published`` (None: not
    yet), as of ``today``."""
    if planned is None:
        return ("on_time" if published else "due"), None
    if published is not None:
        late = (published - planned).days
        return ("late", late) if late > 0 else ("on_time", None)
    late = (today - planned).days
    return ("overdue", late) if late > 0 else ("due", None)


def release_calendar(
    db: Database, *, form: str = "monthly", year: int | None = None, today: date | None = None
) -> list[CalendarEntry]:
    """The calendar of ``form`` for the periods of ``year`` (default: this year), as of ``today``."""
    today = today or datetime.now(BEIJING).date()
    year = year or today.year
    cal = load_calendar()
    periods = (
        [str(p) for p in Period(year, 12).months_to_date()] if form == "monthly" else [str(Period(year))]
    )
    with db.session() as s:
        rels = [r for r in list_releases(s, form) if r.period in periods]
    first: dict[str, date] = {}
    count: dict[str, int] = {}
    for r in rels:
        day = (
            (r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=UTC))
            .astimezone(BEIJING)
            .date()
        )
        first[r.period] = min(first.get(r.period, day), day)
        count[r.period] = count.get(r.period, 0) + 1
    out = []
    for p in periods:
        planned = cal.planned_date(p)
        status, late = status_of(planned, first.get(p), today)
        out.append(CalendarEntry(form, p, planned, first.get(p), count.get(p, 0), status, late))
    return out
