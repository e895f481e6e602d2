"""The attacker audit: for a suppressed cell, the smallest and largest value consistent with every published
cell of the linked tables, the totals and non-negativity — two linear programs solved by HiGHS (SciPy).

The attacker knows every published cell (each is an equation Σ unknowns = value), which atoms exist (the
public registry), that the national total is also the sum of the size tiers, and that the indicator is
non-negative where the catalog says so (total profit may be negative: its unknowns are free, so its interval
is finite only when the published equations determine the cell). A cell is protected when its interval
reaches ±``protection_pct`` % of its true value: min ≤ v − p|v| and max ≥ v + p|v| (a zero cell: min < max).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from .cells import LinkedTables

#: relative tolerance of the comparisons (the LP is solved on values scaled to the largest published cell)
REL_TOL = 1e-7
_HIGHS = {"presolve": False}  # the LPs are small; without presolve they solve faster, to the same bounds


@dataclass(frozen=True)
class CellAudit:
    """The attacker's interval for one suppressed cell and indicator (the form's unit; ±inf when unbounded)."""

    cell: int
    table: str
    key: tuple
    indicator: str
    value: float
    lo: float
    hi: float
    protected: bool
    binding: tuple[int, ...] = ()  # published cells whose equations hold a failing bound in place
    solutions: tuple[np.ndarray, ...] = field(default=(), repr=False, compare=False)  # unknowns at min, max

    @property
    def lo_pct(self) -> float:
        """How far below the true value the attacker's minimum lies, % of |value| (inf when unbounded)."""
        return _pct(self.value - self.lo, self.value)

    @property
    def hi_pct(self) -> float:
        """How far above the true value the attacker's maximum lies, % of |value| (inf when unbounded)."""
        return _pct(self.hi - self.value, self.value)


def _pct(d: float, v: float) -> float:
    if np.isinf(d):
        return float("inf")
    return float(d / abs(v) * 100) if v else (0.0 if d == 0 else float("inf"))


class Attacker:
    """The attacker's linear programs for the linked tables under one pattern (``suppressed``: bool per cell)."""

    def __init__(self, linked: LinkedTables, suppressed: np.ndarray, nonnegative: bool, protection_pct: float
                 ) -> None:
        self.linked, self.p = linked, protection_pct / 100.0
        self.values = linked.values()
        self.published = np.flatnonzero(~np.asarray(suppressed, bool))
        known = self.values[self.published]
        self.scale = float(np.abs(self.values).max()) or 1.0
        self.a_eq = sparse.vstack([linked.incidence[self.published], linked.links]).tocsr()
        self.b_eq = np.concatenate([known, np.zeros(linked.links.shape[0])]) / self.scale
        self.bounds = (0, None) if nonnegative else (None, None)

    def _solve(self, objective: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
        if self.a_eq.shape[0] == 0:
            res = linprog(objective, bounds=self.bounds, method="highs", options=_HIGHS)
        else:
            res = linprog(objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs",
                          options=_HIGHS)
        if res.status == 3:
            return float("-inf"), np.zeros(0), np.zeros(0)
        if res.status != 0:
            raise RuntimeError(f"attacker LP failed ({res.status}): {res.message}")
        marg = np.asarray(res.eqlin.marginals) if self.a_eq.shape[0] else np.zeros(0)
        return float(res.fun) * self.scale, marg[: len(self.published)], np.asarray(res.x) * self.scale

    def _binding(self, marginals: np.ndarray) -> tuple[int, ...]:
        if marginals.size == 0:
            return ()
        return tuple(int(c) for c in self.published[np.abs(marginals) > 1e-9])

    def bound(self, cell: int, upper: bool) -> tuple[float, np.ndarray, tuple[int, ...]]:
        """The attacker's min (``upper=False``) or max of cell ``cell`` (±inf when unbounded), an optimal
        solution (values of the unknowns; empty when unbounded) and the published cells whose equations hold
        the bound (non-zero dual values)."""
        c = self.linked.incidence[cell].toarray().ravel()
        fun, marg, x = self._solve(-c if upper else c)
        return (-fun if upper else fun), x, self._binding(marg)

    def tolerance(self, cell: int) -> float:
        """Absolute tolerance of the comparisons for cell ``cell`` (the form's unit)."""
        return REL_TOL * max(abs(float(self.values[cell])), 1e-9 * self.scale)

    def lo_ok(self, cell: int, lo: float) -> bool:
        """Whether a minimum ``lo`` lies at least p·|v| below the true value v."""
        v = float(self.values[cell])
        return lo <= v - self.p * abs(v) + self.tolerance(cell)

    def hi_ok(self, cell: int, lo: float, hi: float) -> bool:
        """Whether a maximum ``hi`` lies at least p·|v| above the true value v (and the interval is not a point)."""
        v = float(self.values[cell])
        tol = self.tolerance(cell)
        return hi >= v + self.p * abs(v) - tol and hi - lo > tol

    def check(self, cell: int, full: bool = True) -> CellAudit:
        """Solve min and max of cell ``cell``; with ``full=False`` stop at the first bound that fails."""
        v = float(self.values[cell])
        lo, x_lo, bind_lo = self.bound(cell, upper=False)
        lo_ok = self.lo_ok(cell, lo)
        binding: tuple[int, ...] = () if lo_ok else bind_lo
        hi, x_hi, hi_ok = float("nan"), np.zeros(0), False
        if lo_ok or full:
            hi, x_hi, bind_hi = self.bound(cell, upper=True)
            hi_ok = self.hi_ok(cell, lo, hi)
            if lo_ok and not hi_ok:
                binding = bind_hi
        table = str(self.linked.cells.table.iat[cell])
        return CellAudit(cell=cell, table=table, key=self.linked.key(cell), indicator=self.linked.indicator, value=v,
                         lo=lo, hi=hi, protected=bool(lo_ok and hi_ok), binding=binding, solutions=(x_lo, x_hi))


def audit_cells(linked: LinkedTables, suppressed: np.ndarray, nonnegative: bool, protection_pct: float,
          cells: Iterable[int] | None = None, on_progress: Callable[[int, int], None] | None = None
          ) -> list[CellAudit]:
    """The attacker's interval (min, max by HiGHS; the form's unit) for every suppressed cell (or ``cells``) of
    ``linked``, and whether it covers ±``protection_pct`` % of the true value; ``on_progress(done, total)``
    after each cell."""
    suppressed = np.asarray(suppressed, bool)
    todo = list(np.flatnonzero(suppressed) if cells is None else cells)
    attacker = Attacker(linked, suppressed, nonnegative, protection_pct)
    out = []
    for i, cell in enumerate(todo):
        out.append(attacker.check(int(cell)))
        if on_progress is not None:
            on_progress(i + 1, len(todo))
    return out
