"""``sitmon query``: published figures of one indicator by any dimensions, with units."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Annotated

import typer

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

#: how a suppressed cell is shown in a table (never as 0 or blank)
REASON_ZH = {"threshold": "阈值", "dominance": "支配", "zero": "零值", "secondary": "次级"}
LEGEND = ("× = 不公布（信息披露控制）：阈值 = 少于{n}家企业；支配 = 最大{dn}家企业合计超过{k}%；次级 = 为使其他被抑制单元格"
          "不能由合计推算出来而抑制",
          "× = not published (disclosure control): threshold = fewer than {n} enterprises; dominance = the {dn} "
          "largest hold more than {k} %; secondary = suppressed so that other suppressed cells cannot be "
          "derived from the totals")


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query(
        ctx: typer.Context,
        indicator: IndicatorOpt,
        period: PeriodOpt,
        by: Annotated[str, typer.Option("--by", help="region,province,city,sector,size_tier")] = "",
        measure: Annotated[str, typer.Option("--measure", help="level|ytd|month|yoy|yoy_comparable|share|contribution")] = "level",
        release: ReleaseOpt = None,
        unit: Annotated[str | None, typer.Option("--unit", help="10k_cny|100m_cny|1t_cny|10k_usd|100m_usd")] = None,
        public: Annotated[bool, typer.Option("--public", help="应用信息披露控制 apply disclosure control")] = False,
        fmt: FormatOpt = OutputFormat.table,
    ) -> None:
        """查询已发布数据 Published figures (CSV: dimension codes, then period,indicator,measure,value,unit; with
        --public a flag column after value: threshold | dominance | secondary for a suppressed cell, whose value
        is empty)."""
        from ..catalog import load_catalog
        from ..disseminate.tables import QueryError, published_table

        st = state(ctx)
        dims = [d.strip() for d in by.split(",") if d.strip()]
        try:
            with err_console.status(st.t("信息披露控制…", "disclosure control…")) if public else nullcontext():
                res = published_table(st.settings, indicator, dims, period, measure, release=release, unit=unit,
                                      public=public)
        except QueryError as exc:
            raise fail(str(exc), 2) from exc
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
        u = cat.units[res.unit]
        ind = cat.indicators[indicator]
        console.print(f"[bold]{ind.name(st.lang)} {period}[/bold] — {res.definition[0 if st.lang == 'zh' else 1]}"
                      f"（{u.name_zh if st.lang == 'zh' else u.name_en}）", highlight=False)
        names = {"region": ("地区", "region"), "province": ("省份", "province"), "city": ("城市", "city"),
                 "sector": ("行业", "sector"), "size_tier": ("规模", "size tier")}
        for r in rows:
            if r["flag"] is not None:
                r["value"] = st.t(f"× {REASON_ZH[r['flag']]} {r['flag']}", f"× {r['flag']}")
        emit(rows, [*dims, "value"], fmt, headers=[*[st.t(*names[d]) for d in dims], st.t("数值", "value")])
        console.print(st.t(f"数据版本 {res.releases.get(period)}" + ("；合成数据（synthetic）" if res.synthetic else ""),
                           f"release {res.releases.get(period)}" + ("; SYNTHETIC data" if res.synthetic else "")),
                      highlight=False)
        if res.protected:
            from ..catalog.disclosure import load_disclosure

            rules = load_disclosure()
            fill = {"n": rules.threshold.min_enterprises, "dn": rules.dominance.n, "k": f"{rules.dominance.k:g}"}
            console.print(st.t("已应用信息披露控制。", "Disclosure control applied. ")
                          + st.t(*LEGEND).format(**fill), highlight=False)
        else:
            console.print(st.t("机密：未经信息披露控制的汇总数，仅供有权限的人员使用（公开发布请加 --public）",
                               "CONFIDENTIAL: aggregates without disclosure control, for authorised roles "
                               "(use --public for figures that may be published)"), highlight=False)
