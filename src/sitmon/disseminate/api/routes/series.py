"""``/series``: the published national annual figures (real, public, each with its official citation), in
either vintage, and the rolling-origin backtest of their projections."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from ....catalog.series import load_series
from ....domain import Message, NotFound
from ...listings import series_document
from ...projections import series_backtest
from ...series import SeriesError, series_view
from ..deps import LangDep, ReaderDep
from ..errors import ApiError
from ..files import FILE_RESPONSES, EncodingQ, FormatQ, document_response
from ..schemas.common import errors
from ..schemas.published import BacktestPublic, ObservationPublic, SeriesIndicatorPublic, SeriesPublic

router = APIRouter(prefix="/series", tags=["published"], responses=errors(401, 422))
IndicatorPath = Annotated[str, Path(max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
VintageQuery = Annotated[
    Literal["latest", "first"], Query(description="latest (after revisions) | first (as first published)")
]


@router.get("", response_model=list[SeriesIndicatorPublic])
def list_series(_: ReaderDep) -> list[SeriesIndicatorPublic]:
    """公布数据指标 Indicators of the published national series and the years covered."""
    s = load_series()
    out = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        out.append(
            SeriesIndicatorPublic(
                indicator=ind, unit=s.all_of(ind)[0].unit, years=len(years), first=years[0], last=years[-1]
            )
        )
    return out


@router.get("/{indicator}", response_model=SeriesPublic, responses={**errors(404), **FILE_RESPONSES})
def read_series(
    indicator: IndicatorPath,
    _: ReaderDep,
    lang: LangDep,
    vintage: VintageQuery = "latest",
    format: FormatQ = "json",
    encoding: EncodingQ = None,
) -> SeriesPublic | Response:
    """一个指标的公布数 Every published figure of ``indicator`` in ``vintage``, each with its official citation
    first and the reprint it was read in (values not in force marked ``used: false``); gaps are left out.
    ``format``: a file, year by year with the gaps, as ``sitmon series show --out`` writes it."""
    try:
        view = series_view(indicator, vintage)
    except SeriesError as exc:
        raise NotFound(Message("errors.no_series", indicator=indicator)) from exc
    if format != "json":
        return document_response(series_document(view, lang), format, encoding)
    obs = [
        ObservationPublic.model_validate(
            {
                "year": r.year,
                "value": r.value,
                "unit": r.unit,
                "source": r.citation.read_in,
                "quote": r.citation.quote,
                "used": r.in_force,
                "kind": r.kind or None,
                "why_zh": r.why_zh,
                "why_en": r.why_en,
                "yoy_published": r.yoy_published,
                "yoy_from_levels": r.yoy_from_levels,
                "citation": r.citation.to_dict(),
                "citation_text": r.citation.render(lang),
            }
        )
        for r in view.rows
        if r.value is not None and r.citation is not None
    ]
    return SeriesPublic(
        indicator=indicator,
        vintage=view.vintage,
        revised_years=view.revised_years,
        label=view.label(lang),
        vintage_note=view.vintage_note(lang),
        observations=obs,
    )


@router.get("/{indicator}/backtest", response_model=BacktestPublic, responses=errors(404))
def backtest(
    indicator: IndicatorPath,
    _: ReaderDep,
    vintage: VintageQuery = "latest",
    horizons: Annotated[
        str, Query(max_length=20, pattern=r"^[0-9,\- ]+$", description="1-5 | 1,3,5 (years, each 1–10)")
    ] = "1-5",
) -> BacktestPublic:
    """滚动起点回测 The rolling-origin backtest of ``indicator``: per origin and horizon the projection, its 80 % /
    95 % intervals and the published outcome, beside the random walk with drift, and the coverage and MAPE."""
    if indicator not in load_series().indicators():
        raise NotFound(Message("errors.no_series", indicator=indicator))
    try:
        res = series_backtest(indicator, horizons, vintage)
    except SeriesError as exc:
        raise ApiError("query_error", exc.message) from exc
    return BacktestPublic.model_validate(res.to_dict())
