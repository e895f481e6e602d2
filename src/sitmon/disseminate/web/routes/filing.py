"""填报 The filer's pages: the monthly and annual forms with the catalog's rules checked as the filer types
(and again by the intake when the report is sent: the same rules, one transaction), the 上报说明 box for a
warning, upload of a CSV/XLSX file instead, the enterprise's reports with their revisions, warnings and the
reviewer's reasons. A filer sees and files only their own enterprise."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ....catalog import load_catalog
from ....collect.intake import ImportResult, import_bytes, import_records
from ....domain import Message, Period, PeriodError
from ....process.filings import list_reports, report_history
from ....security import NotFound, Role
from ..pages import Viewer, check_form, member, render
from ..rules import page_rules

router = APIRouter()
MAX_FIELD = 64
MAX_NOTE = 2000


def _period_or_default(form: str, period: str | None) -> str:
    """The period asked for, else last month (monthly) or last year (annual)."""
    from datetime import date

    try:
        p = Period.parse(period) if period else None
    except PeriodError:
        p = None
    if p is not None and str(p.form) == form:
        return str(p)
    today = date.today()
    if form == "annual":
        return str(today.year - 1)
    return str(Period.monthly(today.year, today.month).previous)


def _finite(value: Any) -> bool:
    """A number the page can use (not None, not NaN or infinite: JSON has no NaN)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _values_of(db: Any, viewer: Viewer, form: str, period: Period | None) -> dict[str, Any]:
    """The current values of the filer's own report of ``period`` (empty when there is none)."""
    if period is None:
        return {}
    page = list_reports(db, viewer.principal, form=form, period=str(period), limit=1)
    return dict(page.items[0].values) if page.items else {}


def rule_context(db: Any, viewer: Viewer, form: str, period: str) -> dict[str, Any]:
    """The names the rules read besides the form's own fields, for the filer's enterprise: ``prev_<code>``
    (previous month of the same year), ``last_year_<code>``, ``month``, ``months``, ``year``, ``usd_cny``."""
    p = Period.parse(period)
    cat = load_catalog()
    prev = _values_of(db, viewer, form, p.previous_in_year) if form == "monthly" else {}
    last = _values_of(db, viewer, form, p.same_period_last_year)
    ctx: dict[str, Any] = {f"prev_{k}": float(v) for k, v in prev.items() if _finite(v)}
    ctx |= {f"last_year_{k}": float(v) for k, v in last.items() if _finite(v)}
    ctx |= {
        "month": p.month_number,
        "months": 12 if p.is_annual else p.month_number,
        "year": p.year,
        "usd_cny": cat.usd_rate(p.year),
    }
    return ctx


def _page(
    request: Request,
    viewer: Viewer,
    form: str,
    period: str,
    *,
    values: dict[str, Any] | None = None,
    note: str | None = None,
    result: ImportResult | None = None,
    status: int = 200,
) -> HTMLResponse:
    db = request.app.state.db
    current = list_reports(db, viewer.principal, form=form, period=period, limit=1).items
    if values is None:
        values = {k: (v if _finite(v) else "") for k, v in (current[0].values if current else {}).items()}
        note = current[0].note if current else ""
    history = list_reports(db, viewer.principal, form=form, limit=36)
    returned = list_reports(db, viewer.principal, form=form, status="returned", limit=12).items
    errors_by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for issue in (result.errors + result.warnings) if result else []:
        target = errors_by_field.setdefault(issue.field, []) if issue.field else general
        target.append(issue.message(viewer.lang))
    return render(
        request,
        viewer,
        "filing.html",
        status,
        form=form,
        period=period,
        values=values,
        note=note or "",
        current=current[0] if current else None,
        history=history,
        returned=returned,
        result=result,
        field_errors=errors_by_field,
        general_errors=general,
        rules=page_rules(form),
        context=rule_context(db, viewer, form, period),
        uscc=viewer.principal.uscc,
        notice=request.query_params.get("filed"),
    )


@router.get("/filing", response_class=HTMLResponse)
def filing(request: Request, form: str = "monthly", period: str | None = None) -> HTMLResponse:
    """The form of one period (prefilled with the current revision, if any), returned reports, history."""
    viewer = member(request, Role.filer)
    form = form if form in ("monthly", "annual") else "monthly"
    return _page(request, viewer, form, _period_or_default(form, period))


@router.post("/filing", response_class=HTMLResponse)
async def file_report(request: Request) -> Response:
    """Send the form through the intake (as ``POST /api/v1/reports``): refused with every error next to its
    field, or stored as a new revision (then back to the form, which shows its warnings)."""
    viewer = member(request, Role.filer)
    data = await request.form(max_files=0, max_fields=64)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    form = str(data.get("form", "monthly"))
    form = form if form in ("monthly", "annual") else "monthly"
    asked = str(data.get("period", "")).strip()[:16]
    period = _period_or_default(form, asked)
    codes = load_catalog().forms[form].indicators
    values = {c: str(data.get(c, "")).strip()[:MAX_FIELD] for c in codes}
    note = str(data.get("note", "")).strip()[:MAX_NOTE]
    record: dict[str, Any] = {
        "uscc": viewer.principal.uscc,
        "period": asked or period,
        **{c: v for c, v in values.items() if v != ""},
    }
    for c in load_catalog().forms[form].required:
        record.setdefault(c, "")
    if note:
        record["note"] = note
    result = await run_in_threadpool(
        import_records,
        request.app.state.db,
        [record],
        form,
        source="web",
        actor=viewer.principal.username,
        only_uscc=viewer.principal.uscc,
    )
    if result.status == "rejected":
        return await run_in_threadpool(
            _page, request, viewer, form, period, values=values, note=note, result=result, status=422
        )
    query = urlencode({"form": form, "period": period, "filed": result.status})
    return RedirectResponse(f"/filing?{query}", status_code=303)


@router.post("/filing/upload", response_class=HTMLResponse)
async def upload(request: Request) -> Response:
    """Send a CSV/XLSX file through the intake (as ``POST /api/v1/reports/upload``; own rows only)."""
    viewer = member(request, Role.filer)
    settings = request.app.state.settings
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = await request.form(max_files=1, max_fields=8)
    check_form(request, viewer, str(data.get("csrf_token", ""))[:128])
    upload_file = data.get("file")
    if upload_file is None or isinstance(upload_file, str):
        return RedirectResponse("/filing", status_code=303)
    content = await upload_file.read(limit + 1)
    if len(content) > limit:
        from ...api.errors import ApiError

        raise ApiError("payload_too_large", limit_bytes=limit)
    name = (upload_file.filename or "upload.csv").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload.csv"
    result = await run_in_threadpool(
        import_bytes,
        request.app.state.db,
        name,
        content,
        None,
        actor=viewer.principal.username,
        only_uscc=viewer.principal.uscc,
    )
    status = 422 if result.status == "rejected" else 200
    return render(request, viewer, "upload_result.html", status, result=result)


@router.get("/filing/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int) -> HTMLResponse:
    """One report with every revision, its warnings and explanations, and the review decisions."""
    viewer = member(request, Role.filer, Role.reviewer, Role.analyst, Role.admin)
    if not 1 <= report_id <= 2**31 - 1:
        raise NotFound()
    revisions = report_history(request.app.state.db, viewer.principal, report_id)
    return render(
        request,
        viewer,
        "report.html",
        revisions=list(reversed(revisions)),
        current=revisions[-1],
        review=False,
    )


@router.get("/enterprises/{uscc}", response_class=HTMLResponse)
def enterprise(request: Request, uscc: str) -> HTMLResponse:
    """An enterprise's reports (monthly and annual) — within the viewer's scope only; another enterprise's
    page is answered as if it did not exist."""
    viewer = member(request, Role.filer, Role.reviewer, Role.analyst, Role.admin)
    uscc = uscc.strip().upper()[:18]
    if viewer.principal.role is Role.filer and uscc != viewer.principal.uscc:
        raise NotFound(Message("web.no_enterprise", uscc=uscc))
    db = request.app.state.db
    reports = {
        form: list_reports(db, viewer.principal, form=form, uscc=uscc, limit=60).items
        for form in ("monthly", "annual")
    }
    if not any(reports.values()):
        raise NotFound(Message("web.no_enterprise", uscc=uscc))
    first = next(r for items in reports.values() for r in items)
    return render(
        request,
        viewer,
        "enterprise.html",
        uscc=uscc,
        name=first.enterprise_name,
        province=first.province,
        reports=reports,
    )
