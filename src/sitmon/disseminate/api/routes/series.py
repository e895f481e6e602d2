"""``/series``: the published national annual figures (real, with their sources)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from ....catalog.series import load_series
from ....security import NotFound
from ...listings import series_document
from ..deps import LangDep, ReaderDep
from ..files import FILE_RESPONSES, EncodingQ, FormatQ, document_response
from ..schemas.common import errors
from ..schemas.published import ObservationPublic, SeriesIndicatorPublic, SeriesPublic

router = APIRouter(prefix="/series", tags=["published"], responses=errors(401, 422))


@router.get("", response_model=list[SeriesIndicatorPublic])
def list_series(_: ReaderDep) -> list[SeriesIndicatorPublic]:
    """公布数据指标 Indicators of the published national series and the years covered."""
    s = load_series()
    out = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        out.append(SeriesIndicatorPublic(indicator=ind, unit=s.all_of(ind)[0].unit, years=len(years),
                                         first=years[0], last=years[-1]))
    return out


@router.get("/{indicator}", response_model=SeriesPublic, responses={**errors(404), **FILE_RESPONSES})
def read_series(indicator: Annotated[str, Path(max_length=64)], _: ReaderDep, lang: LangDep,
                format: FormatQ = "json", encoding: EncodingQ = None) -> SeriesPublic | Response:
    """一个指标的公布数 Every published figure of ``indicator`` with source and wording (duplicates marked);
    ``format``: by year, gaps shown as gaps, as ``sitmon series show`` writes it."""
    obs = load_series().all_of(indicator)
    if not obs:
        raise NotFound(f"没有指标 {indicator} 的公布数据", f"no published series {indicator}")
    if format != "json":
        return document_response(series_document(indicator, lang), format, encoding)
    return SeriesPublic(indicator=indicator, observations=[ObservationPublic(**o.__dict__) for o in obs])
