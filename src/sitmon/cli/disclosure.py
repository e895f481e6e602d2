"""``sitmon disclosure audit|pattern``: the attacker audit of a period's published tables, and the pattern."""

from __future__ import annotations

import math
import sys
from typing import Annotated, Any

import typer

from ..domain import form_of, jsontext
from ..domain.messages import Message
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

disclosure_app = typer.Typer(help="统计披露控制 Disclosure control", no_args_is_help=True)
REASON_ZH = {"threshold": "阈值", "dominance": "支配", "zero": "零值", "secondary": "二次"}
TABLE_ZH = {"national": "全国", "region": "地区", "province": "省份", "sector": "行业", "region_sector": "地区×行业",
            "province_sector": "省份×行业", "city": "城市", "size_tier": "规模"}


def _cell(key: dict[str, Any], lang: str) -> str:
    from ..catalog import load_catalog

    cat = load_catalog()
    parts = []
    for d, v in key.items():
        if d in ("region", "province", "city"):
            parts.append(cat.region_name(v, lang))
        elif d == "sector":
            s = cat.sectors[v]
            parts.append(s.name_zh if lang == "zh" else s.name_en)
        else:
            parts.append(str(v))
    return " × ".join(parts) or ("全国" if lang == "zh" else "national")


def _num(v: float) -> float | None:
    if math.isinf(v) or math.isnan(v):
        return None
    return 0.0 if abs(v) < 1e-9 else v


@disclosure_app.command("audit")
def audit_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    indicator: IndicatorOpt = "revenue_total",
    release: ReleaseOpt = None,
    primary_only: Annotated[bool, typer.Option("--primary-only",
                                               help="只审计一次抑制（演示：没有二次抑制时哪些单元格可被推算）")] = False,
    reviewers: Annotated[bool, typer.Option("--reviewers",
                                            help="同时以每个省级审核员（知道本省全部数据）为攻击者")] = False,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """攻击者审计（内部工具，显示真实值）Attacker audit of a period's published tables (internal: shows true values).

    For every suppressed cell, two linear programs (HiGHS) find the smallest and largest value consistent with
    every published cell, the totals, non-negativity and the attacker's other knowledge (earlier releases, last
    month, last year; with --reviewers each province's reviewer); a primary cell's interval must reach ±15 %.
    Exit code 1 if any cell is under-protected.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ..catalog import load_catalog
    from ..catalog.disclosure import load_disclosure
    from ..process.disclosure import audit_release

    st = state(ctx)
    cat = load_catalog()
    form = form_of(period)
    if indicator not in cat.indicators or indicator not in cat.forms[form].indicators:
        raise fail(st.t(f"{form} 报表没有指标 {indicator}", f"the {form} form has no indicator {indicator}"), 2)
    if fmt is OutputFormat.csv:
        raise fail(st.t("审计只支持 table 或 json 格式", "the audit prints table or json"), 2)
    rules = load_disclosure()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task(st.t("审计（线性规划）", "audit (linear programs)"), total=None)
        try:
            rows = audit_release(st.settings, form, period, indicator, release, primary_only=primary_only,
                                 reviewers=reviewers,
                                 on_progress=lambda done, total: bar.update(task, completed=done, total=total))
        except LookupError as exc:
            raise fail(st.t(f"{period} 尚未发布或没有抑制模式：{exc}", f"{period} is not published or has no "
                            f"pattern: {exc}"), 2) from exc
    dims_of = {"_".join(t) or "national": t for t in rules.tables}
    out: list[dict[str, Any]] = [{"table": r.table, "key": dict(zip(dims_of[r.table], r.key, strict=True)), "flag": r.flag,
            "attacker": r.attacker, "value": r.value, "lo": _num(r.lo), "hi": _num(r.hi),
            "need_below": r.need_below, "need_above": r.need_above,
            "lo_pct": _num(100 * (r.value - r.lo) / abs(r.value)) if r.value else None,
            "hi_pct": _num(100 * (r.hi - r.value) / abs(r.value)) if r.value else None,
            "protected": r.protected} for r in rows]
    bad = sum(not r.protected for r in rows)
    unit = cat.indicators[indicator].unit
    if fmt is OutputFormat.json:
        sys.stdout.write(jsontext.dumps({"period": period, "indicator": indicator, "unit": unit,
                                     "protection_pct": rules.protection_pct, "primary_only": primary_only,
                                     "cells": out, "under_protected": bad}, indent=2) + "\n")
    else:
        u = cat.units[unit]
        table_rows = [{"attacker": o["attacker"], "table": st.t(TABLE_ZH.get(o["table"], o["table"]), o["table"]),
                       "cell": _cell(o["key"], st.lang),
                       "flag": st.t(f"{REASON_ZH[o['flag']]} {o['flag']}", o["flag"]), "value": o["value"],
                       "lo": "-∞" if o["lo"] is None else o["lo"], "hi": "+∞" if o["hi"] is None else o["hi"],
                       "lo_pct": "∞" if o["lo_pct"] is None and o["lo"] is None else o["lo_pct"],
                       "hi_pct": "∞" if o["hi_pct"] is None and o["hi"] is None else o["hi_pct"],
                       "ok": st.t("✓ 是", "✓ yes") if o["protected"] else st.t("✗ 否", "✗ NO")} for o in out]
        title = st.t(f"{cat.indicators[indicator].name_zh} {period} 攻击者审计（{u.name_zh}）— 内部工具：含真实值，机密",
                     f"{cat.indicators[indicator].name_en} {period} attacker audit ({u.name_en}) — internal tool: "
                     "shows true values, confidential")
        emit(table_rows, ["attacker", "table", "cell", "flag", "value", "lo", "hi", "lo_pct", "hi_pct", "ok"], fmt,
             title=title, headers=[st.t(*h) for h in (("攻击者", "attacker"), ("表", "table"), ("单元格", "cell"), ("原因", "reason"), ("真实值", "true value"),
                                          ("最小值", "LP min"), ("最大值", "LP max"), ("下方%", "below %"),
                                          ("上方%", "above %"), (f"±{rules.protection_pct:g}%", f"±{rules.protection_pct:g} %"))])
        what = st.t("仅一次抑制（演示）", "primary suppression only (demonstration)") if primary_only else \
            st.t("已发布的抑制模式", "the published pattern")
        console.print(st.t(f"{what}：抑制 {len(rows)} 个单元格，保护不足 {bad} 个。",
                           f"{what}: {len(rows)} suppressed cells, {bad} under-protected."), highlight=False)
    if bad:
        raise typer.Exit(1)


@disclosure_app.command("pattern")
def pattern_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    indicator: IndicatorOpt = "revenue_total",
    release: ReleaseOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """已发布的抑制模式（不含数值）The published suppression pattern: every suppressed cell and its reason."""
    from ..catalog.disclosure import load_disclosure
    from ..disseminate.disclosure import Disclosure
    from ..store.warehouse import Warehouse

    st = state(ctx)
    form = form_of(period)
    d = Disclosure(Warehouse(st.settings))
    found = d.release(form, period, release)
    if found is None:
        raise fail(st.t(f"{period} 尚未发布", f"{period} has not been published"), 2)
    pat = d.pattern(form, period, indicator, release)
    if pat is None:
        msg = Message("disclosure.no_pattern", period=period, release=found.number, indicator=indicator)
        raise fail(msg.render(st.lang), 2)
    dims_of = {"_".join(t) or "national": t for t in load_disclosure().tables}
    rows = [{"table": t, "cell": ",".join(map(str, k)) if fmt is not OutputFormat.table else
             _cell(dict(zip(dims_of[t], k, strict=True)), st.lang), "flag": f} for (t, k), f in sorted(pat.flags.items())]
    emit(rows, ["table", "cell", "flag"], fmt, title=st.t(f"{indicator} {period} 第 {pat.release} 版的抑制模式",
                                                          f"{indicator} {period} release {pat.release}: pattern"))
    if fmt is OutputFormat.table:
        console.print(st.t(f"沿用：{', '.join(pat.carried_from) or '无'}；各原因计数 {pat.counts}",
                           f"carried from: {', '.join(pat.carried_from) or 'none'}; counts {pat.counts}"),
                      highlight=False)


@disclosure_app.command("compute")
def compute_cmd(
    ctx: typer.Context,
    period: PeriodOpt,
    release: ReleaseOpt = None,
) -> None:
    """补算已发布版本缺少的抑制模式（旧版本升级用）Compute the missing patterns of releases published before
    patterns were stored (the earlier months of the year first); stored once, never overwritten."""
    from rich.progress import Progress

    from ..process.disclosure import ensure_patterns

    st = state(ctx)
    form = form_of(period)
    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(st.t("统计披露控制", "disclosure control"), total=None)

        def step(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total,
                       description=Message("disclosure.computing", done=done, total=total, what=what).render(st.lang))

        try:
            written = ensure_patterns(st.settings, form, period, release, on_progress=step)
        except LookupError as exc:
            raise fail(st.t(f"{period} 尚未发布", f"{period} has not been published"), 2) from exc
    console.print(Message("disclosure.computed", n=len(written)).render(st.lang), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(disclosure_app, name="disclosure")
