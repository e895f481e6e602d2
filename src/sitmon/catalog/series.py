"""The published national annual series (全国年度公布数), shipped with their sources.

Duplicates are resolved by ``data/series/resolution.yaml`` (latest revision wins, reason stated) and stay
visible; years without a figure are gaps, never zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..domain.messages import Label
from .loader import CatalogError, read_csv_rows, read_yaml


@dataclass(frozen=True)
class Observation:
    """One published figure: value in ``unit``, its source and original wording; ``used`` says whether it is
    the value in force for its (year, indicator), ``why`` the reason when a duplicate was resolved."""

    year: int
    indicator: str
    value: float
    unit: str
    source: str
    quote: str
    used: bool = True
    why_zh: str = ""
    why_en: str = ""

    @property
    def why(self) -> Label:
        """Why this figure is (or is not) the one in force, when a duplicate was resolved (empty otherwise)."""
        return Label(self.why_zh, self.why_en)


@dataclass(frozen=True)
class Series:
    """All observations, and lookups of the values in force."""

    observations: tuple[Observation, ...]

    def indicators(self) -> list[str]:
        """Indicator codes present, sorted."""
        return sorted({o.indicator for o in self.observations})

    def of(self, indicator: str, as_of: int | None = None) -> dict[int, Observation]:
        """year → the observation in force for ``indicator`` (only years ≤ ``as_of`` when given)."""
        return {o.year: o for o in self.observations if o.indicator == indicator and o.used
                and (as_of is None or o.year <= as_of)}

    def all_of(self, indicator: str) -> list[Observation]:
        """Every observation of ``indicator`` including the duplicates not used, by year."""
        return sorted((o for o in self.observations if o.indicator == indicator), key=lambda o: (o.year, not o.used))


@cache
def load_series() -> Series:
    """The shipped series with duplicates resolved; a duplicate without a stated choice is a CatalogError."""
    choices = {(c["year"], c["indicator"]): c for c in read_yaml("series/resolution.yaml").get("choices", [])}
    rows = read_csv_rows("series/published_national_annual.csv")
    seen: dict[tuple[int, str], int] = {}
    for r in rows:
        key = (int(r["year"]), r["indicator"])
        seen[key] = seen.get(key, 0) + 1
    obs = []
    for i, r in enumerate(rows):
        key = (int(r["year"]), r["indicator"])
        value = float(r["value"])
        used, why_zh, why_en = True, "", ""
        if seen[key] > 1:
            choice = choices.get(key)
            if choice is None:
                raise CatalogError("series/resolution.yaml", f"{key[0]} {key[1]}",
                                   f"two published values and no stated choice (row {i + 2} of the CSV)")
            used = value == float(choice["use"])
            why_zh, why_en = choice.get("why_zh", ""), choice.get("why_en", "")
        obs.append(Observation(key[0], key[1], value, r["unit"], r["source"], r["quote"], used, why_zh, why_en))
    return Series(tuple(obs))
