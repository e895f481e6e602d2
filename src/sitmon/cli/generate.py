"""``sitmon generate``: a calibrated synthetic population written as intake files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from .common import console, state


def calibration_rows(calibration: list[dict], lang: str, published_only: bool = False) -> list[dict]:
    """The manifest's calibration records as table rows: what (measure, dimension, cell), target, generated,
    difference (level: % of the target; growth: percentage points), published or derived."""
    from ..catalog import load_catalog
    from ..domain.messages import text

    cat = load_catalog()

    def name(dimension: str, cell: str) -> str:
        if dimension in ("region", "province"):
            return cat.region_name(cell, lang)
        if dimension == "sector":
            return cat.sectors[cell].name_zh if lang == "zh" else cat.sectors[cell].name_en
        if dimension == "item" and cell in cat.indicators:
            return cat.indicators[cell].name(lang)
        if dimension == "top5":
            return "、".join(cat.region_name(c, lang) for c in cell.split(",")) if lang == "zh" else \
                ", ".join(cat.region_name(c, lang) for c in cell.split(","))
        return text(f"calibration.cell_{cell}", lang)

    out = []
    for r in calibration:
        if published_only and not r["published"]:
            continue
        what = text(f"calibration.{r['measure']}", lang, dimension=text(f"calibration.dim_{r['dimension']}", lang),
                    cell=name(r["dimension"], r["cell"]))
        out.append({"year": r["year"], "what": what, "target": round(r["target"], 2),
                    "generated": round(r["generated"], 2), "diff": round(r["diff"], 2),
                    "published": text("calibration.published" if r["published"] else "calibration.derived", lang)})
    return out


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

        rows = calibration_rows(manifest["calibration"], st.lang)
        emit(rows, ["year", "what", "target", "generated", "diff", "published"], OutputFormat.table,
             title=st.t("合成数据校准（亿元；增速为同口径%）", "SYNTHETIC data calibration (100m CNY; growth comparable-basis %)"),
             headers=[st.t("年份", "year"), st.t("项目", "what"), st.t("目标", "target"), st.t("生成数", "generated"),
                      st.t("差异（%或百分点）", "diff (% or points)"), st.t("公布值", "published?")])
        console.print(st.t(
            f"已生成 {manifest['enterprises']:,} 家合成企业、{manifest['monthly_rows']:,} 行月报、{manifest['annual_rows']:,} 行年报 → {out}",
            f"generated {manifest['enterprises']:,} synthetic enterprises, {manifest['monthly_rows']:,} monthly rows, "
            f"{manifest['annual_rows']:,} annual rows → {out}"))
        if manifest["injected_errors"]:
            console.print(st.t(f"注入错误行 {len(manifest['injected_errors'])} 行（见 manifest.json）",
                               f"{len(manifest['injected_errors'])} erroneous rows injected (see manifest.json)"))
