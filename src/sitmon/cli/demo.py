"""``sitmon demo``: the main job on embedded defaults — a calibrated synthetic population is generated,
imported through the real intake, and summarised."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..domain import Period, form_of, jsontext, text
from .common import OutputFormat, console, emit, state


def list_releases_now(st):  # type: ignore[no-untyped-def]
    from ..store.releases import list_releases

    with st.db.session() as s:
        return list_releases(s)


def _period_of(filename: str) -> str:
    """``synthetic-monthly-2024-01.csv`` → ``2024-01``."""
    return filename.removesuffix(".csv").split("-", 2)[2]


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        ctx: typer.Context,
        enterprises: Annotated[int, typer.Option("--enterprises", min=10, help="每年在营企业数（全国规模约 40000）")] = 10000,
        start: Annotated[int, typer.Option("--start")] = 2023,
        end: Annotated[int, typer.Option("--end")] = 2024,
        seed: Annotated[int, typer.Option("--seed")] = 7,
        serve: Annotated[bool, typer.Option("--serve/--no-serve", envvar="SITMON_DEMO_SERVE",
                                            help="最后在 127.0.0.1 上提供网页和接口 end by serving the pages and the API")] = False,
        host: Annotated[str, typer.Option("--host", help="--serve 的监听地址 address to serve on")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=1, max=65535, help="--serve 的端口 port")] = 8000,
    ) -> None:
        """演示：生成合成企业总体 → 导入名录和报表 → 汇总 Demo: generate, import and summarise SYNTHETIC data."""
        from ..catalog import load_catalog
        from ..collect.intake import import_file, summarise
        from ..collect.registry import import_enterprises
        from ..collect.synthetic import simulate, write
        from ..disseminate.tables import published_table
        from ..process.monitoring import filing_summary
        from ..process.publish import publish
        from ..process.review import accept_period, accept_reports

        st = state(ctx)
        cat = load_catalog()
        home = st.settings.home
        out = home / "demo-input"
        params = {"enterprises": enterprises, "start": start, "end": end, "seed": seed}
        console.print(Panel(st.t(
            f"sitmon 演示 — 数据目录 {home.resolve()}\n全部演示数据均为合成数据（synthetic），按真实公布的全国数据校准。",
            f"sitmon demo — data directory {home.resolve()}\nAll demo data is SYNTHETIC, calibrated to the real "
            "published national figures."), style="cyan"))
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        manifest_path = out / "manifest.json"
        previous = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
        with Progress(*columns, console=console) as bar:
            if previous.get("params") != params:
                years = end - start + 1
                task = bar.add_task(st.t("1/4 生成合成企业总体", "1/4 generating the population"), total=years * 13)
                manifest = write(simulate(enterprises, start, end, seed=seed), out,
                                 progress=lambda n: bar.advance(task, n))
                manifest["params"] = params
                manifest_path.write_text(jsontext.dumps(manifest, indent=2), encoding="utf-8")
            else:
                manifest = previous
                bar.add_task(st.t("1/4 合成数据已存在，沿用", "1/4 synthetic files exist, reused"), total=1, completed=1)
            files = [out / "reports" / f for f in manifest["files"]]
            periods = sorted({_period_of(f.name) for f in files}, key=lambda p: (len(p), p))
            published = {f"{r.form}/{r.period}" for r in list_releases_now(st)}
            done = previous.get("params") == params and previous.get("completed") and all(
                f"{form_of(p)}/{p}" in published for p in periods)
            results = []
            if done:  # a second run: everything was imported and published already
                reg = None
                bar.add_task(st.t("2/4 报表已导入，沿用", "2/4 reports imported already, reused"), total=1, completed=1)
                bar.add_task(st.t("3/4 已发布，沿用", "3/4 published already, reused"), total=1, completed=1)
            else:
                reg = import_enterprises(st.db, out / "enterprises.csv")
                task = bar.add_task(st.t("2/4 导入报表（校验、存档）", "2/4 importing reports (validate, archive)"),
                                    total=len(files))
                for f in files:
                    results.append(import_file(st.db, f))
                    bar.advance(task)
                task = bar.add_task(st.t("3/4 审核并发布", "3/4 accepting and publishing"), total=len(periods))
                for p in periods:  # the warnings the generator's enterprises did not explain: accepted one by one
                    skipped = accept_period(st.db, p).skipped
                    accept_reports(st.db, [r.id for r in skipped], text("review.demo_reason", "zh") + " / "
                                   + text("review.demo_reason", "en"))
                    form = form_of(p)
                    if f"{form}/{p}" not in published or any(r.status == "stored" for r in results):
                        publish(st.db, p)
                    bar.advance(task)
                if not any(r.status == "rejected" for r in results):
                    manifest["completed"] = True
                    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        tot = summarise(results)
        if reg is not None:
            console.print(st.t(
                f"企业名录：新增 {reg.added:,}，更新 {reg.updated:,}；报表文件 {tot['files']}（存储 {tot['stored']}，"
                f"未变 {tot['unchanged']}，拒绝 {tot['rejected']}），新报表 {tot['new_reports']:,}，提示 {tot['warnings']:,}",
                f"registry: added {reg.added:,}, updated {reg.updated:,}; report files {tot['files']} (stored "
                f"{tot['stored']}, unchanged {tot['unchanged']}, rejected {tot['rejected']}), new reports "
                f"{tot['new_reports']:,}, warnings {tot['warnings']:,}"))
        with st.db.session() as s:
            rows = [r.__dict__ for r in filing_summary(s, "monthly", [str(p) for p in Period(end).months_to_date()])]
            rows += [r.__dict__ for r in filing_summary(s, "annual", [str(end)])]
        emit(rows, ["period", "expected", "filed", "response_rate_pct", "revenue_total_100m_cny", "warnings"],
             OutputFormat.table,
             title=st.t(f"{end} 年报送情况（合成数据）", f"filing in {end} (SYNTHETIC data)"),
             headers=[st.t("报告期", "period"), st.t("应报", "expected"), st.t("已报", "filed"),
                      st.t("报送率%", "response %"), st.t("软件业务收入（亿元，累计，已报合计）", "revenue YTD, 100m CNY, filed"),
                      st.t("提示", "warnings")],
             caption=st.t("收入为已报企业的简单合计（未推算缺报），发布数据见 sitmon publish / sitmon query",
                          "revenue is the plain sum over filers (no imputation)"))
        dec = str(Period(end, 12))
        cat_rows = []
        # the nation, the macro regions (official order) and the four sector revenue items (bulletin order), as the
        # ministry publishes them: a sector's figure is the item summed over all enterprises
        regions = ("east", "central", "west", "northeast")
        cells = [("revenue_total", (), None), ("revenue_total", ("region",), None),
                 *[(f"revenue_{s}", (), s) for s in ("software_products", "it_services", "info_security", "embedded")]]
        for indicator, dims, sector in cells:
            def table(measure: str, indicator: str = indicator, dims: tuple[str, ...] = dims) -> dict:
                rows = published_table(st.settings, indicator, dims, dec, measure,
                                       unit="100m_cny" if measure == "level" else None).rows
                return {tuple(r[d] for d in dims): r["value"] for r in rows}
            lv = table("level")
            gy, gc = (table("yoy"), table("yoy_comparable")) if start < end else ({}, {})
            keys: list[tuple[str, ...]] = [(m,) for m in regions if (m,) in lv] if dims else [()]
            for key in keys:
                if sector is not None:
                    name = st.t(cat.sectors[sector].name_zh, cat.sectors[sector].name_en)
                else:
                    name = cat.region_name(key[0], st.lang) if dims else st.t("全国", "national")
                cat_rows.append({"cell": name, "value": round(lv[key], 1),
                                 "yoy": None if gy.get(key) is None else round(gy[key], 1),
                                 "yoy_comparable": None if gc.get(key) is None else round(gc[key], 1)})
        emit(cat_rows, ["cell", "value", "yoy", "yoy_comparable"], OutputFormat.table,
             title=st.t(f"4/4 {end} 年1–12月软件业务收入：全国、地区、分行业收入（已发布，合成数据）",
                        f"4/4 software business revenue Jan–Dec {end}: nation, regions, sector revenue "
                        "(published, SYNTHETIC)"),
             headers=[st.t("", ""), st.t("亿元", "100m CNY"), st.t("同比%（总量）", "YoY % (levels)"),
                      st.t("同口径增长%", "comparable YoY %")],
             caption=st.t("同口径增长按两年均报送的企业计算，官方公布的增速即为同口径；发布数含缺报推算",
                          "comparable-basis growth is over enterprises reporting in both years, as official "
                          "rates are; published levels include imputed non-respondents"))
        calib = manifest.get("calibration", [])
        if calib and "measure" in calib[0]:
            from .generate import calibration_rows

            emit(calibration_rows(calib, st.lang, published_only=True),
                 ["year", "what", "target", "generated", "diff"], OutputFormat.table,
                 title=st.t("校准：合成总体与公布数（亿元；增速为同口径%）", "calibration: synthetic population vs published "
                            "figures (100m CNY; growth comparable-basis %)"),
                 headers=[st.t("年份", "year"), st.t("项目", "what"), st.t("公布数", "published"), st.t("合成总体", "synthetic"),
                          st.t("差异（%或百分点）", "diff (% or points)")],
                 caption=text("calibration.caption", st.lang))
        console.print(st.t(f"下一步：sitmon reports list --period {end}-12，sitmon reports history <USCC> {end}-12\n"
                           f"  公开表（信息披露控制）：sitmon query --public --indicator revenue_total --period {end}-12 "
                           "--by province,sector\n"
                           "  规划目标：sitmon plans status；HTTP 接口：sitmon users add … 后 sitmon serve",
                           f"next: sitmon reports list --period {end}-12, sitmon reports history <USCC> {end}-12\n"
                           f"  public table (disclosure control): sitmon query --public --indicator revenue_total "
                           f"--period {end}-12 --by province,sector\n"
                           "  plan targets: sitmon plans status; HTTP API: sitmon users add …, then sitmon serve"),
                      highlight=False)
        if tot["rejected"]:
            raise typer.Exit(1)
        if serve:
            from .demo_web import serve_demo

            serve_demo(st, host, port)
