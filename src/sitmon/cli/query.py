"""``sitmon query``: published figures of one indicator by any dimensions, with units."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Annotated

import typer
from rich.markup import escape

from .common import (
    FormatOpt,
    IndicatorOpt,
    OutputFormat,
    PeriodOpt,
    ReleaseOpt,
    console,
    emit,
    err_console,
    fail,
    state,
)


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query(
        ctx: typer.Context,
        indicator: IndicatorOpt,
        period: PeriodOpt,
        by: Annotated[str, typer.Option("--by")] = "",
        measure: Annotated[str, typer.Option("--measure")] = "level",
        release: ReleaseOpt = None,
        unit: Annotated[str | None, typer.Option("--unit")] = None,
        public: Annotated[bool, typer.Option("--public")] = False,
        fmt: FormatOpt = OutputFormat.table,
    ) -> None:
        """Published figures (CSV: dimension codes, then period, indicator, measure, value, unit; with --public a
        flag column after value, the reason code of a suppressed cell, whose value is empty)."""
        from ..analyse.measures import PERCENT_MEASURES
        from ..catalog import load_catalog
        from ..disseminate.tables import QueryError, published_table

        st = state(ctx)
        dims = [d.strip() for d in by.split(",") if d.strip()]
        try:
            with err_console.status(st.text("query.controlling")) if public else nullcontext():
                res = published_table(st.settings, indicator, dims, period, measure, release=release, unit=unit,
                                      public=public)
        except QueryError as exc:
            raise fail(exc.render(st.lang), 2) from exc
        if not public:  # an unsuppressed table is a read of confidential data: audited
            import getpass

            from ..store import audit

            with st.db.session() as session:
                audit.record(session, f"cli:{getpass.getuser()}", "data.read_confidential", "data", "unsuppressed_table",
                             indicator=indicator, by=dims, period=period, measure=measure, release=release)
        cat = load_catalog()
        rows = [{**r, "period": res.period, "indicator": indicator, "measure": measure, "unit": res.unit}
                for r in res.rows]
        if fmt is not OutputFormat.table:
            if not public:
                err_console.print(st.text("query.confidential"), highlight=False)
            emit(rows, [*dims, "period", "indicator", "measure", "value", *(["flag"] if public else []), "unit"], fmt,
                 lang=st.lang)
            return
        for r in rows:
            for d in dims:
                if d in ("region", "province", "city"):
                    r[d] = cat.region_name(r[d], st.lang) if r[d] else st.text("query.none")
                elif d == "sector":
                    r[d] = cat.sectors[r[d]].name(st.lang)
                elif d == "size_tier":
                    r[d] = st.term("size_tier", r[d])
            if r["flag"] is not None:  # never shown as 0 or blank
                r["value"] = st.text("query.suppressed", reason=st.term("flag", r["flag"]))
        heading = st.text("query.heading", indicator=cat.indicators[indicator].label, period=period,
                          definition=res.definition or "", unit=cat.units[res.unit].label)
        console.print(f"[bold]{escape(heading)}[/bold]", highlight=False, markup=True)
        emit(rows, [*dims, "value"], fmt, lang=st.lang, headers={d: st.term("dimension", d) for d in dims},
             decimals={"value": 1 if measure in PERCENT_MEASURES else 2})
        console.print(st.text("query.release_synthetic" if res.synthetic else "query.release",
                              release=res.releases.get(period)), highlight=False)
        if res.protected:
            from ..catalog.disclosure import load_disclosure

            rules = load_disclosure()
            console.print(st.text("query.protected", n=rules.threshold.min_enterprises, dn=rules.dominance.n,
                                  k=f"{rules.dominance.k:g}"), highlight=False)
        else:
            console.print(st.text("query.confidential_hint"), highlight=False)
