"""``sitmon generate``: a calibrated synthetic population written as intake files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from .common import console, state


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("--out", help="输出目录 output folder")],
        enterprises: Annotated[int, typer.Option("--enterprises", min=10, help="每年在营企业数 enterprises a year")] = 40000,
        start: Annotated[int, typer.Option("--start", help="起始年 first year")] = 2023,
        end: Annotated[int, typer.Option("--end", help="终止年 last year")] = 2024,
        seed: Annotated[int, typer.Option("--seed", help="随机种子 random seed")] = 0,
        error_rate: Annotated[float, typer.Option("--error-rate", min=0, max=1, help="错误行比例 share of erroneous rows")] = 0.0,
        missing_rate: Annotated[float, typer.Option("--missing-rate", min=0, max=1, help="未报比例 share of missing filings")] = 0.02,
        annual: Annotated[bool, typer.Option("--annual/--no-annual", help="同时生成年报 also annual reports")] = True,
    ) -> None:
        """生成按真实全国数据校准的合成企业总体（合成数据） Generate a calibrated SYNTHETIC population."""
        from ..collect.synthetic import simulate, write

        st = state(ctx)
        years = end - start + 1
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(st.t("模拟企业总体", "simulating the population"), total=None)
            pop = simulate(enterprises, start, end, seed=seed, missing_rate=missing_rate)
            bar.update(task, total=years * (12 + (1 if annual else 0)), completed=0,
                       description=st.t("写入报表文件", "writing report files"))
            manifest = write(pop, out, annual=annual, error_rate=error_rate,
                             progress=lambda n: bar.advance(task, n))
        from .common import OutputFormat, emit

        rows = [{"year": r["year"], "target": r["target_100m_cny"], "generated": round(r["generated_100m_cny"], 1),
                 "diff_pct": round(100 * (r["generated_100m_cny"] / r["target_100m_cny"] - 1), 3),
                 "published": "是 yes" if r["target_published"] else "否 no (derived)", "source": r["source"]}
                for r in manifest["calibration"]]
        emit(rows, ["year", "target", "generated", "diff_pct", "published", "source"], OutputFormat.table,
             title=st.t("合成数据校准：软件业务收入（亿元）", "SYNTHETIC data calibration: software business revenue (100m CNY)"),
             headers=[st.t("年份", "year"), st.t("公布数", "published"), st.t("生成数", "generated"),
                      st.t("差异%", "diff %"), st.t("公布值", "published?"), st.t("来源", "source")])
        console.print(st.t(
            f"已生成 {manifest['enterprises']:,} 家合成企业、{manifest['monthly_rows']:,} 行月报、{manifest['annual_rows']:,} 行年报 → {out}",
            f"generated {manifest['enterprises']:,} synthetic enterprises, {manifest['monthly_rows']:,} monthly rows, "
            f"{manifest['annual_rows']:,} annual rows → {out}"))
        if manifest["injected_errors"]:
            console.print(st.t(f"注入错误行 {len(manifest['injected_errors'])} 行（见 manifest.json）",
                               f"{len(manifest['injected_errors'])} erroneous rows injected (see manifest.json)"))
