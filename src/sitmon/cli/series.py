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

series_app = typer.Typer(help="全国公布数据 Published national series", no_args_is_help=True)


@series_app.command("list")
def list_(ctx: typer.Context, fmt: FormatOpt = OutputFormat.table) -> None:
    """列出公布数据的指标 List the indicators of the published series."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    rows = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        rows.append({"indicator": ind, "unit": s.all_of(ind)[0].unit, "years": len(years),
                     "first": years[0], "last": years[-1],
                     "gaps": ", ".join(str(y) for y in range(years[0], years[-1] + 1) if y not in years) or None,
                     "revised": ", ".join(map(str, s.revised(ind))) or None})
    cols = ["indicator", "unit", "years", "first", "last", "gaps"]
    emit(rows, cols if fmt is OutputFormat.table else [*cols, "revised"], fmt,
         title=st.t("全国年度公布数据（真实数据，见 series show 的来源）", "Published national annual figures (real; sources in series show)"))
    if fmt is OutputFormat.table:
        revised = "; ".join(f"{r['indicator']} ({r['revised']})" for r in rows if r["revised"])
        console.print(text("citation.revised_indicators", st.lang, list=revised), highlight=False)
        console.print(text("citation.public_label", st.lang), highlight=False)


@series_app.command("show")
def show(ctx: typer.Context, indicator: str, vintage: VintageOpt = "latest",
         fmt: FormatOpt = OutputFormat.table,
         out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
         encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None) -> None:
    """一个指标的逐年公布值：官方出处在前，转载处为阅读来源；缺年显示为空缺 Values with the official source first."""
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
        emit(rows, ["year", "value", "used", "yoy_published", "yoy_from_levels", "note"], fmt,
             title=indicator, headers=[st.t(*h) for h in (("年份", "year"), ("数值", "value"), ("采用", "used"),
                                                           ("公布增速%（同口径）", "published YoY % (comparable)"),
                                                           ("按总量计算%", "YoY % from levels"), ("出处", "source"))])
        for line, n in notes.items():
            console.print(f"[{n}] {line}", highlight=False, markup=False)
        for line in (view.vintage_note(st.lang), text("citation.growth_note", st.lang), view.label(st.lang)):
            console.print(line, highlight=False, markup=False)
    else:
        emit(rows, ["year", "value", "unit", "vintage", "used", "kind", "yoy_published", "yoy_from_levels", "official",
                    "read_in", "quote", "why"], fmt)


@series_app.command("backtest")
def backtest(
    ctx: typer.Context,
    indicator: IndicatorOpt,
    horizons: Annotated[str, typer.Option("--horizons", help="预测步长（年）1-5 | 1,3,5")] = "1-5",
    vintage: VintageOpt = "latest",
    summary_only: Annotated[bool, typer.Option("--summary", help="CSV：只输出汇总 only the summary")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """滚动起点回测：预测、80%/95%区间、公布结果，与带漂移随机游走对比 Rolling-origin backtest beside the random walk.

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
    row_cols = ["origin", "horizon", "target_year", "projection", "lo80", "hi80", "lo95", "hi95", "outcome",
                "rw_projection", "rw_lo80", "rw_hi80", "rw_lo95", "rw_hi95"]
    sum_cols = ["method", "horizon", "cases", "mape_pct", "calibrated", "covered80", "covered95", "coverage80_pct",
                "coverage95_pct"]
    rows = [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.to_dict().items()} for r in res.rows]
    summary = [s.to_dict() for s in res.summary]
    if fmt is OutputFormat.json:
        doc = res.to_dict()
        doc["rows"] = rows
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        emit(summary if summary_only else rows, sum_cols if summary_only else row_cols, fmt)
        return
    table = [{k: (round(v) if isinstance(v, float) and abs(v) >= 1000 else v) for k, v in r.items()} for r in rows]
    emit(table, row_cols[:9], fmt, title=st.t(f"{indicator} 滚动起点回测（{res.unit}，数据版本 {res.vintage}）",
                                             f"{indicator} rolling-origin backtest ({res.unit}, vintage {res.vintage})"))
    emit(summary, sum_cols, fmt, title=st.t("汇总：sitmon 与带漂移随机游走", "summary: sitmon and the random walk with drift"))
    console.print(text("projection.backtest_note", st.lang, pool=", ".join(res.pool)), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(series_app, name="series")
