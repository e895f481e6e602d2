"""``/review``: the reviewer's queue, late filers, and the response rate per province and period."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from ....process.filings import review_queue
from ....process.monitoring import late_filers, response_rates
from ....process.review import accept_in_scope
from ...listings import late_document, queue_document, rates_document
from ..deps import DbDep, LangDep, ReviewerDep
from ..files import FILE_RESPONSES, EncodingQ, FormatQ, document_response
from ..schemas.common import Period, Province, errors
from ..schemas.reports import (
    BulkAcceptancePublic,
    BulkAcceptCreate,
    LateFilerPublic,
    LateFilersPublic,
    ReportPagePublic,
    ResponseRatePublic,
    SkippedPublic,
)
from .reports import page_public

router = APIRouter(prefix="/review", tags=["review"], responses=errors(401, 403, 422))
FormName = Literal["monthly", "annual"]
ProvinceQ = Annotated[
    Province | None, Query(description="national roles: one province; a reviewer: their own")
]


@router.get("/queue", response_model=ReportPagePublic, responses=FILE_RESPONSES)
def queue(
    user: ReviewerDep,
    db: DbDep,
    lang: LangDep,
    form: FormName = "monthly",
    period: Annotated[Period | None, Query()] = None,
    province: ProvinceQ = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    format: FormatQ = "json",
    encoding: EncodingQ = None,
) -> ReportPagePublic | Response:
    """待审核 Submitted reports in scope, those with warnings first (``format``: a file of this page)."""
    page = review_queue(db, user, form=form, period=period, province=province, limit=limit, offset=offset)
    if format != "json":
        return document_response(queue_document(page.items, lang, period), format, encoding)
    return page_public(page, limit, lang)


@router.get("/late", response_model=LateFilersPublic, responses=FILE_RESPONSES)
def late(
    user: ReviewerDep,
    db: DbDep,
    lang: LangDep,
    period: Annotated[Period, Query()],
    form: FormName = "monthly",
    province: ProvinceQ = None,
    format: FormatQ = "json",
    encoding: EncodingQ = None,
) -> LateFilersPublic | Response:
    """迟报/未报企业 Enterprises expected to file ``period`` that have not, with the last period they filed."""
    rows = late_filers(db, user, form=form, period=period, province=province)
    if format != "json":
        return document_response(late_document(rows, lang, period), format, encoding)
    return LateFilersPublic(
        form=form,
        period=period,
        total=len(rows),
        items=[LateFilerPublic.model_validate(r, from_attributes=True) for r in rows],
    )


@router.get("/response-rates", response_model=list[ResponseRatePublic], responses=FILE_RESPONSES)
def rates(
    user: ReviewerDep,
    db: DbDep,
    lang: LangDep,
    period: Annotated[list[Period], Query(min_length=1, max_length=36)],
    form: FormName = "monthly",
    province: ProvinceQ = None,
    by_sector: bool = False,
    format: FormatQ = "json",
    encoding: EncodingQ = None,
) -> list[ResponseRatePublic] | Response:
    """报送率 Expected, filed, accepted, returned and the response rate per province (and sector, with
    ``by_sector``) and period (repeat ``period`` for several; ``format``: a file)."""
    periods = list(dict.fromkeys(period))
    rows = response_rates(db, user, form=form, periods=periods, province=province, by_sector=by_sector)
    if format != "json":
        return document_response(rates_document(rows, lang, periods, by_sector), format, encoding)
    return [ResponseRatePublic.model_validate(r, from_attributes=True) for r in rows]


@router.post("/accept", response_model=BulkAcceptancePublic, responses=errors(409))
def accept_all(body: BulkAcceptCreate, user: ReviewerDep, db: DbDep) -> BulkAcceptancePublic:
    """批量审核通过 Accept every submitted report of the period in scope whose warnings are all explained; the
    others are skipped and listed, for a reviewer to accept one by one with a reason or to return."""
    done = accept_in_scope(db, user, body.period, form=body.form, province=body.province)
    return BulkAcceptancePublic(
        period=done.period,
        accepted=done.accepted,
        skipped=[SkippedPublic.model_validate(k, from_attributes=True) for k in done.skipped],
    )
