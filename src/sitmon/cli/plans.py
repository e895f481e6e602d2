"""``sitmon plans list|status|backtest``: five-year-plan targets against the published figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain import Label, text
from .common import FormatOpt, OutputFormat, VintageOpt, console, emit, fail, state, write_out

plans_app = typer.Typer(no_args_is_help=True)


def _r(v: float | None, nd: int = 1) -> float | None:
    return None if v is None else round(v, nd)


@plans_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """List the plans."""
    from ..catalog.plans import load_plans

    st = state(ctx)
    rows = [
        {
            "plan": p.code,
            "name": p.name(st.lang),
            "base_year": p.base_year,
            "target_year": p.target_year,
            "targets": len(p.targets),
            "role": "context" if p.context_only else "tracked",
        }
        for p in load_plans().values()
    ]
    emit(
        rows,
        ["plan", "name", "base_year", "target_year", "targets", "role"],
        fmt,
        lang=st.lang,
        title=st.text("cli_plans.plans_title"),
        terms={"role": "plan_role"},
        headers={"role": st.text("cli_plans.role")},
    )


@plans_app.command("status")
def status(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of")] = None,
    vintage: VintageOpt = "latest",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Attainment, required growth, status and projection per target."""
    from ..disseminate.plans import plan_status
    from ..disseminate.series import SeriesError, parse_vintage

    st = state(ctx)
    try:
        results = plan_status(st.settings, plan, as_of, parse_vintage(vintage))
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except KeyError as exc:
        raise fail(st.text("cli_plans.unknown_plan", plan=plan), 2) from exc
    if out is not None:
        from ..disseminate.listings import plans_document

        write_out(st, plans_document(results, st.lang, plan), out, encoding)
        return
    if fmt is not OutputFormat.table:
        from ..disseminate.listings import plan_rows

        rows = plan_rows(results) if fmt is OutputFormat.csv else [r.to_dict() for r in results]
        cols = list(
            dict.fromkeys(k for r in rows for k in r)
        )  # every row's columns (projection_*, outlook_*)
        emit(rows, cols, fmt, lang=st.lang)
        return
    rows = [
        {
            "target": r.target_id,
            "what": st.say(Label(r.wording_zh, r.wording_en)),
            "target_value": r.target_value,
            "base": _r(r.base_value),
            "latest": None
            if r.latest_value is None
            else st.text("cli_plans.latest", value=f"{r.latest_value:,.1f}", year=r.latest_year),
            "attain": _r(r.attainment_pct),
            "realised": _r(r.realised_cagr_pct),
            "required": _r(r.required_cagr_pct),
            "status": r.status,
            "projection": _projection_cell(r),
            "why": st.say(r.reason) if r.reason else None,
        }
        for r in results
    ]
    emit(
        rows,
        list(rows[0]),
        fmt,
        lang=st.lang,
        title=st.text("cli_plans.status_title_as_of", year=as_of)
        if as_of
        else st.text("cli_plans.status_title"),
        terms={"status": "plan_status"},
        decimals={"attain": 1, "realised": 1, "required": 1},
        headers={
            k: st.text(f"cli_plans.col_{k}")
            for k in (
                "target",
                "what",
                "target_value",
                "base",
                "latest",
                "attain",
                "realised",
                "required",
                "projection",
                "why",
            )
        },
    )
    console.print(st.text("cli_plans.legend"), highlight=False)
    console.print(
        text("projection.plans_legend", st.lang, vintage=text(f"citation.vintage_{vintage}", st.lang)),
        highlight=False,
    )
    sources = sorted(
        {
            (
                r.target_id,
                st.say(r.latest_release)
                if r.latest_release
                else st.say(Label(r.latest_citation_zh or "", r.latest_citation_en or "")) or r.latest_source,
            )
            for r in results
            if r.latest_source
        }
    )
    for tid, src in sources:
        console.print(f"  {tid}: {src}", highlight=False, markup=False)


def _projection_cell(r: Any) -> str | None:
    """``150,398 [142,300–161,636] P≈95%``: the projection, its 80 % interval and the chance to reach the target."""
    p = r.projection
    if p is None:
        return None
    band = "" if p.lo80 is None else f" [{p.lo80:,.0f}–{p.hi80:,.0f}]"
    chance = (
        "" if r.outlook is None or r.outlook.probability is None else f" P≈{100 * r.outlook.probability:.0f}%"
    )
    return f"{p.value:,.0f}{band}{chance}"


@plans_app.command("backtest")
def backtest_cmd(
    ctx: typer.Context,
    plan: Annotated[str, typer.Option("--plan")],
    vintage: VintageOpt = "latest",
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Backtest the statuses and projections."""
    from ..disseminate.plans import backtest
    from ..disseminate.series import SeriesError, parse_vintage

    st = state(ctx)
    try:
        rows = backtest(st.settings, plan, parse_vintage(vintage))
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except KeyError as exc:
        raise fail(st.text("cli_plans.unknown_plan", plan=plan), 2) from exc
    out = [
        {
            "as_of": r.as_of,
            "target": r.target_id,
            "status": r.status,
            "projection": None if not r.projection else round(r.projection["value"]),
            "pi80": None
            if not r.projection or r.projection["lo80"] is None
            else f"{r.projection['lo80']:,.0f}–{r.projection['hi80']:,.0f}",
            "pi95": None
            if not r.projection or r.projection["lo95"] is None
            else f"{r.projection['lo95']:,.0f}–{r.projection['hi95']:,.0f}",
            "outcome": r.outcome_value,
            "final": r.final_status,
            "in80": r.inside80,
            "in95": r.inside95,
            "called": r.called,
        }
        for r in rows
    ]
    emit(
        out,
        [
            "as_of",
            "target",
            "status",
            "projection",
            "pi80",
            "pi95",
            "outcome",
            "final",
            "in80",
            "in95",
            "called",
        ],
        fmt,
        lang=st.lang,
        title=st.text("cli_plans.backtest_title", plan=plan),
        terms={"status": "plan_status", "final": "plan_status"},
    )


def register(app: typer.Typer) -> None:
    app.add_typer(plans_app, name="plans")
