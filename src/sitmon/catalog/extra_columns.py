"""Columns that are not indicators but that enterprises put in their report files (企业名称, 联系人, 填表人,
电话 ...): data in ``data/extra_columns.yaml``, so the list grows with a YAML change."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .loader import CatalogError, read_yaml


def load_extra_columns_from(base: Path | None = None) -> tuple[str, ...]:
    """The names of the extra columns the intake ignores (as written in the file ``extra_columns.yaml`` of
    ``base``, default: the shipped catalog)."""
    doc = read_yaml("extra_columns.yaml", base)
    names = doc.get("extra_columns")
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise CatalogError("extra_columns.yaml", "extra_columns", "expected a list of non-empty column names")
    return tuple(n.strip() for n in names)


@cache
def load_extra_columns() -> tuple[str, ...]:
    """The shipped list of extra columns (read once per process)."""
    return load_extra_columns_from(None)
