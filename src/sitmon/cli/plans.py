"""``sitmon plans list|status|backtest``: five-year-plan targets against the published figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..domain import text
from .common import FormatOpt, OutputFormat, VintageOpt, console, emit, fail, state, write_out

plans_app = typer.Typer(help="规划目标 Five-year-plan targets", no_args_is_help=True)
STATUS_ZH = {"achieved": "已实现", "on_track": "进度正常", "at_risk": "存在风险", "off_track": "进度滞后",
             "not_achieved": "未实现", "not_measurable": "无法衡量"}
LEGEND = ("进度 = 实际年均增长 / 所需年均增长（Open SDG、加拿大统计局口径）：≥0.95 进度正常，0.6–0.95 存在风险，<0.6 进度滞后；"
          "目标年有公布数时按该年数据判定已实现/未实现。",
          "progress = realised / required average growth (as Open SDG and Statistics Canada publish it): ≥ 0.95 on "
          "track, 0.6–0.95 at risk, < 0.6 off track; once the target year has a published figure, it decides.")


def _r(v: float | None, nd: int = 1) -> float | None:
    return None if v is None else round(v, nd)


@plans_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """列出规划 List the plans."""
    from ..catalog.plans import load_plans

    st = state(ctx)
    rows = [{"plan": p.code, "name": st.t(p.name_zh, p.name_en), "base_year": p.base_year,
             "target_year": p.target_year, "targets": len(p.targets),
             "role": st.t("背景", "context") if p.context_only else st.t("跟踪", "tracked")}
            for p in load_plans().values()]
    emit(rows, ["plan", "name", "base_year", "target_year", "targets", "role"], fmt, title=st.t("规划", "Plans"))


@plans_app.command("status")
def status(
    ctx: typer.Context,
    plan: Annotated[str | None, typer.Option("--plan", help="12th_fyp | 13th_fyp | 14th_fyp | 11th_fyp")] = None,
    as_of: Annotated[int | None, typer.Option("--as-of", help="只用截至该年的公布数据（回测）")] = None,
    vintage: VintageOpt = "latest",
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None,
) -> None:
    """各目标的完成度、所需增速、状态和预测 Attainment, required growth, status and projection per target."""
    from ..disseminate.plans import plan_status
    from ..disseminate.series import SeriesError, parse_vintage

    st = state(ctx)
    try:
        results = plan_status(st.settings, plan, as_of, parse_vintage(vintage))
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except KeyError as exc:
        raise fail(st.t(f"未知规划 {plan}", f"unknown plan {plan}"), 2) from exc
    if out is not None:
        from ..disseminate.listings import plans_document

        write_out(st, plans_document(results, st.lang, plan), out, encoding)
        return
    if fmt is not OutputFormat.table:
        from ..disseminate.listings import plan_rows

        rows = plan_rows(results) if fmt is OutputFormat.csv else [r.to_dict() for r in results]
        cols = list(dict.fromkeys(k for r in rows for k in r))  # every row's columns (projection_*, outlook_*)
        emit(rows, cols, fmt)
        return
    rows = [{"target": r.target_id, "what": st.t(r.wording_zh, r.wording_en),
             "target_value": r.target_value, "base": _r(r.base_value),
             "latest": None if r.latest_value is None else f"{r.latest_value:,.1f} ({r.latest_year})",
             "attain": _r(r.attainment_pct), "realised": _r(r.realised_cagr_pct), "required": _r(r.required_cagr_pct),
             "status": f"{STATUS_ZH[r.status]} {r.status}" if st.lang == "zh" else r.status,
             "projection": _projection_cell(r),
             "why": st.t(r.reason_zh, r.reason_en)} for r in results]
    emit(rows, list(rows[0]), fmt, title=st.t("规划目标进度" + (f"（截至 {as_of} 年）" if as_of else ""),
                                                "Plan targets" + (f" (as of {as_of})" if as_of else "")),
         headers=[st.t(*h) for h in (("目标", "target"), ("内容", "what"), ("目标值", "target"), ("基期值", "base"),
                                      ("最新值", "latest"), ("完成度%", "attain %"), ("实际年均%", "realised %/yr"),
                                      ("所需年均%", "required %/yr"), ("状态", "status"), ("目标年预测[80%]", "projection [80 %]"),
                                      ("说明", "why"))])
    console.print(st.t(*LEGEND), highlight=False)
    console.print(text("projection.plans_legend", st.lang, vintage=text(f"citation.vintage_{vintage}", st.lang)),
                  highlight=False)
    sources = sorted({(r.target_id, r.latest_citation_zh if st.lang == "zh" else r.latest_citation_en)
                      for r in results if r.latest_source})
    for tid, src in sources:
        console.print(f"  {tid}: {src}", highlight=False, markup=False)


def _projection_cell(r: Any) -> str | None:
    """``150,398 [142,300–161,636] P≈95%``: the projection, its 80 % interval and the chance to reach the target."""
    p = r.projection
    if p is None:
        return None
    band = "" if p.lo80 is None else f" [{p.lo80:,.0f}–{p.hi80:,.0f}]"
    chance = "" if r.outlook is None or r.outlook.probability is None else f" P≈{100 * r.outlook.probability:.0f}%"
    return f"{p.value:,.0f}{band}{chance}"


@plans_app.command("backtest")
def backtest_cmd(
    ctx: typer.Context,
    plan: Annotated[str, typer.Option("--plan")],
    vintage: VintageOpt = "latest",
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """回测：规划期内各年看目标的状态与预测，对照最终结果 Backtest the statuses and projections."""
    from ..disseminate.plans import backtest
    from ..disseminate.series import SeriesError, parse_vintage

    st = state(ctx)
    try:
        rows = backtest(st.settings, plan, parse_vintage(vintage))
    except SeriesError as exc:
        raise fail(exc.message.render(st.lang), 2) from exc
    except KeyError as exc:
        raise fail(st.t(f"未知规划 {plan}", f"unknown plan {plan}"), 2) from exc
    out = [{"as_of": r.as_of, "target": r.target_id, "status": r.status,
            "projection": None if not r.projection else round(r.projection["value"]),
            "pi80": None if not r.projection or r.projection["lo80"] is None
            else f"{r.projection['lo80']:,.0f}–{r.projection['hi80']:,.0f}",
            "pi95": None if not r.projection or r.projection["lo95"] is None
            else f"{r.projection['lo95']:,.0f}–{r.projection['hi95']:,.0f}",
            "outcome": r.outcome_value, "final": r.final_status, "in80": r.inside80, "in95": r.inside95,
            "called": r.called} for r in rows]
    emit(out, ["as_of", "target", "status", "projection", "pi80", "pi95", "outcome", "final", "in80", "in95", "called"],
         fmt, title=st.t(f"{plan} 回测", f"{plan} backtest"))


def register(app: typer.Typer) -> None:
    app.add_typer(plans_app, name="plans")
