"""Plan tracking as the CLI and the API show it: every target of every plan evaluated on the published
national series, and the micro-data targets on the latest published release."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analyse.plans import (
    TargetStatus,
    apply_projection,
    evaluate,
    evaluate_on_release,
    series_points,
    target_level,
)
from ..catalog import load_catalog
from ..catalog.derived import load_derived
from ..catalog.disclosure import load_disclosure
from ..catalog.plans import Plan, PlanTarget, load_plans
from ..catalog.series import Series, Vintage, load_series
from ..config import Settings
from ..domain import Message, Period
from .projections import projection_of

if TYPE_CHECKING:  # the engine and Ibis are imported when a release is read, so `sitmon plans` starts fast
    from ..store.warehouse import ReleaseFiles, Warehouse

#: the verdict a decisive status calls; at risk calls neither (the projection's interval holds the target)
VERDICT_OF = {"on_track": "achieved", "off_track": "not_achieved"}


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


def _disclosure_controlled(
    settings: Settings, code: str, found: tuple[int, float, Message, bool] | None
) -> tuple[tuple[int, float, Message, bool] | None, Message | None]:
    """A derived figure after disclosure control (统计披露控制) — (figure, why withheld): a count of 1 or 2
    enterprises is withheld (threshold rule); a count of cities counts only the cities the release publishes (a
    suppressed city is left out: the count would tell on which side of the threshold it lies); a ratio over the
    largest enterprises is withheld when two of them hold more than the dominance share of its numerator or
    denominator. Reads the stored city pattern; computes nothing else that is not public."""
    if found is None:
        return None, None
    from ..analyse.concentration import full_year
    from ..store.warehouse import Warehouse
    from .disclosure import Disclosure

    d = load_derived()[code]
    rules = load_disclosure()
    year, value, what, synthetic = found
    wh = Warehouse(settings)
    chosen = _full_year_release(wh, _reads(d))
    if chosen is None:
        return None, None
    _, form, f = chosen
    t = wh.table(form, [f.period])
    if d.expression == "enterprises_at_least":
        if 0 < value < rules.threshold.min_enterprises:
            return found, Message("disclosure.count_withheld", n=rules.threshold.min_enterprises)
        return found, None
    if d.expression == "cities_at_least":
        pattern = Disclosure(wh).pattern(form, f.period, "revenue_total")
        if pattern is None:
            return found, Message("disclosure.count_suppressed")
        hidden = {k[0] for k in pattern.table_flags(("city",))}
        factor = float(load_catalog().units[d.params["unit"]].factor)
        a = full_year(t, year)
        a = a.filter(a.city.notnull())
        g = a.group_by("city").aggregate(total=a[d.params["indicator"]].sum()).execute()
        per_unit = load_catalog().units[load_catalog().indicators[d.params["indicator"]].unit].factor / factor
        above = g[(g.total * per_unit >= float(d.params["threshold"])) & ~g.city.isin(hidden)]
        return (year, float(len(above)), what, synthetic), None
    if d.expression == "top_n_ratio":
        top = full_year(t, year).order_by(ibis_desc(d.params["rank_by"])).limit(int(d.params["n"])).execute()
        k, n = rules.dominance.k / 100.0, rules.dominance.n
        cols = [top[d.params["numerator"]].abs(), top[d.params["denominator"]].abs()]
        if len(top) < rules.threshold.min_enterprises or any(c.nlargest(n).sum() > k * c.sum() for c in cols):
            return found, Message("disclosure.ratio_suppressed", k=f"{rules.dominance.k:g}")
    return found, None


def _reads(d: Any) -> set[str]:
    from ..analyse.derived import inputs

    return set(inputs(d))


def ibis_desc(column: str) -> Any:
    """Descending order on ``column`` (Ibis, imported when a release is read)."""
    import ibis

    return ibis.desc(column)


def evaluate_target(
    settings: Settings,
    plan: Plan,
    target: PlanTarget,
    as_of: int | None = None,
    series: Series | None = None,
    vintage: Vintage = "latest",
) -> TargetStatus:
    """One target's status as of ``as_of`` (None: the latest year of the published series) on the ``vintage``
    of the series; an open target with a calibrated projection is called from it."""
    series = series or load_series()
    if as_of is None:
        as_of = max(o.year for o in series.observations)
    if target.measure == "microdata":
        found, withheld = _disclosure_controlled(
            settings, target.indicator, _derived_value(settings, target.indicator)
        )
        if withheld is not None and found is not None:
            st = evaluate(plan, target, {}, as_of, basis="latest published release")
            st.basis = f"{found[2].render('en')}{' (SYNTHETIC)' if found[3] else ''}"
            st.latest_year, st.latest_source = found[0], st.basis
            st.latest_release = Message(
                "plans.release_synthetic" if found[3] else "plans.release_said", release=found[2]
            )
            st.reason = withheld
            return st
        return evaluate_on_release(plan, target, found, as_of)
    if target.measure == "none":
        st = evaluate(plan, target, {}, as_of, basis="none")
        st.reason = Message("plans.no_statistics")
        return st
    points = series_points(series, target, vintage)
    st = evaluate(plan, target, points, as_of)
    st.vintage = vintage
    if (
        target.kind in ("level_at_least", "cagr_at_least")
        and target.unit != "pct"
        or target.kind == "cagr_at_least"
    ):
        level = target_level(st)
        called = projection_of(
            target.indicator, {y: p.value for y, p in points.items()}, plan.target_year, as_of, vintage, level
        )
        if called is not None:
            apply_projection(st, called.projection, called.outlook)
    return st


def plan_status(
    settings: Settings, plan: str | None = None, as_of: int | None = None, vintage: Vintage = "latest"
) -> list[TargetStatus]:
    """Every target of ``plan`` (or of all plans) evaluated as of ``as_of`` on the ``vintage`` of the series;
    raises KeyError for an unknown plan."""
    plans = load_plans()
    chosen = [plans[plan]] if plan else list(plans.values())
    series = load_series()
    results = [evaluate_target(settings, p, t, as_of, series, vintage) for p in chosen for t in p.targets]
    for st in results:
        st.vintage = (
            vintage  # also on targets not measured on the series: the status names what was asked for
        )
    return results


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


def backtest(settings: Settings, plan: str, vintage: Vintage = "latest") -> list[BacktestRow]:
    """For each year of the plan period before the target year, the status and projection as of that year
    against the final outcome (target-year value and verdict). Only series targets are backtested."""
    p = load_plans()[plan]
    series = load_series()
    rows = []
    for t in p.targets:
        if t.measure != "series":
            continue
        final = evaluate_target(settings, p, t, None, series, vintage)
        outcome = series_points(series, t, vintage).get(p.target_year)
        for as_of in range(p.base_year, p.target_year):
            st = evaluate_target(settings, p, t, as_of, series, vintage)
            proj = st.projection
            inside80 = inside95 = None
            if proj and outcome and None not in (proj.lo80, proj.hi80, proj.lo95, proj.hi95):
                inside80 = proj.lo80 <= outcome.value <= proj.hi80  # type: ignore[operator]
                inside95 = proj.lo95 <= outcome.value <= proj.hi95  # type: ignore[operator]
            called = None
            if final.status in ("achieved", "not_achieved") and st.status in VERDICT_OF:
                called = VERDICT_OF[st.status] == final.status
            rows.append(
                BacktestRow(
                    as_of,
                    t.id,
                    st.status,
                    proj.to_dict() if proj else None,
                    outcome.value if outcome else None,
                    final.status,
                    inside80,
                    inside95,
                    called,
                )
            )
    return rows
