"""What an attacker knows besides the published cells of a release, and what each suppressed cell needs.

- **Earlier releases of the same period** (``known``): a cell published in an earlier release with the value it
  has now is known exactly, suppressed or not (the attacker reads the two releases side by side; a revision
  changes only the cells that contain the revised enterprise).
- **A priori bounds** (``lower``, ``upper``): last month's published year-to-date value bounds this month's from
  below (YTD does not fall); last year's published value and the published growth of the cell's parent table
  bound it on both sides (growth within ± ``last_year_band`` of the parent's); the annual value lies within a
  band of the December YTD. Bounds that the true value breaks are dropped (the attacker cannot hold them).
- **A reviewer's own province** (``scopes``): a provincial reviewer sees every report of its province, so its
  cells (and its part of every larger cell and of every size tier) are known to that reviewer.

Protection (τ-Argus' convention): a *primary* cell (threshold, dominance, zero) needs its interval to reach
``protection_pct`` % below and above its value — the part of it outside the reviewer's province, for a
reviewer — but never beyond what the attacker knew before this release (:class:`PriorRoom`: the interval with
every cell of the release suppressed; what was known before cannot be widened, only not narrowed). A cell
carried from last month must leave its last month's value ``protection_pct`` % of room above (YTD_{t−1} ≤ YTD_t).
Secondary cells need no interval of their own: they pass both rules, so even their exact value would reveal no
enterprise; they are suppressed only to give the primary cells their room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .cells import LinkedTables
from .rules import DOMINANCE, THRESHOLD, ZERO

PRIMARY = (THRESHOLD, DOMINANCE, ZERO)


@dataclass(frozen=True)
class Scope:
    """One reviewer's province: ``cells`` inside it (known), ``part`` of every cell that lies in it (the form's
    unit) and ``var_lower``: the least value of each unknown given that part (size tiers hold the province's
    enterprises)."""

    name: str
    cells: np.ndarray
    part: np.ndarray
    var_lower: np.ndarray


@dataclass
class Knowledge:
    """The attacker's knowledge for one release and indicator (arrays per cell of the linked tables)."""

    known: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    carried_value: np.ndarray  # last month's value of a cell carried forward (nan: not carried)
    scopes: list[Scope] = field(default_factory=list)

    @classmethod
    def none(cls, linked: LinkedTables) -> Knowledge:
        """Only the published cells of this release (the attacker of the plain audit)."""
        n = linked.n_cells
        return cls(
            known=np.zeros(n, bool),
            lower=np.full(n, -np.inf),
            upper=np.full(n, np.inf),
            carried_value=np.full(n, np.nan),
        )

    def bound(self, lower: np.ndarray, upper: np.ndarray, values: np.ndarray) -> None:
        """Add a priori bounds (per cell; ±inf: none), keeping only those the true ``values`` satisfy."""
        lower, upper = np.asarray(lower, float), np.asarray(upper, float)
        ok_lo = ~np.isnan(lower) & (lower <= values + 1e-9 * np.abs(values))
        ok_hi = ~np.isnan(upper) & (upper >= values - 1e-9 * np.abs(values))
        self.lower = np.where(ok_lo, np.maximum(self.lower, np.minimum(lower, values)), self.lower)
        self.upper = np.where(ok_hi, np.minimum(self.upper, np.maximum(upper, values)), self.upper)


def province_scopes(linked: LinkedTables, tier_parts: dict[str, np.ndarray] | None = None) -> list[Scope]:
    """One :class:`Scope` per province of the atoms. ``tier_parts``: province → Σ of its enterprises in each
    size tier (in ``linked.tier_labels`` order); without it a reviewer is assumed to know nothing of the tiers."""
    atoms = linked.atoms
    n_atoms = len(atoms)
    inc = linked.incidence.tocsr()
    n_vars = inc.shape[1]
    out = []
    for prov in sorted({str(p) for p in atoms.province}):
        in_p = np.zeros(n_vars, bool)
        in_p[:n_atoms] = (atoms.province.astype(str) == prov).to_numpy()
        x = np.where(in_p, linked.truth, 0.0)
        var_lower = np.zeros(n_vars)
        if tier_parts is not None and prov in tier_parts and n_vars > n_atoms:
            var_lower[n_atoms:] = np.asarray(tier_parts[prov], float)
            x[n_atoms:] = var_lower[n_atoms:]
        part = inc @ x
        counts_in = inc @ in_p.astype(float)
        counts = np.asarray(inc.sum(axis=1)).ravel()
        cells = (counts > 0) & (counts_in == counts)
        out.append(Scope(prov, cells, np.asarray(part, float), var_lower))
    return out


def requirements(
    linked: LinkedTables,
    flags: np.ndarray,
    protection_pct: float,
    knowledge: Knowledge,
    scope: Scope | None = None,
    zero_room: float | np.ndarray = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """How far below and above its value each cell's attacker interval must reach (the form's unit; 0: no
    need): primary cells ± p·|value| (for a reviewer: of the part outside its province; a zero cell:
    ``zero_room`` above), carried cells p of last month's value above, all capped by the a priori bounds."""
    p = protection_pct / 100.0
    v = linked.values()
    primary = np.isin(flags.astype(object), PRIMARY)
    zero = flags.astype(object) == ZERO
    rest = np.abs(v - scope.part) if scope is not None else np.abs(v)
    below = np.where(primary & ~zero, p * rest, 0.0)
    above = np.where(primary & ~zero, p * rest, 0.0)
    above = np.where(zero, zero_room, above)
    carried = ~np.isnan(knowledge.carried_value)
    above = np.where(carried, np.maximum(above, (1 + p) * np.nan_to_num(knowledge.carried_value) - v), above)
    above = np.minimum(np.maximum(above, 0.0), knowledge.upper - v)
    below = np.minimum(np.maximum(below, 0.0), v - knowledge.lower)
    if scope is not None:
        below[scope.cells], above[scope.cells] = 0.0, 0.0
    return below, above


class PriorRoom:
    """What the attacker knows before this release: the room each cell has when every cell of the release is
    suppressed (only the a priori bounds, the known cells and, for a reviewer, its province). A release cannot
    widen what was known before; it must not narrow it further. Solved lazily, one cell at a time."""

    def __init__(
        self, linked: LinkedTables, nonnegative: bool, knowledge: Knowledge, scope: Scope | None
    ) -> None:
        self.args = (linked, nonnegative, knowledge, scope)
        self._lp: Any = None
        self._done: dict[tuple[int, bool], float] = {}

    def cap(self, cell: int, upper: bool, need: float) -> float:
        """``need`` (room below or above the value of ``cell``, the form's unit) capped by the prior room."""
        key = (cell, upper)
        if key not in self._done:
            linked, nonnegative, knowledge, scope = self.args
            if self._lp is None:
                from .lp import AttackerLP

                values = linked.values()
                lower = np.maximum(knowledge.lower, 0.0) if nonnegative else knowledge.lower
                known = knowledge.known | (scope.cells if scope is not None else False)
                self._lp = AttackerLP(
                    linked,
                    np.ones(linked.n_cells, bool),
                    nonnegative,
                    values - lower,
                    knowledge.upper - values,
                    known=known,
                    var_lower=scope.var_lower if scope is not None and nonnegative else None,
                )
            v = float(linked.values()[cell])
            bound = self._lp.room(cell, upper).value
            self._done[key] = max(bound - v, 0.0) if upper else max(v - bound, 0.0)
        return min(need, self._done[key])
