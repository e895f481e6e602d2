"""The statistical scope of the forms (data in ``data/scope.yaml``): the threshold of enterprises above designated
size (规模以上, the annual survey's population) and which registry flag gives each form's population (the monthly
key-enterprise panel, 月报重点企业, for the monthly form)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .loader import CatalogError, read_yaml


class Threshold(BaseModel):
    """Above designated size: main-business revenue ≥ ``main_revenue_min`` 万元 (``reduced_main_revenue_min`` in
    some fields) and software business revenue ≥ ``software_share_min_pct`` % of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    main_revenue_min: float = Field(gt=0)
    software_share_min_pct: float = Field(ge=0, le=100)
    reduced_main_revenue_min: float = Field(gt=0)
    note_zh: str
    note_en: str
    source: str


class Population(BaseModel):
    """The population of one form: the registry flag that marks it and its name."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    flag: Literal["monthly_panel", "above_scale"]
    name_zh: str
    name_en: str


class Scope(BaseModel):
    """The scope in force."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    above_designated_size: Threshold
    populations: dict[str, Population]

    def above(self, main_revenue: float, software_revenue: float | None, reduced: bool = False) -> bool:
        """True when an enterprise with ``main_revenue`` (万元) and ``software_revenue`` (万元; None: not known,
        the share is not tested) is above designated size (``reduced``: the field's lower threshold)."""
        t = self.above_designated_size
        floor = t.reduced_main_revenue_min if reduced else t.main_revenue_min
        if main_revenue < floor:
            return False
        return software_revenue is None or software_revenue >= t.software_share_min_pct / 100 * main_revenue


def load_scope_from(base: Path | None = None) -> Scope:
    """The scope in ``scope.yaml`` of ``base`` (default: the shipped catalog); a broken file fails naming the key."""
    doc = read_yaml("scope.yaml", base)
    try:
        return Scope.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise CatalogError("scope.yaml", ".".join(str(p) for p in err["loc"]), err["msg"]) from exc


@cache
def load_scope() -> Scope:
    """The shipped scope (read once per process)."""
    return load_scope_from(None)
