"""Evaluation of a plan target against published values (pure arithmetic on plain numbers).

Progress follows the measure Open SDG and Statistics Canada publish: for a level target the ratio of the
realised average growth (base → latest) to the growth required (base → target), for a growth target the
ratio of realised to targeted growth; ≥ 0.95 on track, 0.6–0.95 at risk, below 0.6 (or negative) off track.
Once the target year has a published value, the verdict is achieved / not achieved on that value, and
later years do not change it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from ..catalog.citations import Citation, cite
from ..catalog.expressions import parse_expression
from ..catalog.plans import SERIES_NAMES, Plan, PlanTarget
from ..catalog.series import Series, Vintage
from ..domain import Message
from .outlook import Outlook
from .projection import Projection

CUTOFFS = (0.95, 0.6, 0.0)
STATUSES = ("achieved", "on_track", "at_risk", "off_track", "not_achieved", "not_measurable")


@dataclass(frozen=True)
class Point:
    """A published value with its source (where it was read) and its official citation."""

    value: float
    source: str
    citation: Citation | None = None


@dataclass
class TargetStatus:
    """The evaluation of one target (values in the target's unit; growth in percent)."""

    plan: str
    target_id: str
    indicator: str
    kind: str
    target_value: float
    unit: str
    base_year: int
    target_year: int
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    attainment_pct: float | None
    required_cagr_pct: float | None
    realised_cagr_pct: float | None
    progress_ratio: float | None
    status: str
    reason: Message | None
    source: str
    latest_source: str | None
    wording_zh: str
    wording_en: str
    basis: str = "published national series"
    projection: Projection | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    vintage: str = "latest"
    latest_citation_zh: str | None = None
    latest_citation_en: str | None = None
    outlook: Outlook | None = None
    latest_release: Message | None = None  # the release of the latest value, for people (micro-data targets)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (``projection`` and ``outlook`` as mappings or None; the reason as ``reason_zh`` and
        ``reason_en``, where ``reason`` stands)."""
        d: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "latest_release":
                continue
            if f.name == "reason":
                d["reason_zh"] = self.reason.render("zh") if self.reason else ""
                d["reason_en"] = self.reason.render("en") if self.reason else ""
            elif f.name in ("projection", "outlook"):
                value = getattr(self, f.name)
                d[f.name] = value.to_dict() if value is not None else None
            else:
                value = getattr(self, f.name)
                d[f.name] = asdict(value) if hasattr(value, "__dataclass_fields__") else value
        return d

    @property
    def reason_zh(self) -> str:
        """The reason in Chinese."""
        return self.reason.render("zh") if self.reason else ""

    @property
    def reason_en(self) -> str:
        """The reason in English."""
        return self.reason.render("en") if self.reason else ""


def cagr_pct(first: float, last: float, years: int) -> float:
    """Average annual growth in percent: ((last / first)^(1/years) − 1) × 100."""
    return ((last / first) ** (1 / years) - 1) * 100


def classify(ratio: float) -> str:
    """Status from the progress ratio with the Open SDG / Statistics Canada cut-offs 0.95 / 0.6 / 0."""
    if ratio >= CUTOFFS[0]:
        return "on_track"
    if ratio >= CUTOFFS[1]:
        return "at_risk"
    return "off_track"


def evaluate(
    plan: Plan,
    target: PlanTarget,
    points: dict[int, Point],
    as_of: int | None = None,
    basis: str = "published national series",
) -> TargetStatus:
    """Evaluate ``target`` on ``points`` (year → value of its indicator), using only years ≤ ``as_of``."""
    as_of = as_of if as_of is not None else 9999
    pts = {y: p for y, p in points.items() if y <= as_of}
    b, t_year = plan.base_year, plan.target_year
    base = pts.get(b)
    in_plan = {y: p for y, p in pts.items() if b < y <= t_year}
    latest_year: int | None = max(in_plan) if in_plan else None
    latest = in_plan[latest_year] if latest_year is not None else None
    growth_kind = target.kind == "cagr_at_least"
    st = TargetStatus(
        plan=plan.code,
        target_id=target.id,
        indicator=target.indicator,
        kind=target.kind,
        target_value=target.value,
        unit=target.unit,
        base_year=b,
        target_year=t_year,
        base_value=base.value if base else None,
        latest_year=latest_year,
        latest_value=latest.value if latest else None,
        attainment_pct=None,
        required_cagr_pct=None,
        realised_cagr_pct=None,
        progress_ratio=None,
        status="not_measurable",
        reason=None,
        source=target.source,
        latest_source=latest.source if latest else None,
        wording_zh=target.wording_zh,
        wording_en=target.wording_en,
        basis=basis,
    )
    if latest is not None and latest.citation is not None:
        st.latest_citation_zh, st.latest_citation_en = (
            latest.citation.render("zh"),
            latest.citation.render("en"),
        )
    if latest is None:
        st.reason = (
            Message("plans.no_figure", year=t_year) if as_of >= t_year else Message("plans.none_since_base")
        )
        return st
    assert latest_year is not None  # set together with latest
    if base is not None:
        st.realised_cagr_pct = cagr_pct(base.value, latest.value, latest_year - b)
    level_target = None if growth_kind else target.value
    if growth_kind and base is not None:
        level_target = base.value * (1 + target.value / 100) ** (t_year - b)
    if level_target is not None and latest_year < t_year:
        st.required_cagr_pct = cagr_pct(latest.value, level_target, t_year - latest_year)
    st.attainment_pct = (
        st.realised_cagr_pct / target.value * 100
        if growth_kind and st.realised_cagr_pct is not None
        else None
        if growth_kind
        else latest.value / target.value * 100
    )
    # the verdict: the target year's value decides
    if latest_year == t_year:
        met = (
            (st.realised_cagr_pct is not None and st.realised_cagr_pct >= target.value)
            if growth_kind
            else latest.value >= target.value
        )
        if growth_kind and st.realised_cagr_pct is None:
            st.reason = Message("plans.no_base_growth")
            return st
        st.status = "achieved" if met else "not_achieved"
        st.reason = Message("plans.verdict", year=t_year)
        return st
    if as_of >= t_year:
        st.reason = Message("plans.no_target_year_figure", year=t_year)
        return st
    if base is None:
        st.reason = Message("plans.no_base_progress")
        return st
    required_total = target.value if growth_kind else cagr_pct(base.value, target.value, t_year - b)
    above = not growth_kind and latest.value >= target.value
    if required_total <= 0:
        st.status, st.progress_ratio = "on_track", None
        st.reason = Message("plans.base_meets_target_above" if above else "plans.base_meets_target")
    else:
        st.progress_ratio = cagr_pct(base.value, latest.value, latest_year - b) / required_total
        st.status = classify(st.progress_ratio)
        st.reason = Message(
            "plans.progress_above" if above else "plans.progress", ratio=f"{st.progress_ratio:.2f}"
        )
    return st


def target_level(st: TargetStatus) -> float | None:
    """The level the target asks for in the target year: the target for a level target, base × (1 + g)^years
    for a growth target (None without a base value)."""
    if st.kind == "cagr_at_least":
        return (
            None
            if st.base_value is None
            else st.base_value * (1 + st.target_value / 100) ** (st.target_year - st.base_year)
        )
    return st.target_value


def apply_projection(
    st: TargetStatus, projection: Projection | None, outlook: Outlook | None
) -> TargetStatus:
    """Adds the projection to the target year; when the target is still open (on track / at risk / off track)
    and the projection is calibrated, the status is the projection's call and the reason says so, with the
    progress ratio kept beside it."""
    st.projection, st.outlook = projection, outlook
    if projection is None or outlook is None or st.status not in ("on_track", "at_risk", "off_track"):
        return st
    st.status = outlook.call
    pct = "—" if outlook.probability is None else f"{100 * outlook.probability:.0f}"
    ratio = "—" if st.progress_ratio is None else f"{st.progress_ratio:.2f}"
    why = Message(
        f"projection.call_{outlook.call}",
        year=projection.year,
        value=f"{projection.value:,.0f}",
        lo=f"{projection.lo80:,.0f}",
        hi=f"{projection.hi80:,.0f}",
        target=f"{outlook.target_level:,.0f}",
        p=pct,
    )
    record = Message("projection.call_record", hits=outlook.hits, cases=outlook.cases, h=outlook.horizon)
    st.reason = Message("projection.call_reason", why=why, record=record, ratio=ratio)
    return st


def series_points(series: Series, target: PlanTarget, vintage: Vintage = "latest") -> dict[int, Point]:
    """year → published value of the target's indicator in ``vintage``, with its source and official citation, or
    of its ``expression`` over series indicators in the years where every input is published (the sources of the
    inputs joined)."""
    if not target.expression:
        return {
            y: Point(o.value, o.source, cite(o))
            for y, o in series.of(target.indicator, vintage=vintage).items()
        }
    expr = parse_expression(target.expression, SERIES_NAMES)
    inputs = {n: series.of(n, vintage=vintage) for n in expr.names}
    years = set.intersection(*(set(v) for v in inputs.values())) if inputs else set()
    out = {}
    for y in sorted(years):
        env = {n: np.array([inputs[n][y].value]) for n in expr.names}
        out[y] = Point(
            float(expr.evaluate(env)[0]), "; ".join(sorted({inputs[n][y].source for n in expr.names}))
        )
    return out


def evaluate_on_release(
    plan: Plan, target: PlanTarget, found: tuple[int, float, Message, bool] | None, as_of: int | None
) -> TargetStatus:
    """A micro-data target evaluated on the figure computed from a published release: ``found`` is (year,
    value in the target's unit, which release, whether it is synthetic), or None when nothing is published.
    Attainment = value / target × 100; the target year's release decides achieved / not achieved; other years
    cannot show progress (no base-year micro-data)."""
    st = evaluate(plan, target, {}, as_of, basis="latest published release")
    if found is None:
        st.reason = Message("derived.no_release")
        return st
    year, value, what, synthetic = found
    st.basis = f"{what.render('en')}{' (SYNTHETIC)' if synthetic else ''}"
    st.latest_year, st.latest_value, st.latest_source = year, value, st.basis
    st.latest_release = Message(
        "plans.release_synthetic" if synthetic else "plans.release_said", release=what
    )
    st.attainment_pct = value / target.value * 100
    tag = "_synthetic" if synthetic else ""
    if as_of is not None and year > as_of or not (plan.base_year < year <= plan.target_year):
        reason = Message(f"derived.outside_plan{tag}", year=year)
    elif year == plan.target_year:
        st.status = "achieved" if value >= target.value else "not_achieved"
        reason = Message(f"derived.verdict{tag}", year=year)
    else:
        reason = Message(f"derived.no_base{tag}", year=year, value=f"{value:,.1f}")
    st.reason = reason
    return st
