"""Queries over report revisions and their review events.

"The current report" of an enterprise for a form and period is its highest revision; its status is
the action of the latest review event on that revision (``accepted`` / ``returned``), or
``submitted`` when nobody has reviewed it yet. Nothing here updates a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, and_, cast, func, null, select
from sqlalchemy.orm import Session

from .models import Enterprise, Report, ReviewEvent

STATUSES = ("submitted", "accepted", "returned")
_ACTION_STATUS = {"accept": "accepted", "return": "returned"}


@dataclass(frozen=True)
class CurrentReport:
    """The current revision of one report with its review status."""

    report_id: int
    enterprise_id: int
    uscc: str
    form: str
    period: str
    revision: int
    values: dict[str, Any]
    note: str | None
    warnings: list[Any]
    status: str
    created_at: datetime
    return_reason: str | None = None


def _latest_revision_ids(form: str, periods: Iterable[str] | None) -> Select[Any]:
    stmt = select(func.max(Report.id).label("id")).where(Report.form == form)
    if periods is not None:
        stmt = stmt.where(Report.period.in_(list(periods)))
    return stmt.group_by(Report.enterprise_id, Report.form, Report.period)


def _latest_review() -> Select[Any]:
    return select(ReviewEvent.report_id, func.max(ReviewEvent.id).label("event_id")).group_by(
        ReviewEvent.report_id
    )


def _current_stmt(
    form: str,
    periods: Iterable[str] | None,
    status: str | None,
    enterprise_ids: Iterable[int] | None,
    province_code: str | None,
    province_codes: Iterable[str] | None = None,
) -> Select[Any]:
    latest = _latest_revision_ids(form, periods).subquery()
    last_event = _latest_review().subquery()
    stmt = (
        select(Report, Enterprise.uscc, ReviewEvent.action, ReviewEvent.reason)
        .join(latest, latest.c.id == Report.id)
        .join(Enterprise, Enterprise.id == Report.enterprise_id)
        .outerjoin(last_event, last_event.c.report_id == Report.id)
        .outerjoin(ReviewEvent, ReviewEvent.id == last_event.c.event_id)
    )
    if enterprise_ids is not None:
        stmt = stmt.where(Report.enterprise_id.in_(list(enterprise_ids)))
    if province_code is not None:
        stmt = stmt.where(Enterprise.province_code == province_code)
    if province_codes is not None:
        stmt = stmt.where(Enterprise.province_code.in_(list(province_codes)))
    if status == "submitted":
        stmt = stmt.where(ReviewEvent.id.is_(None))
    elif status in ("accepted", "returned"):
        stmt = stmt.where(ReviewEvent.action == {"accepted": "accept", "returned": "return"}[status])
    elif status is not None:
        raise ValueError(f"unknown status {status!r}; expected one of {STATUSES}")
    return stmt


def current_reports(
    session: Session,
    form: str,
    periods: Iterable[str] | None = None,
    *,
    status: str | None = None,
    enterprise_ids: Iterable[int] | None = None,
    province_code: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    warnings_first: bool = False,
    province_codes: Iterable[str] | None = None,
) -> list[CurrentReport]:
    """Current revisions of ``form`` for ``periods`` (all periods if None), with their status, by period and
    USCC (those with warnings first when ``warnings_first``), ``limit`` of them from ``offset``.

    Filters: ``status`` (submitted | accepted | returned), a set of enterprises, a province (or several).
    Revisions are numbered per (enterprise, form, period) in filing order, so the highest id is the
    highest revision.
    """
    stmt = _current_stmt(form, periods, status, enterprise_ids, province_code, province_codes)
    order = [cast(Report.warnings, String) == "[]"] if warnings_first else []
    stmt = stmt.order_by(*order, Report.period, Enterprise.uscc).offset(offset or None).limit(limit)
    out = []
    for rep, uscc, action, reason in session.execute(stmt):
        st = _ACTION_STATUS.get(action, "submitted") if action else "submitted"
        out.append(
            CurrentReport(
                report_id=rep.id,
                enterprise_id=rep.enterprise_id,
                uscc=uscc,
                form=rep.form,
                period=rep.period,
                revision=rep.revision,
                values=rep.values,
                note=rep.note,
                warnings=rep.warnings or [],
                status=st,
                created_at=rep.created_at,
                return_reason=reason if action == "return" else None,
            )
        )
    return out


def count_current_reports(
    session: Session,
    form: str,
    periods: Iterable[str] | None = None,
    *,
    status: str | None = None,
    enterprise_ids: Iterable[int] | None = None,
    province_code: str | None = None,
    province_codes: Iterable[str] | None = None,
) -> int:
    """How many reports :func:`current_reports` would list without a limit."""
    inner = _current_stmt(
        form, periods, status, enterprise_ids, province_code, province_codes
    ).with_only_columns(Report.id)
    return int(session.scalar(select(func.count()).select_from(inner.subquery())) or 0)


def revisions(session: Session, enterprise_id: int, form: str, period: str) -> list[Report]:
    """Every revision of one report, oldest first."""
    stmt = (
        select(Report)
        .where(and_(Report.enterprise_id == enterprise_id, Report.form == form, Report.period == period))
        .order_by(Report.revision)
    )
    return list(session.scalars(stmt))


def review_events(session: Session, report_ids: Iterable[int]) -> list[ReviewEvent]:
    """Review events of the given revisions, oldest first."""
    ids = list(report_ids)
    if not ids:
        return []
    return list(
        session.scalars(select(ReviewEvent).where(ReviewEvent.report_id.in_(ids)).order_by(ReviewEvent.id))
    )


def add_review(
    session: Session, report_id: int, action: str, actor: str, reason: str | None = None
) -> ReviewEvent:
    """Append a review decision (``accept`` or ``return``; a return needs a reason) to one revision."""
    if action not in _ACTION_STATUS:
        raise ValueError(f"unknown review action {action!r}")
    if action == "return" and not (reason and reason.strip()):
        raise ValueError("a return needs a reason")
    event = ReviewEvent(report_id=report_id, action=action, actor=actor, reason=reason)
    session.add(event)
    return event


def add_reviews(session: Session, report_ids: Iterable[int], action: str, actor: str) -> int:
    """Append the same review decision to many revisions in one statement; returns how many."""
    from sqlalchemy import insert

    rows = [{"report_id": rid, "action": action, "actor": actor, "reason": None} for rid in report_ids]
    if action not in _ACTION_STATUS or action == "return":
        raise ValueError("bulk review only accepts")
    if rows:
        session.execute(insert(ReviewEvent), rows)
    return len(rows)


@dataclass(frozen=True)
class StoredValues:
    """The current revision of one report, reduced to what the intake compares against."""

    revision: int
    content_hash: str
    values: dict[str, Any]


def current_values(
    session: Session, form: str, periods: Iterable[str], fields: Iterable[str] | None = None
) -> dict[tuple[int, str], StoredValues]:
    """(enterprise id, period) → the current revision's number, content hash and values, for ``periods``.

    With ``fields``, only those values are read (extracted from the JSON by the database, which is much
    faster than decoding every document).
    """
    latest = _latest_revision_ids(form, periods).subquery()
    cols = [Report.enterprise_id, Report.period, Report.revision, Report.content_hash]
    names = list(fields) if fields is not None else None
    extra = [Report.values] if names is None else [Report.values[f].as_float() for f in names]
    stmt = select(*cols, *extra).join(latest, latest.c.id == Report.id)
    out = {}
    for row in session.execute(stmt):
        values = row[4] if names is None else dict(zip(names, row[4:], strict=True))
        out[(row[0], row[1])] = StoredValues(row[2], row[3], values)
    return out


def add_revisions(session: Session, rows: list[dict[str, Any]]) -> int:
    """Insert report revisions (dicts of Report columns) in one executemany; returns how many."""
    from sqlalchemy import insert

    if rows:  # Core executemany: the ORM's bulk path costs more per row and gives nothing here
        session.connection().execute(insert(Report), rows)
    return len(rows)


def submitted_reports(
    session: Session, form: str, period: str, province_codes: Iterable[str] | None = None
) -> list[tuple[int, int, list[Any]]]:
    """(report id, enterprise id, stored warnings) of the current revisions of ``form``/``period`` that nobody has
    reviewed yet (optionally in provinces)."""
    latest = _latest_revision_ids(form, [period]).subquery()
    reviewed = select(ReviewEvent.report_id)
    stmt = (
        select(Report.id, Report.enterprise_id, Report.warnings)
        .join(latest, latest.c.id == Report.id)
        .where(Report.id.not_in(reviewed))
    )
    if province_codes is not None:
        stmt = stmt.join(Enterprise, Enterprise.id == Report.enterprise_id).where(
            Enterprise.province_code.in_(list(province_codes))
        )
    return [(i, e, w or []) for i, e, w in session.execute(stmt)]


def review_states(session: Session, form: str, period: str) -> list[tuple[list[Any], str | None, str | None]]:
    """(stored warnings, latest review action or None, its reason) of every current revision of ``form`` and
    ``period`` that carries warnings."""
    latest = _latest_revision_ids(form, [period]).subquery()
    last_event = _latest_review().subquery()
    stmt = (
        select(Report.warnings, ReviewEvent.action, ReviewEvent.reason)
        .join(latest, latest.c.id == Report.id)
        .outerjoin(last_event, last_event.c.report_id == Report.id)
        .outerjoin(ReviewEvent, ReviewEvent.id == last_event.c.event_id)
        .where(cast(Report.warnings, String) != "[]")
    )
    return [(w or [], a, r) for w, a, r in session.execute(stmt)]


def report_by_id(session: Session, report_id: int) -> Report | None:
    """One report revision by id (None if there is none)."""
    return session.get(Report, report_id)


def report_with_enterprise(session: Session, report_id: int) -> tuple[Report, Enterprise] | None:
    """One report revision and its enterprise (None if there is no such revision)."""
    row = session.execute(
        select(Report, Enterprise)
        .join(Enterprise, Enterprise.id == Report.enterprise_id)
        .where(Report.id == report_id)
    ).first()
    return (row[0], row[1]) if row else None


def enterprise_labels(session: Session, enterprise_ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """Enterprise id → (USCC, name, province code) for the given enterprises."""
    ids = list(set(enterprise_ids))
    out: dict[int, tuple[str, str, str]] = {}
    for start in range(0, len(ids), 5000):
        stmt = select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.province_code).where(
            Enterprise.id.in_(ids[start : start + 5000])
        )
        out.update({i: (u, n, p) for i, u, n, p in session.execute(stmt)})
    return out


def status_counts(
    session: Session,
    form: str,
    periods: Iterable[str],
    province_code: str | None = None,
    by_sector: bool = False,
) -> list[tuple[str, str | None, str, str, int]]:
    """(province, sector or None, period, status, number of current reports) for ``form`` and ``periods``,
    counted in the DB (by sector too with ``by_sector``)."""
    latest = _latest_revision_ids(form, periods).subquery()
    last_event = _latest_review().subquery()
    sector = Enterprise.sector if by_sector else null()
    stmt = (
        select(Enterprise.province_code, sector, Report.period, ReviewEvent.action, func.count())
        .join(latest, latest.c.id == Report.id)
        .join(Enterprise, Enterprise.id == Report.enterprise_id)
        .outerjoin(last_event, last_event.c.report_id == Report.id)
        .outerjoin(ReviewEvent, ReviewEvent.id == last_event.c.event_id)
        .group_by(
            Enterprise.province_code,
            *([Enterprise.sector] if by_sector else []),
            Report.period,
            ReviewEvent.action,
        )
    )
    if province_code is not None:
        stmt = stmt.where(Enterprise.province_code == province_code)
    return [
        (p, sec, per, _ACTION_STATUS.get(a, "submitted") if a else "submitted", int(n))
        for p, sec, per, a, n in session.execute(stmt)
    ]


def filed_enterprise_ids(session: Session, form: str, period: str) -> set[int]:
    """Enterprises that have a report (any revision) of ``form`` for ``period``."""
    return set(
        session.scalars(
            select(Report.enterprise_id).where(Report.form == form, Report.period == period).distinct()
        )
    )


def last_periods(session: Session, form: str, enterprise_ids: Iterable[int]) -> dict[int, str]:
    """Enterprise id → the latest period of ``form`` it has filed."""
    ids = list(set(enterprise_ids))
    out: dict[int, str] = {}
    for start in range(0, len(ids), 5000):
        stmt = (
            select(Report.enterprise_id, func.max(Report.period))
            .where(Report.form == form, Report.enterprise_id.in_(ids[start : start + 5000]))
            .group_by(Report.enterprise_id)
        )
        out.update({i: p for i, p in session.execute(stmt)})
    return out
