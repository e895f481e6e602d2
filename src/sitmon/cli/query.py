"""``sitmon query``: published figures of one indicator by any dimensions, for one or more periods and measures,
in the long layout for machines or the wide one for people, on the console or into a file."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .common import (
    FormatOpt,
    IndicatorOpt,
    OutputFormat,
    ReleaseOpt,
    State,
    console,
    emit,
    err_console,
    fail,
    print_document,
    state,
    write_out,
)


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query(
        ctx: typer.Context,
        indicator: IndicatorOpt,
        period: Annotated[list[str], typer.Option("--period")],
        by: Annotated[list[str] | None, typer.Option("--by")] = None,
        measure: Annotated[list[str] | None, typer.Option("--measure")] = None,
        release: ReleaseOpt = None,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        public: Annotated[bool, typer.Option("--public")] = False,
        layout: Annotated[str, typer.Option("--layout")] = "long",
        fmt: FormatOpt = OutputFormat.table,
        out: Annotated[Path | None, typer.Option("--out")] = None,
        encoding: Annotated[str | None, typer.Option("--encoding")] = None,
    ) -> None:
        """Published figures. Long CSV: dimension codes, then period, indicator, measure, value, unit; with --public a
        flag column after value, the reason code of a suppressed cell, whose value is empty. --layout wide: one row
        per dimension value, one column per period and measure."""
        from ..disseminate.layout import LAYOUTS, display_unit, table_document
        from ..disseminate.tables import QueryError, published_table, split_list

        st = state(ctx)
        if layout not in LAYOUTS:
            raise fail(st.text("tables.unknown_layout", layout=layout), 2)
        dims = split_list(by)
        measures = split_list(measure) or ["level"]
        if layout == "wide" and unit is None:
            unit = display_unit(indicator)
        try:
            with err_console.status(st.text("query.controlling")) if public else nullcontext():
                res = published_table(
                    st.settings,
                    indicator,
                    dims,
                    period,
                    measures,
                    release=release,
                    unit=unit,
                    public=public,
                    total=layout == "wide",
                )
        except QueryError as exc:
            raise fail(exc.render(st.lang), 2) from exc
        if not public:  # an unsuppressed table is a read of confidential data: audited
            import getpass

            from ..store import audit

            with st.db.session() as session:
                audit.record(
                    session,
                    f"cli:{getpass.getuser()}",
                    "data.read_confidential",
                    "data",
                    "unsuppressed_table",
                    indicator=indicator,
                    by=dims,
                    period=res.periods,
                    measure=measures,
                    release=release,
                )
        if out is not None:
            write_out(st, table_document(res, layout, st.lang), out, encoding)
            return
        if encoding is not None:
            raise fail(st.text("tables.encoding_out_only"), 2)
        if layout == "wide":
            _print_wide(st, res, fmt)
            return
        _print_long(st, res, fmt)


def _print_wide(st: State, res, fmt: OutputFormat) -> None:  # type: ignore[no-untyped-def]
    import sys

    from ..disseminate.layout import wide_document
    from ..disseminate.writers import json as json_writer

    doc = wide_document(res, st.lang)
    if fmt is OutputFormat.table:
        print_document(doc)
    elif fmt is OutputFormat.csv:
        from ..disseminate.writers import csv as csv_writer

        sys.stdout.write(csv_writer.render(doc))
    else:
        sys.stdout.write(json_writer.dumps(doc) + "\n")


def _print_long(st: State, res, fmt: OutputFormat) -> None:  # type: ignore[no-untyped-def]
    from ..analyse.measures import PERCENT_MEASURES
    from ..catalog import load_catalog

    cat = load_catalog()
    dims, public = res.by, res.protected
    rows = [{**r, "indicator": res.indicator, "unit": res.units[r["measure"]]} for r in res.rows]
    if fmt is not OutputFormat.table:
        if not public:
            err_console.print(st.text("query.confidential"), highlight=False)
        emit(
            rows,
            [*dims, "period", "indicator", "measure", "value", *(["flag"] if public else []), "unit"],
            fmt,
            lang=st.lang,
        )
        return
    for r in rows:
        for d in dims:
            if d in ("region", "province", "city"):
                r[d] = cat.region_name(r[d], st.lang) if r[d] else st.text("query.none")
            elif d == "sector":
                r[d] = cat.sectors[r[d]].name(st.lang)
            elif d == "size_tier":
                r[d] = st.term("size_tier", r[d])
        u = cat.units.get(r["unit"])
        r["unit"] = u.name(st.lang) if u is not None else r["unit"]
        if r["flag"] is not None:  # never shown as 0 or blank
            r["value"] = st.text("query.suppressed", reason=st.term("flag", r["flag"]))
    several = len(res.periods) > 1 or len(res.measures) > 1
    ind = cat.indicators[res.indicator]
    if several:
        heading = ind.name(st.lang)
    else:
        heading = st.text(
            "query.heading",
            indicator=ind.label,
            period=res.period,
            definition=res.definition,
            unit=cat.units[res.unit].label,
        )
    console.print(f"[bold]{escape(heading)}[/bold]", highlight=False, markup=True)
    extra = ["period", "measure", "unit"] if several else []
    percent_only = all(m in PERCENT_MEASURES for m in res.measures)
    emit(
        rows,
        [*dims, *extra, "value"],
        OutputFormat.table,
        lang=st.lang,
        headers={d: st.term("dimension", d) for d in dims},
        terms={"measure": "measure"},
        decimals={"value": 1 if percent_only else 2},
    )
    numbers = sorted({n for p, n in res.releases.items() if p in res.periods})
    console.print(
        st.text(
            "query.release_synthetic" if res.synthetic else "query.release",
            release=st.text("query.release_sep").join(map(str, numbers)),
        ),
        highlight=False,
    )
    if res.protected:
        from ..catalog.disclosure import load_disclosure

        rules = load_disclosure()
        console.print(
            st.text(
                "query.protected",
                n=rules.threshold.min_enterprises,
                dn=rules.dominance.n,
                k=f"{rules.dominance.k:g}",
            ),
            highlight=False,
        )
    else:
        console.print(st.text("query.confidential_hint"), highlight=False)
