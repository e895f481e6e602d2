"""Plan tracking as the CLI and the API show it: every target of every plan evaluated on the published
national series, and the micro-data targets on the latest published release."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analyse.plans import TargetStatus, evaluate, evaluate_on_release, series_points, with_projection
from ..catalog import load_catalog
from ..catalog.derived import load_derived
from ..catalog.plans import Plan, PlanTarget, load_plans
from ..catalog.series import Series, load_series
from ..config import Settings
from ..domain import Message, Period

if TYPE_CHECKING:  # the engine and Ibis are imported when a release is read, so `sitmon plans` starts fast
    from ..store.warehouse import ReleaseFiles, Warehouse

VERDICT_OF = {"on_track": "achieved", "at_risk": "not_achieved", "off_track": "not_achieved"}


def _full_year_release(wh: Warehouse, reads: set[str]) -> tuple[int, str, ReleaseFiles] | None:
    """(year, form, files) of the latest full-year release whose form carries every indicator in ``reads``:
    an annual release, or a December monthly release; the annual one when a year has both."""
    cat = load_catalog()
    candidates = []
    for form in ("annual", "monthly"):
        if reads <= set(cat.forms[form].indicators):
            for f in wh.files(form):
                p = Period.parse(f.period)
                if p.is_annual or p.month == 12:
                    candidates.append((p.year, form == "annual", form, f))
    if not candidates:
        return None
    year, _, form, f = max(candidates, key=lambda c: c[:2])
    return year, form, f


def _derived_value(settings: Settings, code: str) -> tuple[int, float, Message, bool] | None:
    """(year, value, which release, synthetic) of derived indicator ``code`` on the latest full-year release."""
    from ..analyse.derived import derived_value, inputs
    from ..store.warehouse import Warehouse

    d = load_derived()[code]
    wh = Warehouse(settings)
    chosen = _full_year_release(wh, inputs(d))
    if chosen is None:
        return None
    year, form, f = chosen
    value = float(derived_value(wh.table(form, [f.period]), d, year, load_catalog()).execute())
    release = Message("plans.release", form=Message(f"terms.form.{form}"), period=f.period, number=f.number)
    return year, value, release, bool(f.manifest.get("synthetic"))


def evaluate_target(settings: Settings, plan: Plan, target: PlanTarget, as_of: int | None = None,
                    series: Series | None = None) -> TargetStatus:
    """One target's status as of ``as_of`` (None: the latest year of the published series)."""
    series = series or load_series()
    if as_of is None:
        as_of = max(o.year for o in series.observations)
    if target.measure == "microdata":
        return evaluate_on_release(plan, target, _derived_value(settings, target.indicator), as_of)
    if target.measure == "none":
        st = evaluate(plan, target, {}, as_of, basis="none")
        st.reason = Message("plans.no_statistics")
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
