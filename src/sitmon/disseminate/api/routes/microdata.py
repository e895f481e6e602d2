"""``/microdata``: per-enterprise values and rankings — confidential, for reviewers (their province),
analysts and admins only; filers and anonymous readers are refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from ....domain import form_of
from ...microdata import enterprise_figures, ranking
from ..deps import CacheDep, DbDep, ReviewerDep, SettingsDep
from ..edge import audit_read
from ..schemas.common import Period, Uscc, errors
from ..schemas.microdata import EnterpriseFiguresPublic, RankingPublic, RankingQuery, RankingRowPublic

router = APIRouter(prefix="/microdata", tags=["microdata"], responses=errors(401, 403, 422))


@router.get("/ranking", response_model=RankingPublic)
def read_ranking(
    q: Annotated[RankingQuery, Query()],
    user: ReviewerDep,
    cache: CacheDep,
    settings: SettingsDep,
    request: Request,
    db: DbDep,
) -> RankingPublic:
    """企业排名（保密）The ``n`` largest enterprises within the caller's scope (every read is audited)."""
    audit_read(
        request,
        db,
        user.username,
        "ranking",
        indicator=q.indicator.value,
        period=q.period,
        n=q.n,
        province=q.province,
    )
    key = ("ranking", user.role, user.scope, q.indicator.value, q.period, q.n, q.province)
    t = cache.get(
        key,
        [form_of(q.period)],
        lambda backend: ranking(
            settings, user, q.indicator.value, q.period, q.n, q.province, backend=backend
        ),
    )
    return RankingPublic(
        indicator=q.indicator.value,
        period=t.period,
        unit=t.unit or "",
        province=t.province,
        releases=t.releases,
        synthetic=t.synthetic,
        rows=[RankingRowPublic(**r) for r in t.rows],
    )


@router.get("/enterprises/{uscc}", response_model=EnterpriseFiguresPublic, responses=errors(404))
def read_enterprise(
    uscc: Annotated[Uscc, Path()],
    period: Annotated[Period, Query()],
    user: ReviewerDep,
    cache: CacheDep,
    settings: SettingsDep,
    request: Request,
    db: DbDep,
) -> EnterpriseFiguresPublic:
    """企业数据（保密）One enterprise's published row of ``period`` (``not_found`` outside scope; every read is
    audited)."""
    audit_read(request, db, user.username, "enterprise", uscc=uscc.upper(), period=period)
    key = ("enterprise", user.role, user.scope, uscc.upper(), period)
    t = cache.get(
        key,
        [form_of(period)],
        lambda backend: enterprise_figures(settings, user, uscc, period, backend=backend),
    )
    return EnterpriseFiguresPublic(**t.rows[0], period=t.period, releases=t.releases, synthetic=t.synthetic)
