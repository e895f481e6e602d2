"""What a release freezes: the latest accepted revision of each enterprise's report for a period."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Enterprise, Release, Report, ReviewEvent


def latest_accepted(session: Session, form: str, period: str) -> pd.DataFrame:
    """One row per enterprise: the highest revision whose latest review event is an acceptance.

    Columns: enterprise_key, revision, values (dict). A revision submitted after an accepted one does
    not replace it until it is accepted itself.
    """
    last_event = (
        select(ReviewEvent.report_id, func.max(ReviewEvent.id).label("event_id"))
        .join(Report, Report.id == ReviewEvent.report_id)
        .where(Report.form == form, Report.period == period)
        .group_by(ReviewEvent.report_id)
        .subquery()
    )
    accepted = (
        select(Report.id, Report.enterprise_id, Report.revision)
        .join(last_event, last_event.c.report_id == Report.id)
        .join(ReviewEvent, ReviewEvent.id == last_event.c.event_id)
        .where(Report.form == form, Report.period == period, ReviewEvent.action == "accept")
        .subquery()
    )
    best = (
        select(accepted.c.enterprise_id, func.max(accepted.c.revision).label("revision"))
        .group_by(accepted.c.enterprise_id)
        .subquery()
    )
    stmt = (
        select(Report.enterprise_id, Report.revision, Report.values)
        .join(best, (best.c.enterprise_id == Report.enterprise_id) & (best.c.revision == Report.revision))
        .where(Report.form == form, Report.period == period)
    )
    rows = session.execute(stmt).all()
    return pd.DataFrame(rows, columns=["enterprise_key", "revision", "values"])


def registry_frame(session: Session) -> pd.DataFrame:
    """The registry as a frame: enterprise_key, uscc, province, city, region, sector, founded, closed, name,
    synthetic (recorded when the registry file was imported)."""
    rows = session.execute(
        select(
            Enterprise.id,
            Enterprise.uscc,
            Enterprise.province_code,
            Enterprise.city_code,
            Enterprise.macro_region,
            Enterprise.sector,
            Enterprise.founded,
            Enterprise.closed,
            Enterprise.name,
            Enterprise.synthetic,
        )
    ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "enterprise_key",
            "uscc",
            "province",
            "city",
            "region",
            "sector",
            "founded",
            "closed",
            "name",
            "synthetic",
        ],
    )


def next_release_number(session: Session, form: str, period: str) -> int:
    """1 + the highest release number of ``form`` and ``period`` so far."""
    n = session.scalar(select(func.max(Release.number)).where(Release.form == form, Release.period == period))
    return (n or 0) + 1


def add_release(session: Session, **fields: Any) -> Release:
    """Record a written release (append-only)."""
    rel = Release(**fields)
    session.add(rel)
    return rel


def list_releases(session: Session, form: str | None = None) -> list[Release]:
    """Every release, by form, period and number."""
    stmt = select(Release).order_by(Release.form, Release.period, Release.number)
    if form:
        stmt = stmt.where(Release.form == form)
    return list(session.scalars(stmt))


def recorded_numbers(session: Session, form: str, period: str) -> set[int]:
    """The release numbers of ``form`` and ``period`` that the DB records."""
    return set(session.scalars(select(Release.number).where(Release.form == form, Release.period == period)))
