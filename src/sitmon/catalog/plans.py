"""Five-year plans (五年规划) and their quantitative targets, one YAML file per plan in ``data/plans``.
Adding a plan is adding a file."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..domain.messages import Label
from .derived import load_derived
from .expressions import ExpressionError, parse_expression
from .loader import CatalogError, data_path, read_yaml, yaml_files
from .models import Named

KINDS = ("level_at_least", "cagr_at_least", "share_at_least", "count_at_least")
#: The indicators of the published national series an ``expression`` target may combine.
SERIES_NAMES = frozenset(
    {
        "revenue_total",
        "revenue_it_services",
        "revenue_software_products",
        "revenue_info_security",
        "revenue_embedded",
        "exports_usd",
        "profit_total",
        "employees",
    }
)


class PlanTarget(BaseModel):
    """One quantitative target: ``indicator`` (or an ``expression`` over series indicators) must reach
    ``value`` (in ``unit``) by the plan's target year; ``cagr_at_least`` is an average annual growth (%).
    A ``microdata`` target's indicator is a derived indicator (``derived.yaml``) computed from a release."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    indicator: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["level_at_least", "cagr_at_least", "share_at_least", "count_at_least"]
    value: float
    unit: str
    measure: Literal["series", "microdata", "none"] = "series"
    expression: str | None = None
    wording_zh: str
    wording_en: str
    source: str

    @property
    def wording(self) -> Label:
        """The target as the plan words it, in both languages."""
        return Label(self.wording_zh, self.wording_en)


class Plan(Named, BaseModel):
    """A five-year plan: base year, target year and targets; ``context_only`` plans are shown, not tracked."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    name_zh: str
    name_en: str
    base_year: int
    target_year: int
    context_only: bool = False
    targets: tuple[PlanTarget, ...]

    @model_validator(mode="after")
    def _years_and_ids(self) -> Plan:
        if self.target_year <= self.base_year:
            raise ValueError("target_year must be after base_year")
        ids = [t.id for t in self.targets]
        if len(set(ids)) != len(ids):
            raise ValueError("target ids must be unique")
        return self


def load_plans_from(folder: Path, derived: Collection[str] | None = None) -> dict[str, Plan]:
    """Every ``*.yaml`` plan in ``folder`` by code; a broken file raises CatalogError(file, key, reason), and so
    does a ``microdata`` target whose indicator is not one of the ``derived`` codes (default: the shipped
    derived indicators)."""
    derived = set(load_derived()) if derived is None else set(derived)
    plans: dict[str, Plan] = {}
    for name in yaml_files(folder):
        doc = read_yaml(name, folder)
        try:
            plan = Plan.model_validate(doc)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CatalogError(name, ".".join(str(p) for p in first["loc"]) or "-", first["msg"]) from exc
        for t in plan.targets:
            if t.expression:
                try:
                    parse_expression(t.expression, SERIES_NAMES)
                except ExpressionError as exc:
                    raise CatalogError(name, f"targets[{t.id}].expression", str(exc)) from exc
            if t.measure == "microdata" and t.indicator not in derived:
                raise CatalogError(
                    name,
                    f"targets[{t.id}].indicator",
                    f"{t.indicator!r} is not a derived indicator (derived.yaml)",
                )
        if plan.code in plans:
            raise CatalogError(name, "code", f"duplicate plan code {plan.code!r}")
        plans[plan.code] = plan
    return plans


@cache
def load_plans() -> dict[str, Plan]:
    """The shipped plans (11th for context; 12th, 13th, 14th tracked)."""
    return load_plans_from(data_path("plans"))
