"""The published regional figures of 2024 (``data/series/published_regional_2024.csv``): macro-region levels
and growth, the growth of the five largest provinces, and national sub-items. They calibrate the synthetic
demo population and check bulletins; each figure carries its source."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from .loader import CatalogError, read_csv_rows

#: the CSV's area codes of the macro regions → the catalog's macro-region codes
MACRO_AREAS = ("east", "central", "west", "northeast")


@dataclass(frozen=True)
class RegionalFigure:
    """One published figure: ``value`` in ``unit`` (None when only the growth was published) and ``yoy_pct``
    (published growth on a comparable basis, percent, or None) of ``indicator`` for ``area_code`` (a macro
    region, a GB/T 2260 province code, ``top5`` or ``national``) in ``year``."""

    year: int
    area: str
    area_code: str
    indicator: str
    value: float | None
    unit: str
    yoy_pct: float | None
    source: str


def _number(text: str, where: str) -> float | None:
    if not text.strip():
        return None
    try:
        x = float(text)
    except ValueError as exc:
        raise CatalogError("series/published_regional_2024.csv", where, f"not a number: {text!r}") from exc
    if not math.isfinite(x):
        raise CatalogError("series/published_regional_2024.csv", where, f"not a finite number: {text!r}")
    return x


@cache
def load_regional() -> tuple[RegionalFigure, ...]:
    """Every row of the published regional figures, in file order."""
    return tuple(
        RegionalFigure(
            int(r["year"]),
            r["area"],
            r["area_code"],
            r["indicator"],
            _number(r["value"], f"row {i + 2} value"),
            r["unit"],
            _number(r["yoy_pct"], f"row {i + 2} yoy_pct"),
            r["source"],
        )
        for i, r in enumerate(read_csv_rows("series/published_regional_2024.csv"))
    )
