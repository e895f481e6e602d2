"""Plan tracking as the CLI and the API show it: every target of every plan evaluated on the published
national series, and the micro-data targets on the latest published release."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analyse.plans import Point, TargetStatus, evaluate, with_projection
from ..catalog.disclosure import load_disclosure
from ..catalog.expressions import parse_expression
from ..catalog.plans import Plan, PlanTarget, load_plans
from ..catalog.series import Series, load_series
from ..config import Settings
from ..domain.messages import Message

VERDICT_OF = {"on_track": "achieved", "at_risk": "not_achieved", "off_track": "not_achieved"}


def series_points(series: Series, target: PlanTarget) -> dict[int, Point]:
    """year → published value of the target's indicator (or of its expression where all inputs exist)."""
    if not target.expression:
        return {y: Point(o.value, o.source) for y, o in series.of(target.indicator).items()}
    expr = parse_expression(target.expression, {"revenue_total", "revenue_it_services", "revenue_software_products",
                                                 "revenue_info_security", "revenue_embedded", "exports_usd",
                                                 "profit_total", "employees"})
    inputs = {n: series.of(n) for n in expr.names}
    years = set.intersection(*(set(v) for v in inputs.values())) if inputs else set()
    out = {}
    for y in sorted(years):
        env = {n: np.array([inputs[n][y].value]) for n in expr.names}
        out[y] = Point(float(expr.evaluate(env)[0]), "; ".join(sorted({inputs[n][y].source for n in expr.names})))
    return out


def _microdata_value(settings: Settings, indicator: str
                     ) -> tuple[int, float | None, str, bool, Message | None] | None:
    """(year, value, description, synthetic, why withheld) of a micro-data indicator on the latest full-year
    release, after disclosure control: a count of enterprises of 1 or 2 is withheld (threshold rule), the count
    of cities counts only the cities the release publishes (a suppressed city is not counted — the count would
    tell on which side of the threshold it lies), and the top-100 R&D intensity is withheld when two enterprises
    hold more than the dominance share of its numerator or denominator. Values are never computed from
    suppressed cells."""
    from ..analyse.concentration import annual_revenue, cities_above
    from ..store.warehouse import Warehouse
    from .disclosure import Disclosure

    wh = Warehouse(settings)
    rules = load_disclosure()
    annual = wh.files("annual")
    dec = [f for f in wh.files("monthly") if f.period.endswith("-12")]
    if indicator == "top100_rd_intensity":
        if not annual:
            return None
        f = annual[-1]
        t = wh.table("annual", [f.period])
        top = t.order_by(t.revenue_total.desc()).limit(100).execute()
        value = top.rd_expense.sum() / top.revenue_total.sum() * 100
        k = rules.dominance.k / 100.0
        n = rules.dominance.n
        dominated = any(col.nlargest(n).sum() > k * col.sum() for col in (top.rd_expense, top.revenue_total)) \
            or len(top) < rules.threshold.min_enterprises
        why = Message("disclosure.ratio_suppressed", k=f"{rules.dominance.k:g}") if dominated else None
        return (int(f.period), None if dominated else float(value), f"annual release {f.period} #{f.number}",
                bool(f.manifest.get("synthetic")), why)
    candidates = [(int(f.period[:4]), "annual", f) for f in annual] + [(int(f.period[:4]), "monthly", f) for f in dec]
    if not candidates:
        return None
    year, form, f = max(candidates, key=lambda c: (c[0], c[1] == "annual"))
    t = wh.table(form, [f.period])
    what = f"{form} release {f.period} #{f.number}"
    synthetic = bool(f.manifest.get("synthetic"))
    if indicator == "cities_revenue_over_1000e8":
        pattern = Disclosure(wh).pattern(form, f.period, "revenue_total")
        if pattern is None:
            return year, None, what, synthetic, Message("disclosure.count_suppressed")
        hidden = {k[0] for k in pattern.table_flags(("city",))}
        cities = cities_above(t, year, 1000).execute()
        return year, float((~cities.city.isin(hidden)).sum()), what, synthetic, None
    threshold = 1000 if indicator == "enterprises_revenue_over_1000e8" else 100
    a = annual_revenue(t, year)
    count = int(a.filter(a.value_100m >= threshold).count().execute())
    if 0 < count < rules.threshold.min_enterprises:
        return year, None, what, synthetic, Message("disclosure.count_withheld", n=rules.threshold.min_enterprises)
    return year, float(count), what, synthetic, None


def _evaluate_microdata(settings: Settings, plan: Plan, target: PlanTarget, as_of: int | None) -> TargetStatus:
    found = _microdata_value(settings, target.indicator)
    st = evaluate(plan, target, {}, as_of, basis="latest published release")
    if found is None:
        st.reason_zh, st.reason_en = "尚无已发布的数据版本（需要企业微观数据）", "no published release yet (needs micro-data)"
        return st
    year, value, what, synthetic, why = found
    label = "（合成数据）" if synthetic else ""
    st.basis = f"{what}{' (SYNTHETIC)' if synthetic else ''}"
    if value is None:
        assert why is not None
        st.latest_year, st.latest_source = year, st.basis
        st.reason_zh, st.reason_en = why.render("zh"), why.render("en")
        if why.key == "disclosure.count_withheld" and year == plan.target_year and target.value >= 3:
            st.status = "not_achieved"  # fewer than the threshold is below any target of 3 or more
        return st
    st.latest_year, st.latest_value, st.latest_source = year, value, st.basis
    st.attainment_pct = value / target.value * 100
    if as_of is not None and year > as_of or not (plan.base_year < year <= plan.target_year):
        st.reason_zh = f"最新数据版本为{year}年{label}，不在规划期内"
        st.reason_en = f"the latest release ({year}{', synthetic' if synthetic else ''}) is outside the plan period"
    elif year == plan.target_year:
        st.status = "achieved" if value >= target.value else "not_achieved"
        st.reason_zh, st.reason_en = f"按{year}年数据版本判定{label}", f"verdict on the {year} release{' (synthetic)' if synthetic else ''}"
    else:
        st.reason_zh = f"{year}年数据版本{label}：{value:,.1f}；无基期微观数据，无法衡量进度"
        st.reason_en = (f"{year} release{' (synthetic)' if synthetic else ''}: {value:,.1f}; no base-year micro-data, "
                        "progress cannot be measured")
    return st


def evaluate_target(settings: Settings, plan: Plan, target: PlanTarget, as_of: int | None = None,
                    series: Series | None = None) -> TargetStatus:
    """One target's status as of ``as_of`` (None: the latest year of the published series)."""
    series = series or load_series()
    if as_of is None:
        as_of = max(o.year for o in series.observations)
    if target.measure == "microdata":
        return _evaluate_microdata(settings, plan, target, as_of)
    if target.measure == "none":
        st = evaluate(plan, target, {}, as_of, basis="none")
        st.reason_zh = "sitmon 没有该指标的统计数据（不在报表和公布数据中）"
        st.reason_en = "sitmon has no statistics for this indicator (not in the forms nor the published series)"
        return st
    points = series_points(series, target)
    st = evaluate(plan, target, points, as_of)
    if target.kind in ("level_at_least", "cagr_at_least") and target.unit != "pct" or target.kind == "cagr_at_least":
        with_projection(st, points, as_of)
    return st


def plan_status(settings: Settings, plan: str | None = None, as_of: int | None = None) -> list[TargetStatus]:
    """Every target of ``plan`` (or of all plans) evaluated as of ``as_of``; raises KeyError for an unknown plan."""
    plans = load_plans()
    chosen = [plans[plan]] if plan else list(plans.values())
    series = load_series()
    return [evaluate_target(settings, p, t, as_of, series) for p in chosen for t in p.targets]


@dataclass
class BacktestRow:
    """How a target looked from ``as_of`` and how that compares with the final verdict."""

    as_of: int
    target_id: str
    status: str
    projection: dict[str, Any] | None
    outcome_value: float | None
    final_status: str
    inside80: bool | None
    inside95: bool | None
    called: bool | None


def backtest(settings: Settings, plan: str) -> list[BacktestRow]:
    """For each year of the plan period before the target year, the status and projection as of that year
    against the final outcome (target-year value and verdict). Only series targets are backtested."""
    p = load_plans()[plan]
    series = load_series()
    rows = []
    for t in p.targets:
        if t.measure != "series":
            continue
        final = evaluate_target(settings, p, t, None, series)
        outcome = series_points(series, t).get(p.target_year)
        for as_of in range(p.base_year, p.target_year):
            st = evaluate_target(settings, p, t, as_of, series)
            proj = st.projection
            inside80 = inside95 = None
            if proj and outcome:
                inside80 = proj.lo80 <= outcome.value <= proj.hi80
                inside95 = proj.lo95 <= outcome.value <= proj.hi95
            called = None
            if final.status in ("achieved", "not_achieved") and st.status in VERDICT_OF:
                called = VERDICT_OF[st.status] == final.status
            rows.append(BacktestRow(as_of, t.id, st.status, proj.to_dict() if proj else None,
                                    outcome.value if outcome else None, final.status, inside80, inside95, called))
    return rows
