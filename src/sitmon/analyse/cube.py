"""Materialised aggregates of a release (the release's cube): what every published table of the release is
rolled up from, computed once when the release is published.

An *atom* is a non-empty (region, province, city, sector, size tier) group of the release's enterprises. Every
table a reader can ask for — any breakdown by those dimensions — is a sum of atoms, so per atom the release keeps
the number of enterprises and, per indicator ``x``:

- ``x`` = Σx, and for the indicators whose concentration is published ``x__sq`` = Σx² (the Herfindahl index of a
  cell is 10⁴ · Σx² / (Σx)²);
- over the comparable panel (同口径: enterprises that reported, not imputed, both in this release and in last
  year's release of the same period), per atom of the panel: ``panel`` enterprises, ``x__num`` = Σx_t and
  ``x__den`` = Σx_{t−1y}.

:func:`cube_atoms`, :func:`cube_panel` and :func:`cube_top` are the Ibis expressions that build the cube (run at
publish time);
:class:`Cells` and :func:`cube_measure` evaluate the measures of :mod:`sitmon.analyse.measures` on rolled-up
cells — the same definitions on a few hundred numbers instead of the micro-data (pure numpy, no I/O). The
conformance tests hold both evaluations equal for every dimension, measure and period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
import numpy as np

from .measures import with_size_tier

CUBE_DIMENSIONS = ("region", "province", "city", "sector", "size_tier")
TOP = 100
"""How many of the largest values a cube keeps (CR4, CR10, CR100)."""
TOP_INDICATORS = ("revenue_total",)
"""The indicators whose concentration bulletins publish: the cube keeps their largest values."""


def cube_atoms(
    current: ir.Table, indicators: Sequence[str], squares: Sequence[str] = TOP_INDICATORS
) -> ir.Table:
    """Per atom of ``current`` (one release): ``enterprises``, and per indicator ``x`` the column ``x`` (Σx), and
    ``x__sq`` (Σx²) for the indicators of ``squares`` (whose concentration is published). Values in the form's
    unit; a sum over no value is NULL, as in :func:`~sitmon.analyse.measures.level`."""
    cur = with_size_tier(current)
    agg: dict[str, ir.Value] = {"enterprises": cur.enterprise_key.count()}
    for x in indicators:
        v = cur[x].cast("float64")
        agg[x] = v.sum()
        if x in squares:
            agg[f"{x}__sq"] = (v * v).sum()
    return cur.group_by(list(CUBE_DIMENSIONS)).aggregate(**agg)


def cube_panel(current: ir.Table, last_year: ir.Table, indicators: Sequence[str]) -> ir.Table:
    """Per atom of the comparable panel (enterprises that reported, not imputed, in ``current`` and in
    ``last_year``; cells by this period's attributes, as :func:`~sitmon.analyse.measures.comparable_yoy`):
    ``panel`` (enterprises) and per indicator ``x__num`` = Σx_t and ``x__den`` = Σx_{t−1y}."""
    cur = with_size_tier(current)
    mine = cur.filter(~cur.imputed)
    ly = last_year.filter(~last_year.imputed)
    ly = ly.select(key__ly=ly.enterprise_key, **{f"{x}__ly": ly[x].cast("float64") for x in indicators})
    both = mine.inner_join(ly, mine.enterprise_key == ly.key__ly)
    agg: dict[str, ir.Value] = {"panel": both.enterprise_key.count()}
    for x in indicators:
        agg[f"{x}__num"] = both[x].cast("float64").sum()
        agg[f"{x}__den"] = both[f"{x}__ly"].sum()
    return both.group_by(list(CUBE_DIMENSIONS)).aggregate(**agg)


def cube_top(current: ir.Table, indicators: Sequence[str], n: int = TOP) -> ir.Table:
    """The ``n`` largest values of each indicator in ``current``: columns ``indicator``, ``value`` (form's unit)."""
    parts = []
    for x in indicators:
        d = current.filter(current[x].notnull())
        parts.append(
            d.select(indicator=ibis.literal(x), value=d[x].cast("float64"))
            .order_by(ibis.desc("value"))
            .limit(n)
        )
    return ibis.union(*parts)


@dataclass
class Cells:
    """One table rolled up from a cube's atoms: ``keys`` (dimension values in ``dims`` order) and, per column of
    the cube, the sums over each key's atoms (NaN where every atom's value is missing)."""

    dims: tuple[str, ...]
    keys: list[tuple]
    columns: dict[str, np.ndarray]
    index: dict[tuple, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {k: i for i, k in enumerate(self.keys)}

    def column(self, name: str) -> np.ndarray:
        """The sums of column ``name`` per key."""
        return self.columns[name]

    def aligned(self, name: str, keys: Sequence[tuple]) -> np.ndarray:
        """Column ``name`` at ``keys`` (NaN for a key this table does not have)."""
        col = self.columns[name]
        idx = np.array([self.index.get(k, -1) for k in keys], dtype=np.int64)
        out = np.full(len(keys), np.nan)
        hit = idx >= 0
        out[hit] = col[idx[hit]]
        return out


@dataclass
class Atoms:
    """A cube's atoms prepared for rolling up: per dimension the code of every atom (a missing value is a code
    of its own) and its labels, and the atoms × columns matrix of sums (NaN where missing)."""

    codes: dict[str, np.ndarray]
    labels: dict[str, list]
    names: list[str]
    values: np.ndarray

    @classmethod
    def of(cls, dims: Mapping[str, Sequence[object]], columns: Mapping[str, np.ndarray]) -> Atoms:
        """Atoms from the dimension values (one list per dimension) and the numeric columns of a cube."""
        codes, labels = {}, {}
        for d, values in dims.items():
            seen: dict[object, int] = {}
            codes[d] = np.array([seen.setdefault(_key(v), len(seen)) for v in values], dtype=np.int64)
            labels[d] = list(seen)
        names = list(columns)
        n = len(next(iter(codes.values()))) if codes else 0
        matrix = (
            np.column_stack([np.asarray(columns[c], dtype=float) for c in names])
            if names
            else np.empty((n, 0))
        )
        return cls(codes, labels, names, matrix)

    def rollup(self, dims: Sequence[str]) -> Cells:
        """The cells of the table ``dims`` (a missing dimension value is a cell of its own, as in a GROUP BY) with
        the sums of every column over their atoms; a sum over only missing values is NaN."""
        dims = tuple(dims)
        n = self.values.shape[0]
        if n == 0:
            return Cells(dims, [], {c: np.array([]) for c in self.names})
        combined = np.zeros(n, dtype=np.int64)
        for d in dims:
            combined = combined * len(self.labels[d]) + self.codes[d]
        groups, inverse = np.unique(combined, return_inverse=True)
        parts = []
        rest = groups.copy()
        for d in reversed(dims):
            size = len(self.labels[d])
            parts.append([self.labels[d][c] for c in (rest % size).tolist()])
            rest //= size
        keys = list(zip(*reversed(parts), strict=True)) if dims else [()]
        order = np.argsort(inverse, kind="stable")
        starts = np.r_[0, np.flatnonzero(np.diff(inverse[order])) + 1]
        vals = self.values[order]
        known = ~np.isnan(vals)
        sums = np.add.reduceat(np.where(known, vals, 0.0), starts, axis=0)
        seen = np.add.reduceat(known, starts, axis=0)
        out = np.where(seen > 0, sums, np.nan)
        return Cells(dims, keys, {c: out[:, j] for j, c in enumerate(self.names)})


def _key(value: object) -> object:
    return None if value is None or (isinstance(value, float) and value != value) else value


@dataclass(frozen=True)
class MeasureInputs:
    """What a measure of one period needs: the cells of this period, of the previous month (None: January, or
    not published), of the same period last year (None: not published), and of this period's comparable panel
    against last year's release in force (None: the measure is not comparable growth)."""

    current: Cells
    national: Cells
    previous: Cells | None = None
    last_year: Cells | None = None
    last_year_national: Cells | None = None
    panel: Cells | None = None


def cube_measure(name: str, indicator: str, data: MeasureInputs) -> list[tuple[tuple, float | None]]:
    """The cells of measure ``name`` (see :data:`sitmon.analyse.measures.MEASURES`) of ``indicator``, as
    (key, value) pairs: levels in the form's unit, growth, shares and contributions in percent or percentage
    points; None where the measure has no value (no base, a zero base)."""
    cur = data.current
    keys = cur.keys
    x = cur.column(indicator)
    if name in ("level", "ytd"):
        values = x
    elif name == "month":
        prev = data.previous.aligned(indicator, keys) if data.previous is not None else np.zeros(len(keys))
        values = x - np.nan_to_num(prev, nan=0.0)
    elif name == "yoy":
        ly = (
            data.last_year.aligned(indicator, keys)
            if data.last_year is not None
            else np.full(len(keys), np.nan)
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(ly > 0, (x / ly - 1) * 100, np.nan)
    elif name == "yoy_comparable":
        if data.panel is None:
            raise ValueError("comparable growth needs the panel's cells")
        pk = data.panel.keys
        num, den = data.panel.column(f"{indicator}__num"), data.panel.column(f"{indicator}__den")
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(den > 0, (num / den - 1) * 100, np.nan)
        out = [(k, _value(v)) for k, v in zip(pk, growth, strict=True)]
        return out if out or cur.dims else [((), None)]  # the national cell exists even without a panel
    elif name == "share":
        total = data.national.column(indicator)[0] if data.national.keys else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            values = x / total * 100
    elif name == "contribution":
        ly = data.last_year.aligned(indicator, keys) if data.last_year is not None else np.zeros(len(keys))
        nat = data.last_year_national
        base = nat.column(indicator)[0] if nat is not None and nat.keys else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            values = (x - np.nan_to_num(ly, nan=0.0)) / base * 100
    else:
        raise KeyError(name)
    return [(k, _value(v)) for k, v in zip(keys, values, strict=True)]


def _value(v: float) -> float | None:
    return None if v != v or v in (np.inf, -np.inf) else float(v)


def concentration_of(
    top: Sequence[float], total: float, squares: float, enterprises: int
) -> dict[str, float]:
    """CR4, CR10, CR100 (percent of ``total`` held by the 4/10/100 largest of ``top``) and the Herfindahl–Hirschman
    index HHI = 10⁴ · Σx² / (Σx)² (0–10,000), with the number of ``enterprises``."""
    ordered = sorted(top, reverse=True)
    return {
        "cr4": sum(ordered[:4]) / total * 100,
        "cr10": sum(ordered[:10]) / total * 100,
        "cr100": sum(ordered[:100]) / total * 100,
        "hhi": squares / total**2 * 1e4,
        "enterprises": enterprises,
    }


__all__ = [
    "CUBE_DIMENSIONS",
    "TOP",
    "TOP_INDICATORS",
    "Atoms",
    "Cells",
    "MeasureInputs",
    "concentration_of",
    "cube_atoms",
    "cube_measure",
    "cube_panel",
    "cube_top",
]
