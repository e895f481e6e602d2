"""``sitmon query``: published figures of one indicator by any dimensions, with units."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import OutputFormat, console, emit, fail, state


def register(app: typer.Typer) -> None:
    @app.command("query")
    def query(
        ctx: typer.Context,
        indicator: Annotated[str, typer.Option("--indicator", help="指标代码 e.g. revenue_total")],
        period: Annotated[str, typer.Option("--period", help="YYYY-MM / YYYY")],
        by: Annotated[str, typer.Option("--by", help="region,province,city,sector,size_tier")] = "",
        measure: Annotated[str, typer.Option("--measure", help="level|ytd|month|yoy|yoy_comparable|share|contribution")] = "level",
        release: Annotated[int | None, typer.Option("--release", help="该期的版本号（默认最新）")] = None,
        unit: Annotated[str | None, typer.Option("--unit", help="10k_cny|100m_cny|1t_cny|10k_usd|100m_usd")] = None,
        public: Annotated[bool, typer.Option("--public", help="应用信息披露控制 apply disclosure control")] = False,
        fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    ) -> None:
        """查询已发布数据 Published figures (CSV: dimension codes, then period,indicator,measure,value,unit)."""
        from ..catalog import load_catalog
        from ..disseminate.tables import QueryError, published_table

        st = state(ctx)
        dims = [d.strip() for d in by.split(",") if d.strip()]
        try:
            res = published_table(st.settings, indicator, dims, period, measure, release=release, unit=unit,
                                  public=public)
        except QueryError as exc:
            raise fail(str(exc), 2) from exc
        cat = load_catalog()
        rows = [{**r, "period": res.period, "indicator": indicator, "measure": measure, "unit": res.unit}
                for r in res.rows]
        if fmt is not OutputFormat.table:
            emit(rows, [*dims, "period", "indicator", "measure", "value", "unit"], fmt)
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
        emit(rows, [*dims, "value"], fmt, headers=[*[st.t(*names[d]) for d in dims], st.t("数值", "value")])
        console.print(st.t(f"数据版本 {res.releases.get(period)}" + ("；合成数据（synthetic）" if res.synthetic else ""),
                           f"release {res.releases.get(period)}" + ("; SYNTHETIC data" if res.synthetic else "")),
                      highlight=False)
