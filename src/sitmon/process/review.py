"""Review decisions (审核): accept or return one report revision, or accept a period in bulk — all audited.

A warning (核实性错误) needs the enterprise's explanation (上报说明, the report's note) before the report can be
accepted: bulk acceptance accepts only reports whose warnings are all explained and lists the others; a reviewer
may accept one of those on its own, giving their own reason, which is stored with the decision and audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    enterprise_labels,
    report_by_id,
    report_with_enterprise,
    review_events,
    submitted_reports,
)
from .filings import ReportView, report_detail


class ReviewError(KeyedError):
    """A review that cannot be done (unknown report, not the current revision, no reason for a return, warnings
    the enterprise has not explained): ``message`` says which; ``detail`` holds extra fields an interface passes
    on (the unexplained rules)."""

    def __init__(self, message: Message, **detail: Any) -> None:
        super().__init__(message)
        self.detail = detail


MAX_REASON = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean_reason(reason: str | None) -> str | None:
    """A reviewer's or publisher's reason stripped of surrounding space (None when empty); :class:`ReviewError`
    when it is longer than :data:`MAX_REASON` characters or holds control characters (escape codes, bidi
    overrides): it is stored, audited and shown in terminals and spreadsheets."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON or _CONTROL.search(text):
        raise ReviewError(Message("review.reason_invalid", limit=MAX_REASON))
    return text or None


def unexplained(warnings: list[dict[str, Any]] | None) -> list[str]:
    """The rules of the warnings stored with a revision that the enterprise has not explained (no note)."""
    return [str(w.get("rule")) for w in (warnings or []) if not w.get("explained")]


@dataclass(frozen=True)
class Skipped:
    """A report that bulk acceptance left for a reviewer: its warnings (``rules``) are not explained."""

    id: int
    uscc: str
    name: str
    province: str
    period: str
    rules: list[str]


@dataclass(frozen=True)
class BulkAcceptance:
    """What bulk acceptance did: how many reports it accepted and which it skipped."""

    period: str
    accepted: int
    skipped: list[Skipped] = field(default_factory=list)


def _check_current(session: Session, report_id: int) -> Report:
    rep = report_by_id(session, report_id)
    if rep is None:
        raise ReviewError(Message("errors.report_missing", report_id=report_id))
    newest = current_reports(session, rep.form, [rep.period], enterprise_ids=[rep.enterprise_id])
    if not newest or newest[0].report_id != report_id:
        raise ReviewError(Message("errors.not_current_revision"))
    return rep


def accept(session: Session, report_id: int, actor: str, reason: str | None = None) -> None:
    """Accept one report revision (it must be the current one); audited as ``report.accepted``.

    A revision with warnings the enterprise has not explained needs the reviewer's ``reason`` (stored with the
    decision and in the audit event, with the rules it overrides); otherwise :class:`ReviewError`."""
    rep = _check_current(session, report_id)
    missing = unexplained(rep.warnings)
    reason = clean_reason(reason)
    if missing and reason is None:
        raise ReviewError(Message("review.needs_explanation", rules=", ".join(missing)), unexplained=missing)
    add_review(session, report_id, "accept", actor, reason)
    detail: dict[str, Any] = {"reason": reason, "unexplained": missing} if reason else {}
    audit.record(session, actor, "report.accepted", "report", report_id, **detail)


def return_report(session: Session, report_id: int, reason: str, actor: str) -> None:
    """Return one report revision to its filer with a reason; audited as ``report.returned``."""
    _check_current(session, report_id)
    why = clean_reason(reason)
    if why is None:
        raise ReviewError(Message("errors.return_needs_reason"))
    add_review(session, report_id, "return", actor, why)
    audit.record(session, actor, "report.returned", "report", report_id, reason=why)


def review_report(
    db: Database, principal: Principal, report_id: int, action: str, reason: str | None = None
) -> ReportView:
    """Accept (``action='accept'``, with the reviewer's ``reason`` when the enterprise has not explained its
    warnings) or return (``'return'``, with the reason the filer sees) one report revision as ``principal``: a
    reviewer within their province, an analyst or an admin.

    A revision outside the caller's scope is :class:`NotFound` (as if it did not exist); one that is not the
    current revision, already has this decision, or has unexplained warnings and no reason, is :class:`Conflict`.
    Audited as ``report.accepted`` / ``report.returned``. Returns the revision as it stands after the decision.
    """
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    with db.session() as s:
        found = report_with_enterprise(s, report_id)
        if found is None or not principal.covers(found[1].uscc, found[1].province_code):
            raise NotFound(Message("errors.no_report", report_id=report_id))
        events = review_events(s, [report_id])
        if events and events[-1].action == action:
            raise Conflict(
                Message("errors.already_accepted" if action == "accept" else "errors.already_returned")
            )
        try:
            if action == "accept":
                accept(s, report_id, principal.username, reason)
            else:
                return_report(s, report_id, reason or "", principal.username)
        except ReviewError as exc:
            raise Conflict(exc.message, **exc.detail) from exc
    return report_detail(db, principal, report_id)


def provinces_of(region: str | None) -> list[str] | None:
    """The province codes of ``region`` (a province code or a macro region: east, central, west, northeast; None:
    all); :class:`ReviewError` for anything else."""
    if not region:
        return None
    cat = load_catalog()
    if region in cat.macro_regions:
        return [p.code for p in cat.provinces.values() if p.macro == region]
    if region in cat.provinces:
        return [region]
    raise ReviewError(Message("errors.unknown_region", region=region))


def accept_period(
    db: Database, period: str, *, form: str | None = None, region: str | None = None, actor: str = "cli"
) -> BulkAcceptance:
    """Accept every submitted current revision of ``period`` (optionally of one province or macro region) whose
    warnings are all explained; the others are skipped and listed (a reviewer decides each one). Audited as one
    ``report.accepted`` event for the period, with the counts. Returns what was accepted and skipped."""
    form = form or Period.parse(period).form
    provinces = provinces_of(region)
    with db.session() as s:
        found = submitted_reports(s, form, period, provinces)
        ok = [rid for rid, _, warnings in found if not unexplained(warnings)]
        held = [(rid, ent, unexplained(warnings)) for rid, ent, warnings in found if unexplained(warnings)]
        n = add_reviews(s, ok, "accept", actor)
        labels = enterprise_labels(s, [ent for _, ent, _ in held])
        audit.record(
            s,
            actor,
            "report.accepted",
            "period",
            period,
            form=form,
            region=region,
            count=n,
            skipped=len(held),
        )
    skipped = [
        Skipped(rid, labels[ent][0], labels[ent][1], labels[ent][2], period, rules)
        for rid, ent, rules in sorted(held, key=lambda h: labels[h[1]][0])
    ]
    return BulkAcceptance(period, n, skipped)


def accept_in_scope(
    db: Database, principal: Principal, period: str, *, form: str | None = None, province: str | None = None
) -> BulkAcceptance:
    """:func:`accept_period` as ``principal`` (a reviewer: their own province; national roles: all, or one
    province), audited under their name."""
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    return accept_period(
        db, period, form=form, region=principal.province_filter(province), actor=principal.username
    )


def accept_reports(db: Database, report_ids: list[int], reason: str, actor: str = "cli") -> int:
    """Accept each of ``report_ids`` (current revisions) on its own with the reviewer's ``reason`` — what a
    reviewer does for the reports bulk acceptance skipped — each audited as ``report.accepted``. Returns how many
    were accepted (one already decided is left as it is)."""
    n = 0
    with db.session() as s:
        decided = {e.report_id for e in review_events(s, report_ids)}
        for rid in report_ids:
            if rid not in decided:
                accept(s, rid, actor, reason)
                n += 1
    return n
