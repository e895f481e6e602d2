"""The secondary suppression of sitmon before issue 12 — an audit-driven heuristic that gave every suppressed
cell (primary or secondary) the full protection interval — kept here only as the baseline that
``bench_disclosure.py`` runs beside the optimal method on the same populations. Not part of the package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

from sitmon.analyse.disclosure.cells import LinkedTables, table_levels, table_name
from sitmon.analyse.disclosure.rules import SECONDARY, primary_flags
from sitmon.catalog.disclosure import DisclosureRules

LEVEL_WEIGHT = 10.0


def cell_costs(linked: LinkedTables) -> np.ndarray:
    """Σ|x| × 10 to the power of the table's aggregation level (the old cost)."""
    levels = table_levels(linked.tables)
    weight = LEVEL_WEIGHT ** linked.cells.table.map(levels).to_numpy(dtype=float)
    return linked.cells["abs"].to_numpy(dtype=float) * weight


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

    def __init__(
        self, linked: LinkedTables, suppressed: np.ndarray, nonnegative: bool, protection_pct: float
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
            res = linprog(
                objective, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs", options=_HIGHS
            )
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
        return CellAudit(
            cell=cell,
            table=table,
            key=self.linked.key(cell),
            indicator=self.linked.indicator,
            value=v,
            lo=lo,
            hi=hi,
            protected=bool(lo_ok and hi_ok),
            binding=binding,
            solutions=(x_lo, x_hi),
        )


_TOO_SMALL = 1e12  # cost factor of a partner smaller than p × the lone cell: it cannot give it room
_TOO_LARGE = 1e3  # cost factor of a partner larger than the lone cell / p: it needs room the lone cell lacks
LOOKAHEAD = 6  # candidates tried (with the closure each sets off) for a cell whose interval is too narrow


@dataclass
class Pattern:
    """A suppression pattern over the linked tables of one release and indicator: a reason code per cell
    (``threshold``, ``dominance``, ``secondary``; None: published), with what the search cost."""

    linked: LinkedTables
    flags: np.ndarray
    rounds: int = 0
    lps: int = 0

    @property
    def suppressed(self) -> np.ndarray:
        """Bool per cell: not published."""
        return np.array([f is not None for f in self.flags], bool)

    def table_flags(self, dims: Sequence[str]) -> dict[tuple, str | None]:
        """Cell key (dimension values in the table's canonical order) → reason code or None, for one table."""
        rows = np.flatnonzero((self.linked.cells.table == table_name(dims)).to_numpy())
        return {self.linked.key(i): self.flags[i] for i in rows}

    def suppressed_keys(self) -> set[tuple[str, tuple]]:
        """(table, key) of every suppressed cell."""
        return {
            (str(self.linked.cells.table.iat[i]), self.linked.key(i)) for i in np.flatnonzero(self.suppressed)
        }

    def frame(self) -> pd.DataFrame:
        """One row per cell: ``table``, the dimension columns, ``value`` (the form's unit), ``flag``."""
        cols = ["table", "region", "province", "city", "sector", "size_tier"]
        out = self.linked.cells[cols].copy()
        out["value"] = self.linked.values()
        out["flag"] = self.flags
        return out

    def counts(self) -> dict[str, int]:
        """Number of cells (``cells``) and of suppressed cells per reason code."""
        out = {"cells": len(self.flags)}
        for f in self.flags:
            if f is not None:
                out[f] = out.get(f, 0) + 1
        return out


class _Closure:
    """Incremental closure over the parent = Σ children equations: no equation keeps a lone suppressed cell."""

    def __init__(
        self, linked: LinkedTables, cost: np.ndarray, size: np.ndarray, p: float, ahead: bool
    ) -> None:
        self.eqs = linked.equations
        self.cost, self.size, self.p, self.ahead = cost, size, p, ahead
        self.eqs_of: list[list[int]] = [[] for _ in range(linked.n_cells)]
        for e, members in enumerate(self.eqs):
            for c in members:
                self.eqs_of[int(c)].append(e)

    def counts(self, suppressed: np.ndarray) -> np.ndarray:
        """Suppressed cells per equation."""
        return np.array([int(suppressed[m].sum()) for m in self.eqs], dtype=int)

    def run(self, suppressed: np.ndarray) -> list[int]:
        """Suppress partners (in place) until no equation holds exactly one suppressed cell; the cells added."""
        count = self.counts(suppressed)
        added: list[int] = []
        queue = [e for e in range(len(self.eqs)) if count[e] == 1]
        while queue:
            e = queue.pop()
            if count[e] != 1:
                continue
            members = self.eqs[e]
            lone = int(members[suppressed[members]][0])
            cands = [int(c) for c in members if not suppressed[c]]
            if not cands:
                continue
            best = min(cands, key=lambda c: self.score(c, lone, count))
            suppressed[best] = True
            added.append(best)
            for f in self.eqs_of[best]:
                count[f] += 1
                if count[f] == 1:
                    queue.append(f)
        return added

    def fit(self, c: int, other: int) -> float:
        """Cost of suppressing ``c`` next to ``other``: its cost, raised when the two cannot cover ±p of each
        other (``c`` too small to give ``other`` room: prohibitive; too large to get room from it: heavy)."""
        cost = self.cost[c] + 1e-9
        if self.size[c] < self.p * self.size[other]:
            return cost * _TOO_SMALL
        if self.p * self.size[c] > self.size[other]:
            return cost * _TOO_LARGE
        return cost

    def score(self, c: int, lone: int, count: np.ndarray) -> float:
        """Estimated cost of suppressing ``c`` as the partner of ``lone`` (lower is better): its own
        :meth:`fit`, then for each equation it would leave with a lone cell either the cheapest fit partner
        there (``ahead``) or the own cost again; divided by 1 + the equations it completes."""
        own = self.fit(c, lone)
        total, closes = own, 0
        for f in self.eqs_of[c]:
            if count[f] == 1:
                closes += 1
            elif count[f] == 0:
                total += (
                    min((self.fit(int(d), c) for d in self.eqs[f] if d != c), default=0.0)
                    if self.ahead
                    else own
                )
        return total / (1 + closes)

    def candidates(self, failed: CellAudit, suppressed: np.ndarray, k: int) -> list[int]:
        """Up to ``k`` published cells worth trying for ``failed``, best-scoring first: its equation partners
        whose equations hold the failing bound (non-zero dual), then the other binding cells, then its other
        partners; any published cell if none of these is left."""
        count = self.counts(suppressed)
        partners = [int(c) for e in self.eqs_of[failed.cell] for c in self.eqs[e]]
        binding = set(failed.binding)
        out: list[int] = []
        for pool in ([c for c in partners if c in binding], sorted(binding), partners):
            cands = sorted(
                {c for c in pool if not suppressed[c] and c not in out},
                key=lambda c: self.score(c, failed.cell, count),
            )
            out += cands[: k - len(out)]
            if len(out) >= k:
                break
        if not out:
            rest = [c for c in range(len(suppressed)) if not suppressed[c]]
            out = sorted(rest, key=lambda c: self.score(c, failed.cell, count))[:k]
        return out


def _lookahead(
    linked: LinkedTables,
    closure: _Closure,
    failed: CellAudit,
    suppressed: np.ndarray,
    nonnegative: bool,
    protection_pct: float,
    k: int,
) -> tuple[list[int], int]:
    """What to suppress for ``failed``: each of :meth:`_Closure.candidates` is tried with the closure it sets off,
    and the cheapest set (Σ cost) whose suppression gives the failing bound its room is taken, else the set
    that moves the bound furthest. Returns (cells to suppress, LPs solved)."""
    upper = not np.isnan(failed.hi)  # the max was solved, so the min held and the max failed
    v = failed.value
    best: tuple[tuple[bool, float], list[int]] | None = None
    lps = 0
    for cand in closure.candidates(failed, suppressed, k):
        trial = suppressed.copy()
        trial[cand] = True
        cells = [cand, *closure.run(trial)]
        attacker = Attacker(linked, trial, nonnegative, protection_pct)
        bound, _, _ = attacker.bound(failed.cell, upper)
        lps += 1
        if upper:
            ok = attacker.hi_ok(failed.cell, failed.lo, bound)
            gain = bound - failed.hi
        else:
            ok = attacker.lo_ok(failed.cell, bound)
            gain = failed.lo - bound
        rank = (not ok, float(closure.cost[cells].sum()) if ok else -gain / (abs(v) + 1e-9))
        if best is None or rank < best[0]:
            best = (rank, cells)
    return ([] if best is None else best[1]), lps


def protect(
    linked: LinkedTables,
    rules: DisclosureRules,
    nonnegative: bool,
    carried: Iterable[int] = (),
    primary_only: bool = False,
    on_round: Callable[[int, int], None] | None = None,
) -> Pattern:
    """The suppression pattern of ``linked``: primary suppression, the ``carried`` cells, then secondary
    suppression until the attacker audit proves every suppressed cell (``nonnegative``: whether the attacker
    may assume every contribution ≥ 0). ``primary_only`` stops after the primary rules and the carried cells
    (to show what the audit catches). ``on_round(round, cells_to_audit)`` reports progress."""
    flags = primary_flags(linked.cells, rules, nonnegative)
    for c in carried:
        if flags[c] is None:
            flags[c] = SECONDARY
    if primary_only:
        return Pattern(linked, flags)
    cost, size = cell_costs(linked), np.abs(linked.values())
    p = rules.protection_pct / 100.0
    tried = [
        _search(linked, rules, nonnegative, flags.copy(), _Closure(linked, cost, size, p, ahead), on_round)
        for ahead in (False, True)
    ]  # two ways of choosing partners: the pattern that hides less is kept
    best = min(tried, key=lambda pat: float(cost[pat.suppressed].sum()))
    return Pattern(linked, best.flags, rounds=sum(t.rounds for t in tried), lps=sum(t.lps for t in tried))


def _search(
    linked: LinkedTables,
    rules: DisclosureRules,
    nonnegative: bool,
    flags: np.ndarray,
    closure: _Closure,
    on_round: Callable[[int, int], None] | None,
) -> Pattern:
    """Closure, then the audit loop, from the primary (and carried) ``flags``; see the module docstring."""
    suppressed = np.array([f is not None for f in flags], bool)
    for c in closure.run(suppressed):
        flags[c] = SECONDARY
    pending = [int(c) for c in np.flatnonzero(suppressed)]
    rounds = lps = 0
    while pending:
        rounds += 1
        if on_round is not None:
            on_round(rounds, len(pending))
        attacker = Attacker(linked, suppressed, nonnegative, rules.protection_pct)
        failed: list[CellAudit] = []
        for cell in pending:
            res = attacker.check(cell, full=False)
            lps += 1 if np.isnan(res.hi) else 2
            if not res.protected:
                failed.append(res)
        if not failed:
            break
        added: set[int] = set()
        for res in failed:
            if added & set(res.binding):
                continue  # an addition of this round already relaxes it: audited again next round
            cells, n = _lookahead(
                linked, closure, res, suppressed, nonnegative, rules.protection_pct, LOOKAHEAD
            )
            lps += n
            if not cells:
                raise RuntimeError(f"cannot protect {res.table} {res.key}: every cell is suppressed")
            suppressed[cells] = True
            flags[cells] = SECONDARY
            added.update(cells)
        new = closure.run(suppressed)
        for c in new:
            flags[c] = SECONDARY
        pending = list(dict.fromkeys([r.cell for r in failed] + sorted(added) + new))
    return Pattern(linked, flags, rounds=rounds, lps=lps)
