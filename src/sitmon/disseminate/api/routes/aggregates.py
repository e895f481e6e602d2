"""``/aggregates``: published tables — the measures of ``sitmon query`` — always under disclosure control;
``/aggregates/confidential``: unsuppressed tables for the caller's scope (reviewers: their province)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from ....domain import form_of
from ...microdata import confidential_table
from ...tables import TableResult, published_table
from ..deps import CacheDep, DbDep, ReaderDep, ReviewerDep, SettingsDep
from ..edge import audit_read
from ..schemas.common import errors
from ..schemas.published import AggregatePublic, AggregateQuery, AggregateRowPublic, DefinitionPublic

router = APIRouter(prefix="/aggregates", tags=["published"], responses=errors(401, 403, 422))
AggregateParams = Annotated[AggregateQuery, Query()]


def aggregate_public(res: TableResult, confidential: bool) -> AggregatePublic:
    """A :class:`~sitmon.disseminate.tables.TableResult` as the API shows it: each row with only the
    dimensions asked for, the value and the suppression flag."""
    rows = [AggregateRowPublic(**{d: (None if r.get(d) is None else str(r[d])) for d in res.by}, value=r["value"],
                               flag=r.get("flag")) for r in res.rows]
    return AggregatePublic(indicator=res.indicator, measure=res.measure, period=res.period, by=res.by, unit=res.unit,
                           definition=DefinitionPublic(zh=res.definition.render("zh") if res.definition else "",
                                                      en=res.definition.render("en") if res.definition else ""),
                           releases=res.releases, synthetic=res.synthetic,
                           protected=bool(getattr(res, "protected", False)), confidential=confidential, rows=rows)


def rendered(res: TableResult, confidential: bool) -> bytes:
    """The JSON body of a table, rendered once and cached with it (the releases are immutable)."""
    return aggregate_public(res, confidential).model_dump_json(exclude_unset=True).encode()


def _args(q: AggregateQuery) -> tuple[str, list[str], str, str, int | None, str | None]:
    return (q.indicator.value, [b.value for b in q.by], q.period, q.measure.value, q.release,
            q.unit.value if q.unit else None)


@router.get("", response_model=AggregatePublic)
async def published(q: AggregateParams, _: ReaderDep, cache: CacheDep, settings: SettingsDep) -> Response:
    """已发布数据（经统计披露控制）Published figures with disclosure control: a suppressed cell has
    ``value: null`` and a ``flag`` (threshold | dominance | secondary)."""
    indicator, by, period, measure, release, unit = _args(q)
    key, forms = ("public", indicator, tuple(by), period, measure, release, unit), [form_of(period)]
    body = cache.peek(key, forms) or await run_in_threadpool(
        cache.get, key, forms, lambda backend: rendered(published_table(
            settings, indicator, by, period, measure, release=release, unit=unit, public=True, backend=backend),
            confidential=False))
    return Response(body, media_type="application/json")


@router.get("/confidential", response_model=AggregatePublic)
async def confidential(q: AggregateParams, user: ReviewerDep, cache: CacheDep, settings: SettingsDep,
                       request: Request, db: DbDep) -> Response:
    """未抑制数据（保密）Unsuppressed figures, marked confidential: national for analysts and admins; a reviewer
    must break down by ``province`` and gets their province's rows only. Every read is audited."""
    indicator, by, period, measure, release, unit = _args(q)
    await run_in_threadpool(audit_read, request, db, user.username, "unsuppressed_table", indicator=indicator,
                            by=by, period=period, measure=measure)
    key = ("confidential", user.role, user.scope, indicator, tuple(by), period, measure, release, unit)
    forms = [form_of(period)]
    body = cache.peek(key, forms) or await run_in_threadpool(
        cache.get, key, forms, lambda backend: rendered(confidential_table(
            settings, user, indicator, by, period, measure, release=release, unit=unit, backend=backend),
            confidential=True))
    return Response(body, media_type="application/json")
