"""规划目标 The five-year plans: each target with attainment, status, required and realised growth and the
source of its latest figure; for level targets the published trajectory against the target with the
projection band (the same ``plan_status`` as ``sitmon plans status`` and ``GET /api/v1/plans/status``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ....analyse.plans import TargetStatus
from ....catalog.plans import load_plans
from ....catalog.series import load_series
from ....domain import Message
from ....security import NotFound
from ...plans import plan_status, series_points
from ..pages import reader, render

router = APIRouter()


def _statuses(request: Request, code: str) -> list[TargetStatus]:
    st = request.app.state
    return st.cache.get(
        ("plans", code, None),
        ["annual", "monthly"],  # type: ignore[no-any-return]
        lambda _backend: plan_status(st.settings, code, None),
    )


def trajectory(status: TargetStatus) -> dict[str, Any] | None:
    """The chart of a level target: published values by year, the base and the target, and the projection's
    80 % and 95 % intervals in the target year (drawn from the latest published value)."""
    if status.kind != "level_at_least" or status.unit == "pct" or status.base_value is None:
        return None
    plan = load_plans()[status.plan]
    target = next(t for t in plan.targets if t.id == status.target_id)
    points = series_points(load_series(), target)
    years = list(range(min([*points, plan.base_year]), plan.target_year + 1))
    actual = [points[y].value if y in points else None for y in years]
    goal = [
        status.base_value if y == plan.base_year else status.target_value if y == plan.target_year else None
        for y in years
    ]
    band: dict[str, list[float | None]] = {
        k: [None] * len(years) for k in ("lo80", "hi80", "lo95", "hi95", "mid")
    }
    proj = status.projection
    if proj is not None and status.latest_year in years and proj.year in years:
        i, j = years.index(status.latest_year), years.index(proj.year)
        for k in ("lo80", "hi80", "lo95", "hi95"):
            band[k][i], band[k][j] = status.latest_value, getattr(proj, k)
        band["mid"][i], band["mid"][j] = status.latest_value, proj.value
    return {
        "id": status.target_id,
        "years": years,
        "actual": actual,
        "goal": goal,
        "band": band,
        "model": proj.model if proj else None,
    }


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request) -> HTMLResponse:
    """The plans (the 11th is context only)."""
    viewer = reader(request)
    return render(request, viewer, "plans.html", plans=list(load_plans().values()))


@router.get("/plans/{code}", response_class=HTMLResponse)
def plan(request: Request, code: str) -> HTMLResponse:
    """One plan's targets and trajectories."""
    viewer = reader(request)
    found = load_plans().get(code)
    if found is None:
        raise NotFound(Message("web.no_plan", code=code[:32]))
    statuses = _statuses(request, code)
    charts = [c for c in (trajectory(s) for s in statuses) if c is not None]
    labels = {k: viewer.t(f"web.plan_{k}") for k in ("actual", "goal", "band80", "band95", "projection")}
    series = load_series()
    latest_units = {}
    for s in statuses:  # a growth target's latest figure is the level it is computed from
        found_obs = series.all_of(s.indicator) if s.kind == "cagr_at_least" else []
        latest_units[s.target_id] = found_obs[0].unit if found_obs else s.unit
    return render(
        request,
        viewer,
        "plan.html",
        plan=found,
        statuses=statuses,
        charts=charts,
        labels=labels,
        latest_units=latest_units,
    )
