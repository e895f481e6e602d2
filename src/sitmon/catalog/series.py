"""The published national annual series (全国年度公布数), shipped with their sources, as vintages.

A figure published more than once has two vintages (``data/series/vintages.yaml``): the value first published
and the later revision (2019: 71768 first, 72072 after the verified annual data). ``latest`` — the default
everywhere — uses the revision, ``first`` the first publication. Two reprints that disagree (not a revision)
are resolved by ``data/series/resolution.yaml`` with the reason stated. Every value stays visible; years
without a figure are gaps, never zeros.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from ..domain.messages import Label
from .loader import CatalogError, read_csv_rows, read_yaml

Vintage = Literal["latest", "first"]
VINTAGES: tuple[Vintage, ...] = ("latest", "first")
#: where a revised value that only the notes of official_citations.csv record was read
CITATION_NOTE = "official_citations.csv"  # where a revised value is read: the note of its citation


@dataclass(frozen=True)
class Observation:
    """One published figure: value in ``unit``, its source (where it was read) and original wording.

    ``used`` says whether it is the value in force in the latest vintage, ``in_first`` in the first vintage;
    ``vintage`` is ``first`` or ``revised`` for a figure published twice ("" when published once); ``why`` is
    the reason of a choice or what the revision was; ``reprint_only``: no official source was found for it."""

    year: int
    indicator: str
    value: float
    unit: str
    source: str
    quote: str
    used: bool = True
    why_zh: str = ""
    why_en: str = ""
    vintage: str = ""
    in_first: bool = True
    reprint_only: bool = False

    def in_force(self, vintage: Vintage = "latest") -> bool:
        """Whether this is the value of its (year, indicator) in ``vintage``."""
        return self.in_first if vintage == "first" else self.used

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

    def of(
        self, indicator: str, as_of: int | None = None, vintage: Vintage = "latest"
    ) -> dict[int, Observation]:
        """year → the observation in force in ``vintage`` for ``indicator`` (only years ≤ ``as_of`` when given)."""
        return {
            o.year: o
            for o in self.observations
            if o.indicator == indicator and o.in_force(vintage) and (as_of is None or o.year <= as_of)
        }

    def values(
        self, indicator: str, as_of: int | None = None, vintage: Vintage = "latest"
    ) -> dict[int, float]:
        """year → value in force (the observation's unit), as :meth:`of`."""
        return {y: o.value for y, o in self.of(indicator, as_of, vintage).items()}

    def all_of(self, indicator: str) -> list[Observation]:
        """Every observation of ``indicator`` including the ones not in force, by year (the latest's first)."""
        return sorted(
            (o for o in self.observations if o.indicator == indicator), key=lambda o: (o.year, not o.used)
        )

    def revised(self, indicator: str) -> list[int]:
        """Years of ``indicator`` whose first and latest vintages differ."""
        return sorted({o.year for o in self.observations if o.indicator == indicator and o.vintage})


def _number(value: Any, file: str, key: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise CatalogError(file, key, f"not a number: {value!r}") from exc
    if not math.isfinite(x):
        raise CatalogError(file, key, f"not a finite number: {value!r}")
    return x


def _rows() -> list[dict[str, Any]]:
    """The CSV rows and the revised values recorded only in official_citations.csv's notes."""
    rows: list[dict[str, Any]] = [dict(r) for r in read_csv_rows("series/published_national_annual.csv")]
    for i, r in enumerate(read_yaml("series/vintages.yaml").get("revised_values") or []):
        rows.append(
            {
                "year": r["year"],
                "indicator": r["indicator"],
                "value": r["value"],
                "unit": r["unit"],
                "source": CITATION_NOTE,
                "quote": r.get("quote", ""),
                "_where": f"revised_values[{i}]",
            }
        )
    return rows


@cache
def load_series() -> Series:
    """The shipped series with vintages and duplicates resolved; a duplicate that is neither a declared vintage
    nor a stated choice is a CatalogError."""
    vdoc = read_yaml("series/vintages.yaml")
    vintages = {(int(v["year"]), v["indicator"]): v for v in vdoc.get("vintages") or []}
    choices = {
        (int(c["year"]), c["indicator"]): c for c in read_yaml("series/resolution.yaml").get("choices") or []
    }
    groups: dict[tuple[int, str], list[tuple[dict[str, Any], float]]] = defaultdict(list)
    for i, r in enumerate(_rows()):
        where = r.get("_where", f"row {i + 2}")
        groups[(int(r["year"]), r["indicator"])].append((r, _number(r["value"], "series", where)))
    obs: list[Observation] = []
    for key, members in groups.items():
        values = [v for _, v in members]
        v_entry, choice = vintages.get(key), choices.get(key)
        if v_entry is not None:
            first = _number(v_entry["first"], "series/vintages.yaml", f"{key[0]} {key[1]}")
            revised = _number(v_entry["revised"], "series/vintages.yaml", f"{key[0]} {key[1]}")
            if first not in values or revised not in values or len(values) != 2:
                raise CatalogError(
                    "series/vintages.yaml",
                    f"{key[0]} {key[1]}",
                    f"first {first:g} and revised {revised:g} must be the two published values, "
                    f"found {', '.join(f'{v:g}' for v in values)}",
                )
            for r, v in members:
                kind = "revised" if v == revised else "first"
                obs.append(
                    Observation(
                        key[0],
                        key[1],
                        v,
                        r["unit"],
                        r["source"],
                        r["quote"],
                        used=kind == "revised",
                        why_zh=v_entry.get("revision_zh", ""),
                        why_en=v_entry.get("revision_en", ""),
                        vintage=kind,
                        in_first=kind == "first",
                    )
                )
            continue
        if len(members) > 1 and choice is None:
            raise CatalogError(
                "series/resolution.yaml",
                f"{key[0]} {key[1]}",
                "two published values and neither a vintage nor a stated choice",
            )
        use = _number(choice["use"], "series/resolution.yaml", f"{key[0]} {key[1]}") if choice else values[0]
        if use not in values:
            raise CatalogError(
                "series/resolution.yaml", f"{key[0]} {key[1]}", f"{use:g} is not a published value"
            )
        reprint_only = {float(x) for x in (choice or {}).get("reprint_only") or []}
        for r, v in members:
            obs.append(
                Observation(
                    key[0],
                    key[1],
                    v,
                    r["unit"],
                    r["source"],
                    r["quote"],
                    used=v == use,
                    why_zh=(choice or {}).get("why_zh", ""),
                    why_en=(choice or {}).get("why_en", ""),
                    in_first=v == use,
                    reprint_only=v in reprint_only,
                )
            )
    obs.sort(key=lambda o: (o.indicator, o.year, not o.used))
    return Series(tuple(obs))
