"""``/periods/{period}/publish`` (analyst): close a period and publish a release; ``/releases``: what is published."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path

from ....process.publish import publish, releases
from ..deps import AnalystDep, DbDep, ReaderDep
from ..schemas.common import Period, errors
from ..schemas.published import PublishCreate, ReleasePublic

router = APIRouter(tags=["releases"], responses=errors(401, 403, 422))


@router.post("/periods/{period}/publish", response_model=ReleasePublic, status_code=201, responses=errors(409))
def publish_period(period: Annotated[Period, Path()], body: PublishCreate, user: AnalystDep, db: DbDep
                   ) -> ReleasePublic:
    """关闭报告期并发布 Freeze the accepted reports (plus imputed non-respondents) into release N+1."""
    return ReleasePublic.model_validate(publish(db, period, body.form, actor=user.username), from_attributes=True)


@router.get("/releases", response_model=list[ReleasePublic])
def list_releases(_: ReaderDep, db: DbDep, form: Literal["monthly", "annual"] | None = None) -> list[ReleasePublic]:
    """数据版本 Every published release."""
    return [ReleasePublic.model_validate({
        "form": r.form, "period": r.period, "number": r.number, "created_at": r.created_at, "respondents": r.respondents,
        "imputed": r.imputed, "expected": r.enterprises, "response_rate_pct": r.response_rate, "synthetic": r.synthetic,
        "checksum": r.checksum}) for r in releases(db, form)]

