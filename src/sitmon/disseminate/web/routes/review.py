"""审核 The reviewer's pages: the queue (warnings first), one report against last month and last year with
its warnings and the filer's explanation, accept or return with a reason, late filers, and the response rate
by province and by sector. A reviewer sees their province; analysts and admins the whole country."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ....catalog import load_catalog
from ....domain import Period, PeriodError
from ....process.filings import ReportView, list_reports, report_history, review_queue
from ....process.monitoring import late_filers, response_rates, sector_response_rates
from ....process.publish_guard import GuardPolicy, publish_guarded
from ....process.review import review_report
from ....security import NotFound, Role
from ....security.roles import REVIEWERS
from ..pages import check_form, member, render

router = APIRouter()
MAX_REASON = 500


def _period(text: str | None, form: str) -> str | None:
    try:
        p = Period.parse(text) if text else None
    except PeriodError:
        return None
    return str(p) if p is not None and str(p.form) == form else None


@router.get("/review", response_class=HTMLResponse)
def queue(
    request: Request,
    form: str = "monthly",
    period: str | None = None,
    province: str | None = None,
    offset: int = 0,
) -> HTMLResponse:
    """The queue of submitted reports (warnings first), late filers and response rates of a period."""
    viewer = member(request, *REVIEWERS)
    form = form if form in ("monthly", "annual") else "monthly"
    chosen = _period(period, form)
    cat = load_catalog()
    prov = province if province in cat.provinces and viewer.principal.national else None
    db = request.app.state.db
    offset = max(0, min(offset, 10**7))
    page = review_queue(
        db, viewer.principal, form=form, period=chosen, province=prov, limit=50, offset=offset
    )
    late = rates = sectors = None
    if chosen:
        late = late_filers(db, viewer.principal, form=form, period=chosen, province=prov)
        rates = response_rates(db, viewer.principal, form=form, periods=[chosen], province=prov)
        sectors = sector_response_rates(db, viewer.principal, form=form, period=chosen, province=prov)
    return render(
        request,
        viewer,
        "review.html",
        form=form,
        period=chosen or "",
        province=prov,
        page=page,
        late=late,
        rates=rates,
        sectors=sectors,
        provinces=cat.reporting_provinces,
        offset=offset,
        notice=request.query_params.get("done"),
        release=request.query_params.get("release", "")[:8],
    )


def _compare(db: Any, viewer: Any, view: ReportView) -> dict[str, dict[str, Any]]:
    """The same enterprise's current values of last month (monthly forms) and of the same period last year."""
    p = Period.parse(view.period)
    out: dict[str, dict[str, Any]] = {}
    for label, other in (
        ("previous", p.previous if not p.is_annual else None),
        ("last_year", p.same_period_last_year),
    ):
        if other is None:
            continue
        items = list_reports(
            db, viewer.principal, form=view.form, period=str(other), uscc=view.uscc, limit=1
        ).items
        out[label] = {"period": str(other), "values": items[0].values if items else {}}
    return out


@router.get("/review/reports/{report_id}", response_class=HTMLResponse)
def report(request: Request, report_id: int) -> HTMLResponse:
    """One report to review: values against last month and last year, warnings, note, revisions."""
    viewer = member(request, *REVIEWERS)
    if not 1 <= report_id <= 2**31 - 1:
        raise NotFound()
    db = request.app.state.db
    revisions = report_history(db, viewer.principal, report_id)
    view = next(r for r in revisions if r.id == report_id)
    return render(
        request,
        viewer,
        "report.html",
        revisions=list(reversed(revisions)),
        current=view,
        review=True,
        compare=_compare(db, viewer, view),
        indicators=load_catalog().forms[view.form].indicators,
    )


@router.post("/review/reports/{report_id}/{action}")
async def decide(request: Request, report_id: int, action: str) -> Response:
    """Accept or return (with a reason the filer sees) the current revision; audited."""
    viewer = member(request, *REVIEWERS)
    if action not in ("accept", "return") or not 1 <= report_id <= 2**31 - 1:
        raise NotFound()
    data = await request.form(max_files=0, max_fields=8)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    reason = str(data.get("reason", "")).strip()[:MAX_REASON] or None
    view = await run_in_threadpool(
        review_report, request.app.state.db, viewer.principal, report_id, action, reason
    )
    query = urlencode({"form": view.form, "period": view.period, "done": view.status})
    return RedirectResponse(f"/review?{query}", status_code=303)


@router.post("/review/publish")
async def publish_period(request: Request) -> Response:
    """Close a period and publish release N+1 (analysts and admins; as ``POST /api/v1/periods/{p}/publish``)."""
    viewer = member(request, Role.analyst, Role.admin)
    data = await request.form(max_files=0, max_fields=8)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    period = str(Period.parse(str(data.get("period", "")).strip()[:16]))
    db = request.app.state.db
    policy = GuardPolicy(db.settings.publish_min_response_rate)  # the guard of the CLI and the API
    release = (
        await run_in_threadpool(publish_guarded, db, period, None, viewer.principal.username, policy)
    ).release
    assert release is not None  # not a dry run
    query = urlencode(
        {"form": release.form, "period": release.period, "done": "published", "release": release.number}
    )
    return RedirectResponse(f"/review?{query}", status_code=303)
