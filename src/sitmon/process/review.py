"""Review decisions: accept or return one report revision, or accept a period in bulk — all audited."""

from __future__ import annotations

from ..catalog import load_catalog
from ..domain import Conflict, KeyedError, Message, NotFound, Period
from ..security import Principal, Role
from ..store import audit
from ..store.db import Database, Session
from ..store.models import Report
from ..store.reports import (
    add_review,
    add_reviews,
    current_reports,
    report_by_id,
    report_with_enterprise,
    review_events,
    submitted_ids,
)
from .filings import ReportView, report_detail


class ReviewError(KeyedError):
    """A review that cannot be done (unknown report, not the current revision, no reason for a return):
    ``message`` says which."""


def _check_current(session: Session, report_id: int) -> Report:
    rep = report_by_id(session, report_id)
    if rep is None:
        raise ReviewError(Message("errors.report_missing", report_id=report_id))
    newest = current_reports(session, rep.form, [rep.period], enterprise_ids=[rep.enterprise_id])
    if not newest or newest[0].report_id != report_id:
        raise ReviewError(Message("errors.not_current_revision"))
    return rep


def accept(session: Session, report_id: int, actor: str) -> None:
    """Accept one report revision (it must be the current one); audited as ``report.accepted``."""
    _check_current(session, report_id)
    add_review(session, report_id, "accept", actor)
    audit.record(session, actor, "report.accepted", "report", report_id)


def return_report(session: Session, report_id: int, reason: str, actor: str) -> None:
    """Return one report revision to its filer with a reason; audited as ``report.returned``."""
    _check_current(session, report_id)
    if not reason or not reason.strip():
        raise ReviewError(Message("errors.return_needs_reason"))
    add_review(session, report_id, "return", actor, reason.strip())
    audit.record(session, actor, "report.returned", "report", report_id, reason=reason.strip())


def review_report(db: Database, principal: Principal, report_id: int, action: str, reason: str | None = None
                  ) -> ReportView:
    """Accept (``action='accept'``) or return (``'return'``, with the reason the filer sees) one report revision
    as ``principal``: a reviewer within their province, an analyst or an admin.

    A revision outside the caller's scope is :class:`NotFound` (as if it did not exist); one that is not the
    current revision, or already has this decision, is :class:`Conflict`. Audited as ``report.accepted`` /
    ``report.returned``. Returns the revision as it stands after the decision.
    """
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    with db.session() as s:
        found = report_with_enterprise(s, report_id)
        if found is None or not principal.covers(found[1].uscc, found[1].province_code):
            raise NotFound(Message("errors.no_report", report_id=report_id))
        events = review_events(s, [report_id])
        if events and events[-1].action == action:
            raise Conflict(Message("errors.already_accepted" if action == "accept" else "errors.already_returned"))
        try:
            if action == "accept":
                accept(s, report_id, principal.username)
            else:
                return_report(s, report_id, reason or "", principal.username)
        except ReviewError as exc:
            raise Conflict(exc.message) from exc
    return report_detail(db, principal, report_id)


def accept_period(db: Database, period: str, *, form: str | None = None, region: str | None = None,
                  actor: str = "cli") -> int:
    """Accept every submitted current revision of ``period`` (optionally of one province or macro region).

    Stored reports never carry hard errors, so all submitted ones qualify. Returns how many were accepted.
    """
    form = form or Period.parse(period).form
    cat = load_catalog()
    provinces = None
    if region:
        if region in cat.macro_regions:
            provinces = [p.code for p in cat.provinces.values() if p.macro == region]
        elif region in cat.provinces:
            provinces = [region]
        else:
            raise ReviewError(Message("errors.unknown_region", region=region))
    with db.session() as s:
        n = add_reviews(s, submitted_ids(s, form, period, provinces), "accept", actor)
        audit.record(s, actor, "report.accepted", "period", period, form=form, region=region, count=n)
    return n
