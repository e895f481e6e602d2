"""``/reports``: file reports (JSON or an uploaded CSV/XLSX, through the same intake as the CLI), read them
within one's scope with revisions, warnings and review decisions, and accept or return them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile

from ....collect.intake import ImportResult, import_bytes, import_records
from ....process.compare import compare_report
from ....process.filings import Page, ReportView, list_reports, report_detail, report_history
from ....process.review import review_report
from ..deps import DbDep, FilerDep, LangDep, ReviewerDep, SettingsDep, UserDep
from ..errors import ApiError
from ..schemas.common import Period, Province, Uscc, errors
from ..schemas.reports import (
    AcceptCreate,
    ImportPublic,
    IndicatorComparisonPublic,
    ReportComparisonPublic,
    ReportPagePublic,
    ReportPublic,
    ReportsCreate,
    ReturnCreate,
    issue_public,
    warning_public,
)

router = APIRouter(prefix="/reports", tags=["reports"], responses=errors(401, 403, 422))
ReportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="id of a report revision")]
Status = Literal["submitted", "accepted", "returned"]
FormName = Literal["monthly", "annual"]


def report_public(view: ReportView, lang: str) -> ReportPublic:
    """A :class:`~sitmon.process.filings.ReportView` as the API shows it (warning messages in ``lang``)."""
    data = {
        **view.__dict__,
        "warnings": [warning_public(w, lang) for w in view.warnings],
        "reviews": [r.__dict__ for r in view.reviews],
    }
    return ReportPublic.model_validate(data)


def page_public(page: Page, limit: int, lang: str) -> ReportPagePublic:
    """A page of reports."""
    return ReportPagePublic(
        total=page.total, offset=page.offset, limit=limit, items=[report_public(v, lang) for v in page.items]
    )


def import_public(result: ImportResult, response: Response, lang: str) -> ImportPublic:
    """The intake's result: 201 when something was stored, 200 for unchanged or a dry run. A rejected filing
    is ``report_rejected`` (422) — or ``outside_scope`` (403) for rows of another enterprise — listing every
    error (file, row, column, value, rule, zh + en)."""
    errs = [issue_public(i, lang) for i in result.errors]
    warns = [issue_public(i, lang) for i in result.warnings]
    if result.status == "rejected":
        code = (
            "outside_scope" if any(i.rule == "own_enterprise" for i in result.errors) else "report_rejected"
        )
        raise ApiError(code, file=result.file, errors=errs, warnings=warns)
    response.status_code = 201 if result.status == "stored" else 200
    return ImportPublic(
        **{k: v for k, v in result.to_dict().items() if k not in ("errors", "warnings")}, warnings=warns
    )


_FILED: dict[int | str, dict[str, Any]] = {
    200: {"model": ImportPublic, "description": "unchanged or dry run"}
}


@router.post("", response_model=ImportPublic, status_code=201, responses={**_FILED, **errors(413)})
def file_reports(
    body: ReportsCreate, response: Response, user: FilerDep, db: DbDep, lang: LangDep
) -> ImportPublic:
    """报送报表（JSON）File reports as JSON: a filer only their own enterprise's; the same rules as a file."""
    records = [r.model_dump(exclude_unset=True) for r in body.reports]
    result = import_records(
        db, records, body.form, source="api", dry_run=body.dry_run, actor=user.username, only_uscc=user.uscc
    )
    return import_public(result, response, lang)


@router.post("/upload", response_model=ImportPublic, status_code=201, responses={**_FILED, **errors(413)})
def upload_reports(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 / GBK) or XLSX")],
    response: Response,
    user: FilerDep,
    db: DbDep,
    settings: SettingsDep,
    lang: LangDep,
    form: Annotated[FormName | None, Form()] = None,
    dry_run: Annotated[bool, Form()] = False,
) -> ImportPublic:
    """上传报表文件 File a CSV/XLSX exactly as ``sitmon reports import`` does (a filer: own rows only)."""
    limit = int(settings.max_upload_mb * 1024 * 1024)
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise ApiError("payload_too_large", limit_bytes=limit)
    name = (file.filename or "upload.csv").replace("\\", "/").rsplit("/", 1)[-1][:255] or "upload.csv"
    result = import_bytes(db, name, data, form, dry_run=dry_run, actor=user.username, only_uscc=user.uscc)
    return import_public(result, response, lang)


@router.get("", response_model=ReportPagePublic)
def read_reports(
    user: UserDep,
    db: DbDep,
    lang: LangDep,
    form: FormName = "monthly",
    period: Annotated[Period | None, Query()] = None,
    status: Status | None = None,
    uscc: Annotated[Uscc | None, Query()] = None,
    province: Annotated[Province | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
) -> ReportPagePublic:
    """报表列表 The current revision of each report in the caller's scope (a filer: own enterprise; a
    reviewer: own province; asking for another is ``outside_scope``)."""
    page = list_reports(
        db,
        user,
        form=form,
        period=period,
        status=status,
        uscc=uscc,
        province=province,
        limit=limit,
        offset=offset,
    )
    return page_public(page, limit, lang)


@router.get("/{report_id}", response_model=ReportPublic, responses=errors(404))
def read_report(report_id: ReportId, user: UserDep, db: DbDep, lang: LangDep) -> ReportPublic:
    """一个报表修订版本 One revision with its warnings and review decisions (``not_found`` outside scope)."""
    return report_public(report_detail(db, user, report_id), lang)


@router.get("/{report_id}/revisions", response_model=list[ReportPublic], responses=errors(404))
def read_revisions(report_id: ReportId, user: UserDep, db: DbDep, lang: LangDep) -> list[ReportPublic]:
    """修订历史 Every revision of the report, oldest first."""
    return [report_public(v, lang) for v in report_history(db, user, report_id)]


@router.get("/{report_id}/compare", response_model=ReportComparisonPublic, responses=errors(404))
def compare(report_id: ReportId, user: ReviewerDep, db: DbDep, lang: LangDep) -> ReportComparisonPublic:
    """与上月、上年同期比较 The revision's indicators against last month and the same period last year."""
    c = compare_report(db, user, report_id)
    return ReportComparisonPublic(
        report=report_public(c.report, lang),
        last_month_period=c.last_month_period,
        last_year_period=c.last_year_period,
        rows=[IndicatorComparisonPublic.model_validate(r, from_attributes=True) for r in c.rows],
    )


@router.post("/{report_id}/accept", response_model=ReportPublic, responses=errors(404, 409))
def accept_report(
    report_id: ReportId, user: ReviewerDep, db: DbDep, lang: LangDep, body: AcceptCreate | None = None
) -> ReportPublic:
    """审核通过 Accept the current revision (a reviewer: in their province). Warnings the enterprise has not
    explained need the reviewer's ``reason`` (audited); without it: ``409 conflict``."""
    return report_public(review_report(db, user, report_id, "accept", body.reason if body else None), lang)


@router.post("/{report_id}/return", response_model=ReportPublic, responses=errors(404, 409))
def return_report(
    report_id: ReportId, body: ReturnCreate, user: ReviewerDep, db: DbDep, lang: LangDep
) -> ReportPublic:
    """退回 Return the current revision with a reason the filer sees."""
    return report_public(review_report(db, user, report_id, "return", body.reason), lang)
