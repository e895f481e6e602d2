"""The linked tables of one release as cells over unknowns: what an attacker sees and solves.

Unknowns (LP variables) are the atoms — the non-empty (province, city, sector) groups, whose existence the
public registry reveals — and one variable per size tier. A geographic or sector cell is the sum of its atoms;
the national total is the sum of all atoms and also of all size tiers (the tiers cut across atoms, and with
unknown cross-classification the two partitions are linked only through that total). Cell statistics
(enterprises, sums, largest contributions) are merged from the atoms' so the rules see every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .stats import GEO_DIMENSIONS, TIER_DIMENSIONS

#: dimensions each dimension determines (a city lies in one province, a province in one macro region)
_IMPLIES = {
    "city": {"city", "province", "region"},
    "province": {"province", "region"},
    "region": {"region"},
    "sector": {"sector"},
}
#: tie-break per level of aggregation: between two choices that hide the same amount, the one deeper in the
#: tables wins (a margin holds no more information than its children together, but readers look at it first)
LEVEL_TIE = 0.01


def table_name(dims: Sequence[str]) -> str:
    """Name of the table with dimensions ``dims``: ``national``, ``province``, ``province_sector``, …"""
    return "_".join(dims) or "national"


@dataclass
class LinkedTables:
    """Cells of the linked tables of one release over one set of unknowns.

    ``truth`` holds the value of every unknown (atoms, then size tiers), ``atoms`` the dimensions of each atom
    and ``tier_labels`` the size tier of each tier unknown (CONFIDENTIAL: what the audit compares against).

    ``cells`` has one row per cell: ``table``, the dimension columns (None where a table lacks the dimension),
    ``n``, ``sum``, ``abs`` and ``top1``… of the indicator; row ``i`` of
    ``incidence`` says which unknowns cell ``i`` sums; ``links`` are equations Σ = 0 that always hold among the
    unknowns (national = Σ tiers); ``equations`` are the parent = Σ children relations between cells, parent
    first, that secondary suppression closes over.
    """

    tables: tuple[tuple[str, ...], ...]
    indicator: str
    top: int
    cells: pd.DataFrame
    incidence: sparse.csr_matrix
    links: sparse.csr_matrix
    equations: list[np.ndarray]
    truth: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    atoms: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    tier_labels: tuple[str, ...] = ()
    _index: dict[tuple[str, tuple], int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        dims_of = {table_name(d): d for d in self.tables}
        for i, (name, row) in enumerate(zip(self.cells.table, self.cells.to_dict("records"), strict=True)):
            self._index[(name, tuple(row[d] for d in dims_of[name]))] = i

    def index(self, table: str, key: tuple) -> int:
        """Row of the cell ``key`` (dimension values in the table's order) of ``table``; KeyError if absent."""
        return self._index[(table, tuple(key))]

    def __contains__(self, cell: object) -> bool:
        """Whether ``(table, key)`` is a cell of these tables."""
        return cell in self._index

    def key(self, i: int) -> tuple:
        """Dimension values of cell ``i`` in its table's order."""
        name = self.cells.table.iat[i]
        dims = next(d for d in self.tables if table_name(d) == name)
        return tuple(self.cells[d].iat[i] for d in dims)

    def values(self) -> np.ndarray:
        """Σ of the indicator in every cell (the form's unit)."""
        return self.cells["sum"].to_numpy(dtype=float)

    @property
    def n_cells(self) -> int:
        """Number of cells over all tables."""
        return len(self.cells)


def _merge(parts: pd.DataFrame, gid: np.ndarray, top: int) -> pd.DataFrame:
    """Statistics of the groups ``gid`` (−1: in no group) of ``parts``: counts and sums add, the top-n of a
    union is the top-n of its parts' top-n."""
    keep = gid >= 0
    p, g = parts[keep], gid[keep]
    out = p[["n", "sum", "abs"]].groupby(g).sum()
    if top == 0 or len(out) == 0:
        return out
    tops = np.column_stack([p[f"top{i + 1}"].to_numpy(dtype=float) for i in range(top)])
    gg, vv = np.repeat(g, top), tops.ravel()
    order = np.lexsort((-vv, gg))
    gg, vv = gg[order], vv[order]
    first = np.r_[0, np.flatnonzero(np.diff(gg)) + 1]
    rank = np.arange(len(gg)) - np.repeat(first, np.diff(np.r_[first, len(gg)]))
    row = np.searchsorted(out.index.to_numpy(), gg)
    wide = np.zeros((len(out), top))
    sel = rank < top
    wide[row[sel], rank[sel]] = vv[sel]
    for i in range(top):
        out[f"top{i + 1}"] = wide[:, i]
    return out


def build_linked(
    atoms: pd.DataFrame, tiers: pd.DataFrame, published: Sequence[Sequence[str]], indicator: str, top: int
) -> LinkedTables:
    """The :class:`LinkedTables` of one period from its atom and size-tier statistics
    (:func:`~sitmon.analyse.disclosure.stats.release_stats`, executed, rows of that period); ``tables`` are the
    published dimension sets (``published``: ``[]`` national, ``[province, sector]``, ``[city]``, ``[size_tier]``…)."""
    # a fixed order (engines return groups in any order) keeps the pattern search deterministic
    atoms = atoms.sort_values(list(GEO_DIMENSIONS), na_position="first").reset_index(drop=True)
    tiers = tiers.sort_values(list(TIER_DIMENSIONS)).reset_index(drop=True)
    n_atoms = len(atoms)
    tables: tuple[tuple[str, ...], ...] = tuple(tuple(t) for t in published)
    has_tiers = any(t == TIER_DIMENSIONS for t in tables)
    n_vars = n_atoms + (len(tiers) if has_tiers else 0)
    frames, rows, cols, gids = [], [], [], {}
    start = 0
    for dims in tables:
        if dims == TIER_DIMENSIONS:
            part = tiers.copy()
            part.index = np.arange(len(tiers))
            idx = np.arange(len(tiers))
            rows.append(start + idx)
            cols.append(n_atoms + idx)
        else:
            if not set(dims) <= set(GEO_DIMENSIONS):
                raise ValueError(f"cannot publish a table by {list(dims)}")
            mask = atoms.city.notna().to_numpy() if "city" in dims else np.ones(n_atoms, bool)
            gid = np.full(n_atoms, -1)
            sub = atoms[mask]
            if dims:
                g = sub.groupby(list(dims), sort=True, dropna=False).ngroup().to_numpy()
                gid[mask] = g
                first = pd.Series(np.arange(len(sub))).groupby(g).first().to_numpy()
            else:
                gid[:] = 0
            part = _merge(atoms, gid, top)
            for d in dims:
                part[d] = sub[d].to_numpy()[first]
            rows.append(start + gid[gid >= 0])
            cols.append(np.flatnonzero(gid >= 0))
            gids[dims] = gid
        part = part.reset_index(drop=True)
        part.insert(0, "table", table_name(dims))
        frames.append(part)
        start += len(part)
    cells = pd.concat(frames, ignore_index=True)
    for d in (*GEO_DIMENSIONS, *TIER_DIMENSIONS):
        if d not in cells.columns:
            cells[d] = None
        cells[d] = cells[d].astype(object).where(cells[d].notna(), None)
    r, c = np.concatenate(rows), np.concatenate(cols)
    incidence = sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(cells), n_vars))
    links = sparse.csr_matrix((0, n_vars))
    if has_tiers and () in gids:
        coef = np.concatenate([-np.ones(n_atoms), np.ones(n_vars - n_atoms)])
        links = sparse.csr_matrix(coef.reshape(1, -1))
    truth = atoms["sum"].to_numpy(dtype=float)
    labels: tuple[str, ...] = ()
    if has_tiers:
        truth = np.concatenate([truth, tiers["sum"].to_numpy(dtype=float)])
        labels = tuple(str(t) for t in tiers.size_tier)
    linked = LinkedTables(
        tables=tables,
        indicator=indicator,
        top=top,
        cells=cells,
        incidence=incidence,
        links=links,
        equations=[],
        truth=truth,
        atoms=atoms[list(GEO_DIMENSIONS)].copy(),
        tier_labels=labels,
    )
    linked.equations = _equations(linked, gids, has_tiers)
    return linked


def _closure(dims: Sequence[str]) -> set[str]:
    return set().union(*(_IMPLIES[d] for d in dims)) if dims else set()


def _equations(
    linked: LinkedTables, gids: dict[tuple[str, ...], np.ndarray], has_tiers: bool
) -> list[np.ndarray]:
    """parent = Σ children for every pair of published tables where the child table refines the parent directly
    (no published table in between: province × sector → province, not → region) and covers all of the parent
    cell's atoms (a city table does not cover municipalities: no equation there); and national = Σ size tiers.
    Relations through an intermediate table are sums of these."""
    offset = {}
    for name, first in linked.cells.reset_index().groupby("table", sort=False)["index"].min().items():
        offset[name] = int(first)
    eqs: list[np.ndarray] = []
    for pdims, pg in gids.items():
        for cdims, cg in gids.items():
            if not refines(cdims, pdims) or any(refines(cdims, m) and refines(m, pdims) for m in gids):
                continue
            covered = cg >= 0
            parent_of_child: dict[int, int] = {}
            for a in np.flatnonzero(covered):
                parent_of_child.setdefault(int(cg[a]), int(pg[a]))
            complete = {p for p in np.unique(pg[pg >= 0]) if covered[pg == p].all()}
            children: dict[int, list[int]] = {}
            for ch, par in parent_of_child.items():
                if par in complete:
                    children.setdefault(par, []).append(ch)
            if table_name(pdims) not in offset or table_name(cdims) not in offset:
                continue  # a table without cells (no listed city in the release)
            po, co = offset[table_name(pdims)], offset[table_name(cdims)]
            for par, chs in children.items():
                eqs.append(np.array([po + par, *[co + ch for ch in sorted(chs)]]))
    if has_tiers and () in gids:
        nat, tier0 = offset["national"], offset[table_name(TIER_DIMENSIONS)]
        n_tiers = int((linked.cells.table == table_name(TIER_DIMENSIONS)).sum())
        eqs.append(np.array([nat, *range(tier0, tier0 + n_tiers)]))
    return eqs


def refines(child: Sequence[str], parent: Sequence[str]) -> bool:
    """Whether every cell of table ``child`` lies inside one cell of table ``parent`` (a city in a province,
    province × sector in a province, anything in the national total)."""
    child, parent = tuple(child), tuple(parent)
    if child == parent:
        return False
    if TIER_DIMENSIONS in (child, parent):
        return parent == ()
    return set(parent) <= _closure(child)


def table_levels(published: Sequence[Sequence[str]]) -> dict[str, int]:
    """Aggregation level of each table: 0 for a table no other published table refines (province × sector,
    city, size tier), else 1 + the highest level among the tables that refine it (national: 3)."""
    tables = [tuple(t) for t in published]
    level: dict[tuple[str, ...], int] = {}

    def of(t: tuple[str, ...]) -> int:
        if t not in level:
            level[t] = max((1 + of(c) for c in tables if refines(c, t)), default=0)
        return level[t]

    return {table_name(t): of(t) for t in tables}


def cell_costs(linked: LinkedTables) -> np.ndarray:
    """What suppressing each cell costs: its Σ|x| — the information lost, as τ-Argus' cost "cell value" — times
    1 + :data:`LEVEL_TIE` × its table's aggregation level (:func:`table_levels`) to break ties (the form's unit)."""
    levels = table_levels(linked.tables)
    weight = 1.0 + LEVEL_TIE * linked.cells.table.map(levels).to_numpy(dtype=float)
    return linked.cells["abs"].to_numpy(dtype=float) * weight
