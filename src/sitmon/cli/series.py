"""``sitmon series list|show|backtest``: the published national figures with their official sources, in
either vintage, and the rolling-origin backtest of their projections."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..domain import text
from .common import FormatOpt, IndicatorOpt, OutputFormat, VintageOpt, console, emit, fail, state, write_out

series_app = typer.Typer(no_args_is_help=True)


@series_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """List the indicators of the published series."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    rows = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        rows.append(
            {
                "indicator": ind,
                "unit": s.all_of(ind)[0].unit,
                "years": len(years),
                "first": years[0],
                "last": years[-1],
                "gaps": ", ".join(str(y) for y in range(years[0], years[-1] + 1) if y not in years) or None,
                "revised": ", ".join(map(str, s.revised(ind))) or None,
            }
        )
    cols = ["indicator", "unit", "years", "first", "last", "gaps"]
    if fmt is not OutputFormat.table:
        emit(rows, [*cols, "revised"], fmt, lang=st.lang)
        return
    said = [
        {**r, "name": _name(str(r["indicator"]), st.lang), "unit": _unit(str(r["unit"]), st.lang)}
        for r in rows
    ]
    emit(
        said,
        ["indicator", "name", "unit", "years", "first", "last", "gaps"],
        fmt,
        lang=st.lang,
        title=st.text("cli_series.list_title"),
        headers={"indicator": st.text("cli_series.code")},
    )
    revised = st.text("cli_reports.list_sep").join(
        st.text("cli_series.revised_item", indicator=r["indicator"], years=r["revised"])
        for r in rows
        if r["revised"]
    )
    console.print(text("citation.revised_indicators", st.lang, list=revised), highlight=False)
    console.print(text("citation.public_label", st.lang), highlight=False)


def _name(indicator: str, lang: str) -> str | None:
    """The name of an indicator of the series (a catalog or derived indicator), or None."""
    from ..catalog import load_catalog
    from ..catalog.derived import load_derived

    found = load_catalog().indicators.get(indicator) or load_derived().get(indicator)
    return found.name(lang) if found is not None else None


def _unit(code: str, lang: str) -> str:
    from ..catalog import load_catalog

    unit = load_catalog().units.get(code)
    return unit.name(lang) if unit is not None else code


@series_app.command("show")
def show(
    ctx: typer.Context,
    indicator: str,
    vintage: VintageOpt = "latest",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Values of one indicator, year by year, the official source first and the page it was read in after; gaps
    shown as gaps."""
    from ..disseminate.listings import series_document, series_rows
    from ..disseminate.series import SeriesError, series_view

    st = state(ctx)
    try:
        view = series_view(indicator, vintage)
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    if out is not None:
        write_out(st, series_document(view, st.lang), out, encoding)
        return
    rows = series_rows(view, st.lang)
    if fmt is OutputFormat.table:
        notes: dict[str, int] = {}
        for d, r in zip(rows, view.rows, strict=True):
            if r.citation is not None:
                d["note"] = f"[{notes.setdefault(r.citation.render(st.lang), len(notes) + 1)}]"
        emit(
            rows,
            ["year", "value", "used", "yoy_published", "yoy_from_levels", "note"],
            fmt,
            lang=st.lang,
            title=st.text(
                "cli_series.show_title",
                indicator=_name(indicator, st.lang) or indicator,
                unit=_unit(view.unit, st.lang),
            ),
            headers={"note": st.text("cli_series.col_source")},
            decimals={"yoy_published": 1, "yoy_from_levels": 1},
        )
        for line, n in notes.items():
            console.print(f"[{n}] {line}", highlight=False, markup=False)
        for line in (view.vintage_note(st.lang), text("citation.growth_note", st.lang), view.label(st.lang)):
            console.print(line, highlight=False, markup=False)
    else:
        emit(
            rows,
            [
                "year",
                "value",
                "unit",
                "vintage",
                "used",
                "kind",
                "yoy_published",
                "yoy_from_levels",
                "official",
                "read_in",
                "quote",
                "why",
            ],
            fmt,
            lang=st.lang,
        )


@series_app.command("backtest")
def backtest(
    ctx: typer.Context,
    indicator: IndicatorOpt,
    horizons: Annotated[str, typer.Option("--horizons")] = "1-5",
    vintage: VintageOpt = "latest",
    summary_only: Annotated[bool, typer.Option("--summary")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Rolling-origin backtest of the projections beside the random walk with drift.

    CSV: one row per origin × horizon (origin, horizon, target_year, projection, lo80, hi80, lo95, hi95,
    outcome, then the random walk's rw_projection, rw_lo80, rw_hi80, rw_lo95, rw_hi95); with --summary the
    summary (method, horizon, cases, mape_pct, calibrated, covered80, covered95, coverage80_pct,
    coverage95_pct). JSON: both."""
    from ..disseminate.projections import series_backtest
    from ..disseminate.series import SeriesError

    st = state(ctx)
    try:
        res = series_backtest(indicator, horizons, vintage)
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    row_cols = [
        "origin",
        "horizon",
        "target_year",
        "projection",
        "lo80",
        "hi80",
        "lo95",
        "hi95",
        "outcome",
        "rw_projection",
        "rw_lo80",
        "rw_hi80",
        "rw_lo95",
        "rw_hi95",
    ]
    sum_cols = [
        "method",
        "horizon",
        "cases",
        "mape_pct",
        "calibrated",
        "covered80",
        "covered95",
        "coverage80_pct",
        "coverage95_pct",
    ]
    rows = [
        {k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.to_dict().items()} for r in res.rows
    ]
    summary = [s.to_dict() for s in res.summary]
    if fmt is OutputFormat.json:
        doc = res.to_dict()
        doc["rows"] = rows
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        emit(summary if summary_only else rows, sum_cols if summary_only else row_cols, fmt, lang=st.lang)
        return
    table = [
        {k: (round(v) if isinstance(v, float) and abs(v) >= 1000 else v) for k, v in r.items()} for r in rows
    ]
    name = _name(indicator, st.lang) or indicator
    emit(
        table,
        row_cols[:9],
        fmt,
        lang=st.lang,
        decimals={"projection": 1, "outcome": 1},
        title=st.text(
            "cli_series.backtest_title", indicator=name, unit=_unit(res.unit, st.lang), vintage=res.vintage
        ),
    )
    emit(
        summary,
        sum_cols,
        fmt,
        lang=st.lang,
        title=st.text("cli_series.backtest_summary"),
        terms={"method": "method"},
        decimals={"mape_pct": 1, "coverage80_pct": 1, "coverage95_pct": 1},
    )
    console.print(text("projection.backtest_note", st.lang, pool=", ".join(res.pool)), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(series_app, name="series")
