"""``sitmon series list|show``: the published national figures with their sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .common import OutputFormat, console, emit, fail, state, write_out

series_app = typer.Typer(help="全国公布数据 Published national series", no_args_is_help=True)


@series_app.command("list")
def list_(ctx: typer.Context, fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table) -> None:
    """列出公布数据的指标 List the indicators of the published series."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    rows = []
    for ind in s.indicators():
        years = sorted(s.of(ind))
        rows.append({"indicator": ind, "unit": s.all_of(ind)[0].unit, "years": len(years),
                     "first": years[0], "last": years[-1],
                     "gaps": ", ".join(str(y) for y in range(years[0], years[-1] + 1) if y not in years) or None})
    emit(rows, ["indicator", "unit", "years", "first", "last", "gaps"], fmt,
         title=st.t("全国年度公布数据（真实数据，见 series show 的来源）", "Published national annual figures (real; sources in series show)"))


@series_app.command("show")
def show(ctx: typer.Context, indicator: str,
         fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
         out: Annotated[Path | None, typer.Option("--out", help="写入文件 .csv .xlsx .json .parquet")] = None,
         encoding: Annotated[str | None, typer.Option("--encoding", help="CSV: utf-8 | gbk")] = None) -> None:
    """一个指标的逐年公布值、来源和原文；缺年显示为空缺 Values, sources and wording; gaps shown as gaps."""
    from ..catalog.series import load_series

    st = state(ctx)
    s = load_series()
    obs = s.all_of(indicator)
    if not obs:
        raise fail(st.t(f"没有指标 {indicator}（sitmon series list）", f"no indicator {indicator} (see sitmon series list)"), 2)
    used = s.of(indicator)
    growth = s.of(f"{indicator}_yoy")
    rows: list[dict[str, object]] = []
    for y in range(obs[0].year, obs[-1].year + 1):
        here = [o for o in obs if o.year == y]
        if not here:
            rows.append({"year": y, "value": None, "used": st.t("（空缺）", "(gap)")})
            continue
        for o in here:
            prev = used.get(y - 1)
            ratio = (o.value / prev.value - 1) * 100 if prev and o.used and indicator.startswith("revenue") else None
            rows.append({"year": y, "value": o.value, "unit": o.unit,
                         "used": st.t("采用", "used") if o.used else st.t("未采用", "not used"),
                         "yoy_published": growth[y].value if y in growth and o.used else None,
                         "yoy_from_levels": None if ratio is None else round(ratio, 1),
                         "why": st.t(o.why_zh, o.why_en) or None, "source": o.source, "quote": o.quote})
    if out is not None:
        from ..disseminate.listings import series_document

        write_out(st, series_document(indicator, st.lang), out, encoding)
    elif fmt is OutputFormat.table:
        emit(rows, ["year", "value", "used", "yoy_published", "yoy_from_levels", "why", "source"], fmt,
             title=indicator, headers=[st.t(*h) for h in (("年份", "year"), ("数值", "value"), ("采用", "used"),
                                                           ("公布增速%（同口径）", "published YoY % (comparable)"),
                                                           ("按总量计算%", "YoY % from levels"), ("说明", "why"),
                                                           ("来源", "source"))])
        console.print(st.t("公布增速按同口径（两年均在统计范围内的企业）计算，故与两年公布总量之比不同。",
                           "Published growth is comparable-basis (same enterprises in both years), so it differs "
                           "from the ratio of the two published levels."), highlight=False)
    else:
        emit(rows, ["year", "value", "unit", "used", "yoy_published", "yoy_from_levels", "why", "source", "quote"], fmt)


def register(app: typer.Typer) -> None:
    app.add_typer(series_app, name="series")
