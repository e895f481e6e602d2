"""The attacker's linear program on HiGHS (highspy), built once and solved many times with warm starts.

Unknowns are those of :class:`~.cells.LinkedTables` (atoms and size tiers). Every cell is one row Σ unknowns:
a published cell — or one the attacker knows otherwise (an earlier release, a reviewer's own province) — is an
equation ``[v, v]``; a suppressed cell is free within ``[v − floor, v + ceil]``, where floor and ceil come
from what the attacker can assume anyway (non-negativity, a total that is always published, a priori bounds
from last year or last month). The links (national = Σ size tiers) are equations ``[0, 0]``.

The smallest and largest value of a cell are two LPs (maximise ±the cell's row). Because a suppressed row's
bounds are ``v ∓ floor·y``/``v + ceil·y`` in the suppression variable y, the dual of one solve gives a valid
linear bound on the room for every other pattern (a Benders cut), which :mod:`.optimal` uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse

from .cells import LinkedTables

INF = highspy.kHighsInf


class SolverError(RuntimeError):
    """HiGHS did not solve an attacker LP (numerical trouble, a time limit): the caller fails safe."""


@dataclass(frozen=True)
class Room:
    """One bound of a cell: the attacker's extreme value (±inf when unbounded) and the marginal value of each
    cell row (``duals``; None when unbounded)."""

    value: float
    duals: np.ndarray | None


class AttackerLP:
    """The attacker's LP for the linked tables under one pattern.

    ``floor``/``ceil``: per cell, how far below / above its value the attacker may place a suppressed cell
    (inf: no bound but the other equations); ``known``: cells the attacker knows exactly whether published
    or not; ``var_lower``: per unknown, a lower bound (default 0 for a non-negative indicator, else −inf);
    ``var_room``: for a signed indicator, how far an unknown may move (inf by default).
    """

    def __init__(
        self,
        linked: LinkedTables,
        suppressed: np.ndarray,
        nonnegative: bool,
        floor: np.ndarray,
        ceil: np.ndarray,
        known: np.ndarray | None = None,
        var_lower: np.ndarray | None = None,
        var_room: float = np.inf,
    ) -> None:
        self.linked = linked
        self.values = linked.values()
        if not np.all(np.isfinite(self.values)):
            raise SolverError("a cell value is not finite")
        self.scale = float(np.abs(self.values).max()) or 1.0
        if not np.isfinite(self.scale) or self.scale > 1e300:
            raise SolverError("cell values overflow")
        self.floor, self.ceil = np.asarray(floor, float), np.asarray(ceil, float)
        self.known = np.zeros(linked.n_cells, bool) if known is None else np.asarray(known, bool)
        a = sparse.vstack([linked.incidence, linked.links]).tocsc()
        self.n_cells, self.n_links = linked.n_cells, linked.links.shape[0]
        n_vars = a.shape[1]
        if var_lower is None:
            var_lower = np.zeros(n_vars) if nonnegative else np.full(n_vars, -np.inf)
        lower = np.asarray(var_lower, float) / self.scale
        upper = np.full(n_vars, np.inf)
        if not nonnegative and np.isfinite(var_room):
            truth = linked.truth
            lower, upper = (truth - var_room) / self.scale, (truth + var_room) / self.scale
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("presolve", "off")  # small LPs, solved again and again: warm starts win
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_vars, a.shape[0]
        lp.col_cost_ = np.zeros(n_vars)
        lp.col_lower_ = np.where(np.isfinite(lower), lower, -INF)
        lp.col_upper_ = np.where(np.isfinite(upper), upper, INF)
        lo, hi = self._row_bounds(np.asarray(suppressed, bool))
        lp.row_lower_, lp.row_upper_ = lo, hi
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = a.indptr.astype(np.int32), a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data.astype(float)
        lp.sense_ = highspy.ObjSense.kMaximize
        self.h.passModel(lp)
        self._rows = np.arange(lp.num_row_, dtype=np.int32)
        self._cols = np.arange(n_vars, dtype=np.int32)
        self._a, self._lower, self._upper = a, lower, upper
        self._inc = linked.incidence.tocsr()
        self.suppressed = np.asarray(suppressed, bool).copy()
        self.solves = 0
        self._mover: highspy.Highs | None = None

    def _row_bounds(self, suppressed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        v = self.values
        free = suppressed & ~self.known
        lo = np.where(free, v - self.floor, v)
        hi = np.where(free, v + self.ceil, v)
        lo = np.concatenate([lo / self.scale, np.zeros(self.n_links)])
        hi = np.concatenate([hi / self.scale, np.zeros(self.n_links)])
        return np.where(np.isfinite(lo), lo, -INF), np.where(np.isfinite(hi), hi, INF)

    def set_pattern(self, suppressed: np.ndarray) -> None:
        """Solve later LPs under another pattern (bool per cell: suppressed)."""
        suppressed = np.asarray(suppressed, bool)
        if np.array_equal(suppressed, self.suppressed):
            return
        lo, hi = self._row_bounds(suppressed)
        self.h.changeRowsBounds(len(self._rows), self._rows, lo, hi)  # type: ignore[attr-defined]
        self.suppressed = suppressed.copy()
        if self._mover is not None:
            dlo, dhi = self._deviation_bounds()
            self._mover.changeRowsBounds(len(self._rows), self._rows, dlo, dhi)  # type: ignore[attr-defined]

    def room(self, cell: int, upper: bool) -> Room:
        """The attacker's largest (``upper``) or smallest value of cell ``cell`` (the form's unit)."""
        inc = self._inc
        cost = np.zeros(len(self._cols))
        cost[inc.indices[inc.indptr[cell] : inc.indptr[cell + 1]]] = 1.0 if upper else -1.0
        self.h.changeColsCost(len(self._cols), self._cols, cost)
        self.h.run()
        self.solves += 1
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return Room(np.inf if upper else -np.inf, None)
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"attacker LP: {self.h.modelStatusToString(status)}")
        obj = self.h.getInfo().objective_function_value * self.scale
        duals = np.asarray(self.h.getSolution().row_dual)[: self.n_cells]
        return Room(obj if upper else -obj, duals)

    def _deviation_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self._row_bounds(self.suppressed)
        shift = np.concatenate([self.values / self.scale, np.zeros(self.n_links)])
        return np.where(lo > -INF, lo - shift, -INF), np.where(hi < INF, hi - shift, INF)

    def _build_mover(self) -> highspy.Highs:
        """min Σ|Δ| over the unknowns' deviations Δ = d⁺ − d⁻ from their true values, under the same rows."""
        n = self._a.shape[1]
        truth = self.linked.truth / self.scale
        up = np.where(np.isfinite(self._upper), self._upper - truth, INF)
        down = np.where(np.isfinite(self._lower), truth - self._lower, INF)
        a2 = sparse.hstack([self._a, -self._a]).tocsc()
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * n, self._a.shape[0]
        lp.col_cost_ = np.ones(2 * n)
        lp.col_lower_ = np.zeros(2 * n)
        lp.col_upper_ = np.concatenate([np.maximum(up, 0.0), np.maximum(down, 0.0)])
        lp.row_lower_, lp.row_upper_ = self._deviation_bounds()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = a2.indptr.astype(np.int32), a2.indices.astype(np.int32)
        lp.a_matrix_.value_ = a2.data.astype(float)
        lp.sense_ = highspy.ObjSense.kMinimize
        h.passModel(lp)
        return h

    def moved(self, cell: int, upper: bool, need: float) -> np.ndarray | None:
        """Which cells move (bool per cell) in the attacker's least movement (Σ|Δ| of the unknowns) that puts
        cell ``cell`` ``need`` above (``upper``) or below its value; None when no movement does. A reviewer who
        knows none of the moved cells can reach the same value."""
        if self._mover is None:
            self._mover = self._build_mover()
        lo, hi = self._deviation_bounds()
        need_s = need / self.scale
        bound = (max(need_s, lo[cell]), hi[cell]) if upper else (lo[cell], min(-need_s, hi[cell]))
        if bound[0] > bound[1]:
            return None
        self._mover.changeRowBounds(cell, *bound)
        self._mover.run()
        self.solves += 1
        status = self._mover.getModelStatus()
        self._mover.changeRowBounds(cell, lo[cell], hi[cell])
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"attacker LP (least movement): {self._mover.modelStatusToString(status)}")
        act = np.asarray(self._mover.getSolution().row_value)[: self.n_cells]
        return np.abs(act) > 1e-9

    def tiers_moved(self) -> np.ndarray:
        """Deviation of each unknown at the last :meth:`moved` solution (the form's unit)."""
        assert self._mover is not None
        x = np.asarray(self._mover.getSolution().col_value)
        n = len(x) // 2
        return (x[:n] - x[n:]) * self.scale

    def activity(self) -> np.ndarray:
        """Value of every cell at the last solution (the form's unit)."""
        return np.asarray(self.h.getSolution().row_value)[: self.n_cells] * self.scale

    def cut(self, room: Room, upper: bool, target: float) -> tuple[np.ndarray, float] | None:
        """A linear condition Σ coef·y ≥ rhs on the suppression variables y (one per cell) that every pattern
        giving the cell ``target`` (an upper or lower bound to reach) must meet, from the duals of ``room``
        solved under the current pattern; None when no finite cut follows."""
        if room.duals is None:
            return None
        pi = room.duals  # d(objective)/d(row bound), objective in scaled units, maximised
        floor = np.where(np.isfinite(self.floor), self.floor, 0.0)
        ceil = np.where(np.isfinite(self.ceil), self.ceil, 0.0)
        coef = np.maximum(pi, 0.0) * ceil + np.maximum(-pi, 0.0) * floor
        coef[self.known] = 0.0
        y0 = self.suppressed.astype(float)
        # V(y) ≤ V(y0) + Σ coef·(y − y0): the room the attacker leaves; it must reach the target
        gained = target if upper else -target
        have = room.value if upper else -room.value
        rhs = gained - have + float(coef @ y0)
        if not np.isfinite(rhs) or not np.all(np.isfinite(coef)):
            return None
        return coef, rhs
