"""``/plans``: the five-year plans and the status of their targets on the published figures."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from ....analyse.plans import TargetStatus
from ....catalog.plans import load_plans
from ....domain import Label
from ...listings import plans_document
from ...plans import plan_status
from ..deps import CacheDep, LangDep, ReaderDep, SettingsDep
from ..files import FILE_RESPONSES, EncodingQ, FormatQ, document_response
from ..schemas.common import errors
from ..schemas.published import PlanPublic, TargetStatusPublic

router = APIRouter(prefix="/plans", tags=["published"], responses=errors(401, 422))
PlanCode = StrEnum("PlanCode", {c: c for c in load_plans()})  # type: ignore[misc]


def status_public(st: TargetStatus, lang: str) -> TargetStatusPublic:
    """A target's evaluation with the reason and the citation of the latest figure in ``lang``."""
    d = st.to_dict()
    d.pop("extra", None)
    citation = Label(st.latest_citation_zh or "", st.latest_citation_en or "").render(lang) or None
    return TargetStatusPublic(
        **d, reason=st.reason.render(lang) if st.reason else "", latest_citation=citation
    )


@router.get("", response_model=list[PlanPublic])
def list_plans(_: ReaderDep) -> list[PlanPublic]:
    """规划 The plans (the 11th is context only)."""
    return [
        PlanPublic(
            code=p.code,
            name_zh=p.name_zh,
            name_en=p.name_en,
            base_year=p.base_year,
            target_year=p.target_year,
            targets=len(p.targets),
            context_only=p.context_only,
        )
        for p in load_plans().values()
    ]


@router.get("/status", response_model=list[TargetStatusPublic], responses=FILE_RESPONSES)
def status(
    _: ReaderDep,
    cache: CacheDep,
    settings: SettingsDep,
    lang: LangDep,
    plan: PlanCode | None = None,
    as_of: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    vintage: Annotated[Literal["latest", "first"], Query(description="vintage of the series")] = "latest",
    format: FormatQ = "json",
    encoding: EncodingQ = None,
) -> list[TargetStatusPublic] | Response:
    """规划目标进度 Attainment, realised and required growth, status (an open level target is called from its
    calibrated projection, with how often such a call held in the backtest) and the official citation of the
    latest figure, on the ``vintage`` of the series; ``format``: a file, as ``sitmon plans status --out``."""
    code = plan.value if plan else None
    results = cache.get(
        ("plans", code, as_of, vintage),
        ["annual", "monthly"],
        lambda _backend: plan_status(settings, code, as_of, vintage),
    )
    if format != "json":
        return document_response(plans_document(results, lang, code), format, encoding)
    return [status_public(r, lang) for r in results]
