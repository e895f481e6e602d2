"""``sitmon query``: published figures of one indicator by any dimensions, for one or more periods and measures,
in the long layout for machines or the wide one for people, on the console or into a file."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

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

#: how a suppressed cell is shown in a table (never as 0 or blank)
REASON_ZH = {"threshold": "阈值", "dominance": "支配", "zero": "零值", "secondary": "次级"}
LEGEND = ("× = 不公布（信息披露控制）：阈值 = 少于{n}家企业；支配 = 最大{dn}家企业合计超过{k}%；次级 = 为使其他被抑制单元格"
          "不能由合计推算出来而抑制",
          "× = not published (disclosure control): threshold = fewer than {n} enterprises; dominance = the {dn} "
          "largest hold more than {k} %; secondary = suppressed so that other suppressed cells cannot be "
          "derived from the totals")
NAMES = {"region": ("地区", "region"), "province": ("省份", "province"), "city": ("城市", "city"),
         "sector": ("行业", "sector"), "size_tier": ("规模", "size tier")}


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query(
        ctx: typer.Context,
        indicator: IndicatorOpt,
        period: Annotated[list[str], typer.Option(
            "--period", help="YYYY-MM / YYYY；逗号列表或范围 2024-01:2024-12，可重复 comma lists, ranges, repeatable")],
        by: Annotated[list[str] | None, typer.Option(
            "--by", help="region,province,city,sector,size_tier（逗号列表，可重复 comma list, repeatable）")] = None,
        measure: Annotated[list[str] | None, typer.Option(
            "--measure", help="level|ytd|month|yoy|yoy_comparable|share|contribution（逗号列表，可重复）")] = None,
        release: ReleaseOpt = None,
        unit: Annotated[str | None, typer.Option("--unit", help="10k_cny|100m_cny|1t_cny|10k_usd|100m_usd|person|10k_persons")] = None,
        public: Annotated[bool, typer.Option("--public", help="应用统计披露控制 apply disclosure control")] = False,
        layout: Annotated[str, typer.Option(
            "--layout", help="long（机器读取，默认）| wide（人工阅读：名称、合计行、单位、注释）")] = "long",
        fmt: FormatOpt = OutputFormat.table,
        out: Annotated[Path | None, typer.Option(
            "--out", help="写入文件，按扩展名 .csv .xlsx .json .parquet write a file, format by extension")] = None,
        encoding: Annotated[str | None, typer.Option("--encoding", help="CSV 文件编码 utf-8（带 BOM，默认）| gbk")] = None,
    ) -> None:
        """查询已发布数据 Published figures. Long CSV: dimension codes, then period,indicator,measure,value,unit; with
        --public a flag column after value: threshold | dominance | secondary for a suppressed cell, whose value
        is empty. --layout wide: one row per dimension value, one column per period and measure."""
        from ..disseminate.layout import LAYOUTS, display_unit, table_document
        from ..disseminate.tables import QueryError, published_table, split_list

        st = state(ctx)
        if layout not in LAYOUTS:
            from ..domain import text

            raise fail(text("tables.unknown_layout", st.lang, layout=layout), 2)
        dims = split_list(by)
        measures = split_list(measure) or ["level"]
        if layout == "wide" and unit is None:
            unit = display_unit(indicator)
        try:
            with err_console.status(st.t("统计披露控制…", "disclosure control…")) if public else nullcontext():
                res = published_table(st.settings, indicator, dims, period, measures, release=release, unit=unit,
                                      public=public, total=layout == "wide")
        except QueryError as exc:
            raise fail(str(exc), 2) from exc
        if not public:  # an unsuppressed table is a read of confidential data: audited
            import getpass

            from ..store import audit

            with st.db.session() as session:
                audit.record(session, f"cli:{getpass.getuser()}", "data.read_confidential", "data", "unsuppressed_table",
                             indicator=indicator, by=dims, period=res.periods, measure=measures, release=release)
        if out is not None:
            write_out(st, table_document(res, layout, st.lang), out, encoding)
            return
        if encoding is not None:
            from ..domain import text

            raise fail(text("tables.encoding_out_only", st.lang), 2)
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
    from ..catalog import load_catalog

    cat = load_catalog()
    dims, public = res.by, res.protected
    rows = [{**r, "indicator": res.indicator, "unit": res.units[r["measure"]]} for r in res.rows]
    if fmt is not OutputFormat.table:
        if not public:
            err_console.print(st.t("机密：未经信息披露控制的汇总数，仅供有权限的人员使用",
                                   "CONFIDENTIAL: aggregates without disclosure control, for authorised roles"))
        emit(rows, [*dims, "period", "indicator", "measure", "value", *(["flag"] if public else []), "unit"], fmt)
        return
    for r in rows:
        for d in dims:
            if d in ("region", "province", "city"):
                r[d] = cat.region_name(r[d], st.lang) if r[d] else st.t("（无）", "(none)")
            elif d == "sector":
                s = cat.sectors[r[d]]
                r[d] = s.name_zh if st.lang == "zh" else s.name_en
    several = len(res.periods) > 1 or len(res.measures) > 1
    u = cat.units[res.unit]
    ind = cat.indicators[res.indicator]
    if several:
        console.print(f"[bold]{ind.name(st.lang)}[/bold]", highlight=False)
    else:
        console.print(f"[bold]{ind.name(st.lang)} {res.period}[/bold] — {res.definition[0 if st.lang == 'zh' else 1]}"
                      f"（{u.name_zh if st.lang == 'zh' else u.name_en}）", highlight=False)
    for r in rows:
        if r["flag"] is not None:
            r["value"] = st.t(f"× {REASON_ZH[r['flag']]} {r['flag']}", f"× {r['flag']}")
    extra = ["period", "measure", "unit"] if several else []
    emit(rows, [*dims, *extra, "value"], OutputFormat.table,
         headers=[*[st.t(*NAMES[d]) for d in dims], *[st.t(*h) for h in (("统计期", "period"), ("度量", "measure"),
                                                                          ("单位", "unit"))][:len(extra)],
                  st.t("数值", "value")])
    numbers = sorted({n for p, n in res.releases.items() if p in res.periods})
    console.print(st.t(f"数据版本 {'、'.join(map(str, numbers))}" + ("；合成数据（synthetic）" if res.synthetic else ""),
                       f"release {', '.join(map(str, numbers))}" + ("; SYNTHETIC data" if res.synthetic else "")),
                  highlight=False)
    if res.protected:
        from ..catalog.disclosure import load_disclosure

        rules = load_disclosure()
        fill = {"n": rules.threshold.min_enterprises, "dn": rules.dominance.n, "k": f"{rules.dominance.k:g}"}
        console.print(st.t("已应用信息披露控制。", "Disclosure control applied. ") + st.t(*LEGEND).format(**fill),
                      highlight=False)
    else:
        console.print(st.t("机密：未经信息披露控制的汇总数，仅供有权限的人员使用（公开发布请加 --public）",
                           "CONFIDENTIAL: aggregates without disclosure control, for authorised roles "
                           "(use --public for figures that may be published)"), highlight=False)
