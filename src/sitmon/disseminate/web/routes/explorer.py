"""数据查询 The data explorer: pick an indicator, measures, periods and a breakdown; see the published table
(disclosure control applied), download it whole as CSV or XLSX, and copy the API URLs that give the same
figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from ....analyse.measures import DIMENSIONS, MEASURES, PERCENT_MEASURES
from ....catalog import load_catalog
from ....catalog.disclosure import load_disclosure
from ....domain import Label, Message, PeriodError, parse_periods
from ...tables import QueryError, TableResult, published_table
from ..downloads import to_csv, to_xlsx
from ..figures import form_of, published_periods
from ..format import display_unit
from ..pages import Viewer, reader, render

router = APIRouter()
MAX_TABLES = 36
Many = Annotated[list[str], Query(max_length=64)]
Text = Annotated[str | None, Query(max_length=200)]


@dataclass
class Selection:
    """What the reader asked for, checked: indicator, measures, periods, breakdown, unit; ``errors`` says what
    was refused (as catalogue messages)."""

    indicator: str = "revenue_total"
    measures: list[str] = field(default_factory=lambda: ["level"])
    periods: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)
    unit: str | None = None
    errors: list[str] = field(default_factory=list)

    def query(self, **extra: Any) -> str:
        """The selection as a query string (for links)."""
        pairs: list[tuple[str, Any]] = [
            ("indicator", self.indicator),
            *(("measure", m) for m in self.measures),
            ("periods", ",".join(self.periods)),
            *(("by", b) for b in self.by),
        ]
        if self.unit:
            pairs.append(("unit", self.unit))
        pairs += list(extra.items())
        return urlencode(pairs)

    def api_urls(self) -> list[str]:
        """The API requests that give the same figures, one per (period, measure)."""
        out = []
        for p in self.periods:
            for m in self.measures:
                pairs: list[tuple[str, str]] = [
                    ("indicator", self.indicator),
                    ("period", p),
                    ("measure", m),
                    *(("by", b) for b in self.by),
                ]
                if self.unit and m not in PERCENT_MEASURES:
                    pairs.append(("unit", self.unit))
                out.append("/api/v1/aggregates?" + urlencode(pairs))
        return out


def units_for(indicator: str) -> list[str]:
    """The units an indicator can be shown in: those of the same currency for money, persons or 万人 for
    people."""
    cat = load_catalog()
    base = cat.indicators[indicator].unit
    currency = cat.units[base].currency
    if currency:
        return [code for code, u in cat.units.items() if u.currency == currency]
    return ["person", "10k_persons"] if base == "person" else [base]


def select(
    viewer: Viewer,
    indicator: str | None,
    measure: list[str],
    periods: str | None,
    period: list[str],
    by: list[str],
    unit: str | None,
    published: list[str],
) -> Selection:
    """The checked selection (defaults: software business revenue, level, the latest period, national)."""
    cat = load_catalog()
    sel = Selection()
    if indicator in cat.indicators:
        sel.indicator = indicator
    elif indicator:
        sel.errors.append(viewer.t("web.explorer_bad_indicator"))
    sel.measures = [m for m in dict.fromkeys(measure) if m in MEASURES] or ["level"]
    sel.by = [d for d in DIMENSIONS if d in by]
    try:
        chosen = [str(p) for p in parse_periods([periods or "", *period])] if (periods or period) else []
    except PeriodError as exc:
        sel.errors.append(exc.message.render(viewer.lang) if hasattr(exc, "message") else str(exc))
        chosen = []
    sel.periods = chosen or published[-1:]
    if len(sel.periods) * len(sel.measures) > MAX_TABLES:
        sel.errors.append(viewer.t("web.explorer_too_many", n=MAX_TABLES))
        sel.periods = sel.periods[: max(1, MAX_TABLES // len(sel.measures))]
    units = units_for(sel.indicator)
    sel.unit = unit if unit in units else display_unit(sel.indicator)
    return sel


def results(request: Request, viewer: Viewer, sel: Selection) -> list[TableResult]:
    """The published tables of the selection (one per period and measure); refusals go to ``sel.errors``."""
    st = request.app.state
    out = []
    for p in sel.periods:
        for m in sel.measures:
            unit = None if m in PERCENT_MEASURES else sel.unit
            key = ("web", sel.indicator, tuple(sel.by), p, m, unit)
            try:
                out.append(
                    st.cache.get(
                        key,
                        [form_of(p)],
                        lambda backend, p=p, m=m, unit=unit: published_table(
                            st.settings, sel.indicator, sel.by, p, m, unit=unit, public=True, backend=backend
                        ),
                    )
                )
            except (QueryError, PeriodError) as exc:
                msg = exc.render(viewer.lang)
                if msg not in sel.errors:
                    sel.errors.append(msg)
    return out


def wide(res: list[TableResult]) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]]]:
    """The tables side by side: columns (period, measure, unit) and one row per cell of the breakdown."""
    columns = [(r.period, r.measure, r.unit) for r in res]
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i, r in enumerate(res):
        for row in r.rows:
            key = tuple(row.get(d) for d in r.by)
            entry = rows.setdefault(
                key, {"key": dict(zip(r.by, key, strict=True)), "cells": [None] * len(res)}
            )
            entry["cells"][i] = row
    return columns, list(rows.values())


def _inputs(
    request: Request,
    indicator: str | None,
    measure: list[str],
    periods: str | None,
    period: list[str],
    by: list[str],
    unit: str | None,
) -> tuple[Viewer, Selection, list[TableResult]]:
    viewer = reader(request)
    published = published_periods(request.app.state.db, "monthly") + published_periods(
        request.app.state.db, "annual"
    )
    sel = select(viewer, indicator, measure, periods, period, by, unit, published)
    return viewer, sel, results(request, viewer, sel)


@router.get("/explorer", response_class=HTMLResponse)
def explorer(
    request: Request,
    indicator: Text = None,
    measure: Many = [],  # noqa: B006
    periods: Text = None,
    period: Many = [],  # noqa: B006
    by: Many = [],  # noqa: B006
    unit: Text = None,
) -> HTMLResponse:
    """数据查询 The explorer page."""
    viewer, sel, res = _inputs(request, indicator, measure, periods, period, by, unit)
    columns, rows = wide(res)
    cat = load_catalog()
    tables = [",".join(t) for t in load_disclosure().tables_for(cat.indicators[sel.indicator])]
    published = published_periods(request.app.state.db, "monthly") + published_periods(
        request.app.state.db, "annual"
    )
    return render(
        request,
        viewer,
        "explorer.html",
        sel=sel,
        columns=columns,
        rows=rows,
        results=res,
        indicators=list(cat.forms["annual"].indicators),
        measures=list(MEASURES),
        dimensions=DIMENSIONS,
        units=units_for(sel.indicator),
        tables=tables,
        published=published,
        synthetic=any(r.synthetic for r in res),
    )


@router.get("/explorer/download")
def download(
    request: Request,
    format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv",  # noqa: A002
    indicator: Text = None,
    measure: Many = [],  # noqa: B006
    periods: Text = None,
    period: Many = [],  # noqa: B006
    by: Many = [],  # noqa: B006
    unit: Text = None,
) -> Response:
    """The selection's tables, whole, as CSV or XLSX (disclosure control applied, as on the page)."""
    viewer, sel, res = _inputs(request, indicator, measure, periods, period, by, unit)
    if not res:
        said = " / ".join(sel.errors)  # already in the reader's language
        raise QueryError(
            Message("web.explorer_refused", reasons=Label(said, said))
            if said
            else Message("web.explorer_no_data")
        )
    name = f"sitmon-{sel.indicator}-{'-'.join(sel.by) or 'national'}-{sel.periods[0]}"
    synthetic = any(r.synthetic for r in res)
    if format == "xlsx":
        note = viewer.t("web.download_note_synthetic" if synthetic else "web.download_note")
        body = to_xlsx(res, viewer.lang, f"sitmon {sel.indicator} ({', '.join(sel.periods)})", note)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, media = to_csv(res, viewer.lang), "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media,
        headers={
            "content-disposition": f'attachment; filename="{name}.{format}"',
            "cache-control": "no-store" if viewer.signed_in else "no-cache",
        },
    )
