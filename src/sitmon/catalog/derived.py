"""Derived indicators (派生指标) as data (``data/derived.yaml``): the figures computed from a published release
that plans track. Each names an expression of :mod:`sitmon.analyse.derived` and its parameters."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .catalog import Catalog, load_catalog, load_catalog_from
from .loader import CatalogError, build, read_yaml
from .models import Named

FILE = "derived.yaml"


class DerivedIndicator(Named, BaseModel):
    """One derived indicator: ``expression`` (a name in :data:`sitmon.analyse.derived.EXPRESSIONS`) applied
    with ``params`` to a full-year release; the result is in ``unit``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    unit: str
    expression: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    params: dict[str, Any] = Field(default_factory=dict)


def _check(items: tuple[DerivedIndicator, ...], catalog: Catalog) -> dict[str, DerivedIndicator]:
    out: dict[str, DerivedIndicator] = {}
    for d in items:
        if d.code in catalog.indicators:
            raise CatalogError(FILE, f"derived[{d.code}]", "the code is a reported indicator's")
        if d.unit not in catalog.units:
            raise CatalogError(FILE, f"derived[{d.code}].unit", f"unknown unit {d.unit!r}")
        out[d.code] = d
    return out


def load_derived_from(base: Path | None = None) -> dict[str, DerivedIndicator]:
    """The derived indicators in folder ``base`` (default: the shipped catalog) by code; a broken file raises
    :class:`CatalogError` naming the file, the key and the reason. (That ``expression`` and ``params`` fit an
    expression of :mod:`sitmon.analyse.derived` is checked there, one layer up.)"""
    items = build(DerivedIndicator, read_yaml(FILE, base).get("derived"), FILE, "derived")
    return _check(items, load_catalog() if base is None else load_catalog_from(base))


@cache
def load_derived() -> dict[str, DerivedIndicator]:
    """The shipped derived indicators (read once per process)."""
    return load_derived_from(None)
