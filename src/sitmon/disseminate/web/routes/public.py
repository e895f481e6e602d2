"""Public pages (anyone when ``SITMON_PUBLIC_READ`` is on, else signed-in users): the overview, the China map,
a province's page, and the map file itself."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from ....catalog import load_catalog
from ....catalog.series import load_series
from ....domain import Message, Period
from ....security import NotFound
from ..assets import map_geojson
from ..figures import (
    HEADLINE,
    MAP_INDICATORS,
    MAP_MEASURES,
    SECTOR_REVENUES,
    cell,
    headline,
    latest_release,
    published_periods,
    table,
    trend,
)
from ..format import display_unit
from ..pages import reader, render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=32)]


def _state(request: Request) -> Any:
    return request.app.state


def _real_figure(indicator: str) -> dict[str, Any] | None:
    """The latest real published national figure of ``indicator`` (亿元) with its source, for reference."""
    points = load_series().of(indicator)
    if not points:
        return None
    year = max(points)
    o = points[year]
    return {"year": year, "value": o.value, "unit": o.unit, "source": o.source}


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    """概览 The latest release's national figures, the four sectors and the monthly trend."""
    viewer = reader(request)
    st = _state(request)
    latest = latest_release(st.db)
    context: dict[str, Any] = {"latest": latest, "real": _real_figure("revenue_total")}
    if latest is not None:
        p = latest.period
        context["headlines"] = [headline(st.cache, st.settings, ind, unit, p) for ind, unit in HEADLINE]
        context["sectors"] = [headline(st.cache, st.settings, ind, "100m_cny", p) for ind in SECTOR_REVENUES]
        months = [str(m) for m in Period.parse(p).months_to_date()]
        t = trend(st.cache, st.settings, months)
        context["trend"] = {
            "labels": [viewer.t("web.month_short", month=int(m[5:7])) for m in t.periods],
            "periods": t.periods,
            "month": t.month,
            "month_flags": t.month_flags,
            "growth": t.growth,
            "growth_flags": t.growth_flags,
            "unit": viewer.t("web.unit_100m_cny"),
            "month_name": viewer.t("web.trend_month"),
            "growth_name": viewer.t("web.trend_growth"),
            "suppressed": viewer.t("web.suppressed"),
        }
    return render(request, viewer, "overview.html", **context)


def _choice(value: str | None, allowed: tuple[str, ...] | list[str], default: str) -> str:
    return value if value is not None and value in allowed else default


@router.get("/map", response_class=HTMLResponse)
def china_map(
    request: Request, indicator: Text = None, measure: Text = None, period: Text = None
) -> HTMLResponse:
    """地图 The 34 provincial-level divisions coloured by an indicator and measure; suppressed ones marked."""
    viewer = reader(request)
    st = _state(request)
    periods = published_periods(st.db, "monthly") + published_periods(st.db, "annual")
    indicator = _choice(indicator, MAP_INDICATORS, "revenue_total")
    measure = _choice(measure, MAP_MEASURES, "level")
    monthly = [p for p in periods if len(p) == 7]
    period = _choice(period, periods, monthly[-1] if monthly else (periods[-1] if periods else ""))
    unit = display_unit(indicator, measure)
    res = (
        table(
            st.cache, st.settings, indicator, ("province",), period, measure, None if unit == "pct" else unit
        )
        if period
        else None
    )
    f = viewer.t
    rows = []
    cat = load_catalog()
    for p in cat.provinces.values():
        row = cell(res, province=p.code) if p.reports else None
        status = (
            "not_reporting"
            if not p.reports
            else "none"
            if row is None
            else "suppressed"
            if row["flag"]
            else "value"
        )
        rows.append(
            {
                "code": p.code,
                "name": p.name(viewer.lang),
                "value": None if row is None else row["value"],
                "flag": None if row is None else row["flag"],
                "status": status,
            }
        )
    geo = map_geojson(st.settings)
    data = {
        "rows": rows,
        "unit": unit,
        "unit_name": "%" if unit == "pct" else viewer.t(f"web.unit_{unit}"),
        "period": period,
        "indicator": indicator,
        "measure": measure,
        "map_url": f"/map/china.json?v={geo[1]}" if geo else None,
        "labels": {k: f(f"web.map_{k}") for k in ("suppressed", "none", "not_reporting", "no_data")},
        "flags": {k: viewer.term("flag", k) for k in ("threshold", "dominance", "secondary", "zero")},
        "title": f"{viewer.t('web.measure_' + measure)}",
    }
    return render(
        request,
        viewer,
        "map.html",
        data=data,
        rows=rows,
        periods=periods,
        indicators=MAP_INDICATORS,
        measures=MAP_MEASURES,
        indicator=indicator,
        measure=measure,
        period=period,
        unit=unit,
        table=res,
        map_available=geo is not None,
        approval=st.settings.map_approval,
        custom_map=bool(st.settings.map_file),
    )


@router.get("/map/china.json")
def map_file(request: Request) -> Response:
    """The map to draw (GeoJSON, features named by GB/T 2260 code): the deployment's approved map or the
    ECharts 4.9.0 ``china.json``."""
    found = map_geojson(_state(request).settings)
    if found is None:
        raise NotFound(Message("web.map_not_installed"))
    body, etag = found
    hashed = request.query_params.get("v") == etag
    if request.headers.get("if-none-match") == f'"{etag}"':
        return Response(status_code=304, headers={"etag": f'"{etag}"'})
    return Response(
        body,
        media_type="application/json",
        headers={
            "etag": f'"{etag}"',
            "cache-control": "public, max-age=31536000, immutable" if hashed else "no-cache",
        },
    )


@router.get("/province/{code}", response_class=HTMLResponse)
def province(request: Request, code: str, period: Text = None) -> HTMLResponse:
    """省份 One province: its figures, its sectors, its cities and its monthly trend (all public tables)."""
    viewer = reader(request)
    st = _state(request)
    cat = load_catalog()
    prov = cat.provinces.get(code) if len(code) == 6 and code.isdigit() else None
    if prov is None:
        raise NotFound(Message("web.no_province", code=code[:8]))
    monthly = published_periods(st.db, "monthly")
    period = _choice(period, monthly, monthly[-1] if monthly else "")
    context: dict[str, Any] = {"prov": prov, "period": period, "periods": monthly}
    if prov.reports and period:
        s, c = st.cache, st.settings
        by_prov = {
            m: cell(
                table(
                    s,
                    c,
                    "revenue_total",
                    ("province",),
                    period,
                    m,
                    "100m_cny" if m in ("level", "month") else None,
                ),
                province=code,
            )
            for m in ("level", "yoy_comparable", "share")
        }
        sectors = [
            (
                sec,
                cell(
                    table(s, c, "revenue_total", ("province", "sector"), period, "level", "100m_cny"),
                    province=code,
                    sector=sec,
                ),
                cell(
                    table(s, c, "revenue_total", ("province", "sector"), period, "yoy_comparable"),
                    province=code,
                    sector=sec,
                ),
            )
            for sec in cat.sectors
        ]
        cities_level = table(s, c, "revenue_total", ("city",), period, "level", "100m_cny")
        cities_growth = table(s, c, "revenue_total", ("city",), period, "yoy_comparable")
        cities = [
            (r, cell(cities_growth, city=r["city"]))
            for r in (cities_level.rows if cities_level else [])
            if str(r["city"]).startswith(code[:2])
        ]
        months = [str(m) for m in Period.parse(period).months_to_date()]
        t = trend(s, c, months, where={"province": code}, by=("province",))
        context.update(
            by_prov=by_prov,
            sectors=sectors,
            cities=cities,
            trend={
                "labels": [viewer.t("web.month_short", month=int(m[5:7])) for m in t.periods],
                "month": t.month,
                "month_flags": t.month_flags,
                "growth": t.growth,
                "growth_flags": t.growth_flags,
                "unit": viewer.t("web.unit_100m_cny"),
                "month_name": viewer.t("web.trend_month"),
                "growth_name": viewer.t("web.trend_growth"),
                "suppressed": viewer.t("web.suppressed"),
            },
        )
    return render(request, viewer, "province.html", **context)
