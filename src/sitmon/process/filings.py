"""Reports as the people of the workflow see them, limited to their scope: a filer their own enterprise, a
reviewer their province, analysts and admins the whole country.

A report outside the caller's scope is :class:`~sitmon.security.NotFound`, exactly like one that does not
exist; a listing filter outside the scope is :class:`~sitmon.security.OutsideScope`, decided before any
lookup. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..domain import Message, NotFound
from ..security import Principal, Role
from ..store.db import Database
from ..store.enterprises import enterprise_id
from ..store.models import Enterprise, Report, ReviewEvent
from ..store.reports import (
    CurrentReport,
    count_current_reports,
    current_reports,
    enterprise_labels,
    report_with_enterprise,
    review_events,
    revisions,
)

READERS = (Role.filer, Role.reviewer, Role.analyst, Role.admin)


@dataclass(frozen=True)
class Review:
    """A review decision: ``accept`` or ``return`` (with the reason the filer sees)."""

    action: str
    reason: str | None
    actor: str
    at: datetime


@dataclass(frozen=True)
class ReportView:
    """One report revision with its enterprise, status (submitted | accepted | returned), warnings (each with
    ``explained`` when the note gives a reason) and, for a returned one, the reviewer's reason."""

    id: int
    uscc: str
    enterprise_name: str
    province: str
    form: str
    period: str
    revision: int
    status: str
    values: dict[str, Any]
    note: str | None
    warnings: list[dict[str, Any]]
    filed_at: datetime
    filed_by: str
    return_reason: str | None = None
    current: bool = True
    reviews: list[Review] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """A slice of a listing: ``total`` items in all, ``items`` from ``offset``."""

    total: int
    offset: int
    items: list[ReportView]


def _view(rep: CurrentReport, label: tuple[str, str, str], filed_by: str = "") -> ReportView:
    return ReportView(
        id=rep.report_id,
        uscc=rep.uscc,
        enterprise_name=label[1],
        province=label[2],
        form=rep.form,
        period=rep.period,
        revision=rep.revision,
        status=rep.status,
        values=rep.values,
        note=rep.note,
        warnings=rep.warnings,
        filed_at=rep.created_at,
        filed_by=filed_by,
        return_reason=rep.return_reason,
    )


def _revision_view(rep: Report, ent: Enterprise, events: list[ReviewEvent], current_id: int) -> ReportView:
    last = events[-1] if events else None
    status = (
        {"accept": "accepted", "return": "returned"}.get(last.action, "submitted") if last else "submitted"
    )
    return ReportView(
        id=rep.id,
        uscc=ent.uscc,
        enterprise_name=ent.name,
        province=ent.province_code,
        form=rep.form,
        period=rep.period,
        revision=rep.revision,
        status=status,
        values=rep.values,
        note=rep.note,
        warnings=rep.warnings or [],
        filed_at=rep.created_at,
        filed_by=rep.created_by,
        return_reason=last.reason if last is not None and last.action == "return" else None,
        current=rep.id == current_id,
        reviews=[Review(e.action, e.reason, e.actor, e.at) for e in events],
    )


def list_reports(
    db: Database,
    principal: Principal,
    *,
    form: str,
    period: str | None = None,
    status: str | None = None,
    uscc: str | None = None,
    province: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page:
    """The current revision of each report in the caller's scope (filters: period, status, enterprise,
    province), by period and USCC, ``limit`` from ``offset``."""
    principal.require(*READERS)
    uscc = principal.uscc_filter(uscc)
    province = principal.province_filter(province)
    with db.session() as s:
        ids = None
        if uscc is not None:
            found = enterprise_id(s, uscc)
            ids = [found] if found is not None else []
        periods = [period] if period else None
        total = count_current_reports(
            s, form, periods, status=status, enterprise_ids=ids, province_code=province
        )
        chosen = current_reports(
            s,
            form,
            periods,
            status=status,
            enterprise_ids=ids,
            province_code=province,
            limit=limit,
            offset=offset,
        )
        labels = enterprise_labels(s, [r.enterprise_id for r in chosen])
    return Page(total=total, offset=offset, items=[_view(r, labels[r.enterprise_id]) for r in chosen])


def review_queue(
    db: Database,
    principal: Principal,
    *,
    form: str,
    period: str | None = None,
    province: str | None = None,
    limit: int = 100,
    offset: int = 0,
    provinces: list[str] | None = None,
) -> Page:
    """Submitted (not yet reviewed) current revisions in the reviewer's scope (optionally of one province, or of
    ``provinces``: a macro region), those with warnings first."""
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    province = principal.province_filter(province)
    with db.session() as s:
        periods = [period] if period else None
        total = count_current_reports(
            s, form, periods, status="submitted", province_code=province, province_codes=provinces
        )
        chosen = current_reports(
            s,
            form,
            periods,
            status="submitted",
            province_code=province,
            limit=limit,
            offset=offset,
            warnings_first=True,
            province_codes=provinces,
        )
        labels = enterprise_labels(s, [r.enterprise_id for r in chosen])
    return Page(total=total, offset=offset, items=[_view(r, labels[r.enterprise_id]) for r in chosen])


def report_history(db: Database, principal: Principal, report_id: int) -> list[ReportView]:
    """Every revision of the report that revision ``report_id`` belongs to, oldest first, each with its
    review decisions; :class:`NotFound` when there is no such revision or it is outside the caller's scope."""
    principal.require(*READERS)
    with db.session() as s:
        found = report_with_enterprise(s, report_id)
        if found is None or not principal.covers(found[1].uscc, found[1].province_code):
            raise NotFound(Message("errors.no_report", report_id=report_id))
        rep, ent = found
        revs = revisions(s, rep.enterprise_id, rep.form, rep.period)
        events = review_events(s, [r.id for r in revs])
    by_rev: dict[int, list[ReviewEvent]] = {}
    for e in events:
        by_rev.setdefault(e.report_id, []).append(e)
    current_id = revs[-1].id
    return [_revision_view(r, ent, by_rev.get(r.id, []), current_id) for r in revs]


def report_detail(db: Database, principal: Principal, report_id: int) -> ReportView:
    """One revision with its review decisions and whether it is the current one (see :func:`report_history`)."""
    return next(v for v in report_history(db, principal, report_id) if v.id == report_id)
