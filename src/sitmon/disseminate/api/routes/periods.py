"""``/periods/{period}/publish`` (analyst): close a period and publish a release through the guard; ``/releases``:
what is published, the release calendar and each release's revision notice."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from ....process.publish import releases
from ....process.publish_guard import GuardPolicy, publish_guarded
from ....process.release_calendar import BEIJING, release_calendar
from ...revisions import revision_notice
from ..deps import AnalystDep, DbDep, ReaderDep, SettingsDep
from ..errors import ApiError
from ..schemas.common import Period, errors
from ..schemas.published import ReleasePublic
from ..schemas.round import (
    CalendarEntryPublic,
    GuardedPublishCreate,
    GuardedReleasePublic,
    PreviewPublic,
    RevisionNoticePublic,
)

router = APIRouter(tags=["releases"], responses=errors(401, 403, 422))
FormName = Literal["monthly", "annual"]
_PREVIEW: dict[int | str, dict[str, Any]] = {
    200: {"model": PreviewPublic, "description": "dry run: the preview"}
}


@router.post(
    "/periods/{period}/publish",
    response_model=GuardedReleasePublic,
    status_code=201,
    responses={**_PREVIEW, **errors(409)},
)
def publish_period(
    period: Annotated[Period, Path()],
    body: GuardedPublishCreate,
    user: AnalystDep,
    db: DbDep,
    settings: SettingsDep,
) -> GuardedReleasePublic | JSONResponse:
    """关闭报告期并发布 Freeze the accepted reports (plus imputed non-respondents) into release N+1 — through the
    guard: refused (``409 publish_refused``, with the ``preview``) below the minimum response rate or with
    unexplained warnings unless ``force`` with a ``reason`` (audited); ``dry_run`` returns the preview (200)."""
    policy = GuardPolicy(settings.publish_min_response_rate, body.force, body.reason, body.dry_run)
    done = publish_guarded(db, period, body.form, actor=user.username, policy=policy)
    preview = PreviewPublic.model_validate(done.preview.to_dict())
    if done.release is None:
        return JSONResponse(preview.model_dump(mode="json"), status_code=200)
    release = ReleasePublic.model_validate(done.release, from_attributes=True)
    return GuardedReleasePublic(**release.model_dump(), preview=preview)


@router.get("/releases", response_model=list[ReleasePublic])
def list_releases(
    _: ReaderDep, db: DbDep, form: Literal["monthly", "annual"] | None = None
) -> list[ReleasePublic]:
    """数据版本 Every published release."""
    return [
        ReleasePublic.model_validate(
            {
                "form": r.form,
                "period": r.period,
                "number": r.number,
                "created_at": r.created_at,
                "respondents": r.respondents,
                "imputed": r.imputed,
                "expected": r.enterprises,
                "response_rate_pct": r.response_rate,
                "synthetic": r.synthetic,
                "checksum": r.checksum,
            }
        )
        for r in releases(db, form)
    ]


@router.get("/releases/calendar", response_model=list[CalendarEntryPublic])
def calendar(
    _: ReaderDep,
    db: DbDep,
    form: FormName = "monthly",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[CalendarEntryPublic]:
    """发布日程 The planned date of each period's first release, when it was published, and whether that was on
    time or late (a period past its date without a release: overdue)."""
    entries = release_calendar(db, form=form, year=year or datetime.now(BEIJING).year)
    return [CalendarEntryPublic.model_validate(e, from_attributes=True) for e in entries]


@router.get("/releases/{form}/{period}/revisions", response_model=RevisionNoticePublic, responses=errors(404))
def revisions(
    form: FormName,
    period: Annotated[Period, Path()],
    _: ReaderDep,
    settings: SettingsDep,
    release: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> RevisionNoticePublic:
    """修订说明 The published cells of the release (default: the latest) that changed since the previous release of
    the period: old and new values; cells newly suppressed without a value; cells newly published with the new
    value only."""
    notice = revision_notice(settings, form, period, release)
    if notice is None:
        raise ApiError("not_found")
    return RevisionNoticePublic.model_validate(notice.to_dict())
