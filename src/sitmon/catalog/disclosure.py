"""Disclosure-control parameters as data (``data/disclosure.yaml``): the threshold and dominance rules, the
protection interval the attacker audit demands, the linked tables published together, the tables in which
parts of another indicator may be published, whether patterns carry forward within a year, and what the
attacker is assumed to know (last year's growth band, annual ≈ December band, reviewers' own provinces)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .loader import CatalogError, read_yaml
from .models import Indicator

TABLE_DIMENSIONS = ("region", "province", "city", "sector", "size_tier")
FILE = "disclosure.yaml"

Dimension = Literal["region", "province", "city", "sector", "size_tier"]


class Threshold(BaseModel):
    """Threshold rule: a cell of fewer than ``min_enterprises`` enterprises is not published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_enterprises: int = Field(ge=1)


class Dominance(BaseModel):
    """Dominance rule (n, k): a cell whose ``n`` largest enterprises hold more than ``k`` % is not published."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    n: int = Field(ge=1)
    k: float = Field(gt=0, le=100)


class DisclosureRules(BaseModel):
    """The disclosure-control parameters in force (validated when constructed, no I/O)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: Threshold
    dominance: Dominance
    protection_pct: float = Field(gt=0, lt=100)
    tables: tuple[tuple[Dimension, ...], ...]
    part_tables: tuple[tuple[Dimension, ...], ...] = ((),)
    carry_forward: bool = True
    last_year_band_pct: float = Field(default=20, ge=0, le=1000)
    annual_band_pct: float = Field(default=5, ge=0, le=100)
    reviewer_scopes: bool = True

    @field_validator("tables", "part_tables")
    @classmethod
    def _tables(cls, v: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        seen: set[frozenset[str]] = set()
        out = []
        for dims in v:
            key = frozenset(dims)
            if len(key) != len(dims):
                raise ValueError(f"a dimension is repeated in {list(dims)}")
            if "size_tier" in key and len(key) > 1:
                raise ValueError(f"size_tier is published on its own only, not in {list(dims)}")
            if key in seen:
                raise ValueError(f"table {list(dims)} is listed twice")
            seen.add(key)
            out.append(tuple(d for d in TABLE_DIMENSIONS if d in key))  # canonical order
        if frozenset() not in seen:
            raise ValueError("the national table [] must be published (it is every table's total)")
        return tuple(out)

    @model_validator(mode="after")
    def _part_tables_are_published(self) -> DisclosureRules:
        extra = set(self.part_tables) - set(self.tables)
        if extra:
            raise ValueError(f"part_tables {[list(t) for t in sorted(extra)]} are not in `tables`")
        return self

    def tables_for(self, indicator: Indicator) -> tuple[tuple[str, ...], ...]:
        """The tables in which ``indicator`` may be published: ``part_tables`` for a part of another indicator
        (a sub-sector revenue or an "of which" item), else ``tables``."""
        return self.part_tables if (indicator.sector or indicator.parent) else self.tables

    def table_of(self, indicator: Indicator, by: tuple[str, ...] | list[str]) -> tuple[str, ...] | None:
        """The table of ``indicator`` published by the dimensions ``by`` (any order), in canonical order, or None."""
        key = frozenset(by)
        return next(
            (t for t in self.tables_for(indicator) if frozenset(t) == key and len(key) == len(by)), None
        )


def load_disclosure_from(base: Path | None = None) -> DisclosureRules:
    """The disclosure parameters in folder ``base`` (default: the shipped catalog); a broken file raises
    :class:`CatalogError` naming the file, the key and the reason."""
    doc = read_yaml(FILE, base)
    try:
        rules = DisclosureRules.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"]) or "-"
        raise CatalogError(FILE, loc, first["msg"]) from exc
    return rules


@cache
def load_disclosure() -> DisclosureRules:
    """The shipped disclosure parameters (read once per process)."""
    return load_disclosure_from(None)
