"""``/review``: the reviewer's queue, late filers, and the response rate per province and period."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from ....process.filings import review_queue
from ....process.monitoring import late_filers, response_rates
from ...listings import late_document, queue_document
from ..deps import DbDep, LangDep, ReviewerDep
from ..files import FILE_RESPONSES, EncodingQ, FormatQ, document_response
from ..schemas.common import Period, Province, errors
from ..schemas.reports import LateFilerPublic, LateFilersPublic, ReportPagePublic, ResponseRatePublic
from .reports import page_public

router = APIRouter(prefix="/review", tags=["review"], responses=errors(401, 403, 422))
FormName = Literal["monthly", "annual"]
ProvinceQ = Annotated[Province | None, Query(description="national roles: one province; a reviewer: their own")]


@router.get("/queue", response_model=ReportPagePublic, responses=FILE_RESPONSES)
def queue(user: ReviewerDep, db: DbDep, lang: LangDep, form: FormName = "monthly",
          period: Annotated[Period | None, Query()] = None, province: ProvinceQ = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100,
          offset: Annotated[int, Query(ge=0, le=10**7)] = 0, format: FormatQ = "json",
          encoding: EncodingQ = None) -> ReportPagePublic | Response:
    """待审核 Submitted reports in scope, those with warnings first (``format``: a file of this page)."""
    page = review_queue(db, user, form=form, period=period, province=province, limit=limit, offset=offset)
    if format != "json":
        return document_response(queue_document(page.items, lang, period), format, encoding)
    return page_public(page, limit, lang)


@router.get("/late", response_model=LateFilersPublic, responses=FILE_RESPONSES)
def late(user: ReviewerDep, db: DbDep, lang: LangDep, period: Annotated[Period, Query()], form: FormName = "monthly",
         province: ProvinceQ = None, format: FormatQ = "json",
         encoding: EncodingQ = None) -> LateFilersPublic | Response:
    """迟报/未报企业 Enterprises expected to file ``period`` that have not, with the last period they filed."""
    rows = late_filers(db, user, form=form, period=period, province=province)
    if format != "json":
        return document_response(late_document(rows, lang, period), format, encoding)
    return LateFilersPublic(form=form, period=period, total=len(rows),
                            items=[LateFilerPublic.model_validate(r, from_attributes=True) for r in rows])


@router.get("/response-rates", response_model=list[ResponseRatePublic])
def rates(user: ReviewerDep, db: DbDep, period: Annotated[list[Period], Query(min_length=1, max_length=36)],
          form: FormName = "monthly", province: ProvinceQ = None) -> list[ResponseRatePublic]:
    """报送率 Expected, filed, accepted, returned and the response rate per province and period
    (repeat ``period`` for several)."""
    rows = response_rates(db, user, form=form, periods=list(dict.fromkeys(period)), province=province)
    return [ResponseRatePublic.model_validate(r, from_attributes=True) for r in rows]
