"""Secondary suppression with the least information loss (二次抑制), proved by the attacker audit.

The model is τ-Argus' optimal method (Fischetti & Salazar-González, 2001): one binary y_i per cell
(1 = suppressed), minimise the information lost Σ cost_i·y_i — cost = the cell's Σ|x| (:func:`~.cells.cell_costs`)
— subject to: for every primary cell and each direction, the attacker's interval reaches the cell's protection
(:func:`~.knowledge.requirements`). The attacker's interval is an LP in the pattern; it is enforced by cutting
planes: solve the master MILP, solve the attacker's LPs under its pattern (:class:`~.lp.AttackerLP`), and for a
cell left without its room add the linear condition on y that the LP's duals give (a Benders cut); repeat until
every requirement holds. The last round of LPs is the proof: every primary cell is protected against the
published cells, the a priori bounds and, for every province whose cells the solution moves, that province's
reviewer. HiGHS solves the master (MILP) and the LPs.

Which cells may be secondary: any, except the national total, the national sector totals (unless one of them is
itself sensitive, or no pattern without them exists — a reviewer who knows one of a sector's only two provinces
learns the other from the sector total) and cells the attacker knows anyway (they give no room). A cell that is the same figure as
another (a province with one sector, a macro region of one province) is suppressed with its twin.

Anything that goes wrong — a solver failure, values that overflow, a requirement no pattern can meet, no
convergence — gives the fail-safe pattern: every cell suppressed (:attr:`Pattern.failsafe` says why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd

from ...catalog.disclosure import DisclosureRules
from .cells import LinkedTables, cell_costs, table_name
from .knowledge import Knowledge, PriorRoom, Scope, requirements
from .lp import INF, AttackerLP, SolverError
from .rules import SECONDARY, primary_flags

MAX_ROUNDS = 200
MIP_SECONDS = 20.0  # per master solve; the incumbent found by then is used (the audit still proves it)


class Unprotectable(SolverError):
    """A requirement that no pattern can meet (e.g. a cell determined by what the attacker already knows)."""


@dataclass
class Pattern:
    """A suppression pattern over the linked tables of one release and indicator: a reason code per cell
    (``threshold``, ``dominance``, ``zero``, ``secondary``; None: published), with what the search cost."""

    linked: LinkedTables
    flags: np.ndarray
    rounds: int = 0
    lps: int = 0
    failsafe: str | None = None

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

    def cost(self) -> float:
        """Information lost: Σ|x| of the suppressed cells (the form's unit)."""
        return float(self.linked.cells["abs"].to_numpy(dtype=float)[self.suppressed].sum())


def failsafe_pattern(linked: LinkedTables, flags: np.ndarray, reason: str) -> Pattern:
    """Every cell suppressed: primary cells keep their reason, the others are ``secondary``."""
    out = np.array([f if f is not None else SECONDARY for f in flags], dtype=object)
    return Pattern(linked, out, failsafe=reason)


def protect(
    linked: LinkedTables,
    rules: DisclosureRules,
    nonnegative: bool,
    carried: Iterable[int] = (),
    primary_only: bool = False,
    on_round: Callable[[int, int], None] | None = None,
    knowledge: Knowledge | None = None,
) -> Pattern:
    """The suppression pattern of ``linked`` with the least information loss: primary suppression, the
    ``carried`` cells (suppressed earlier), then secondary suppression until every primary cell has its
    protection against the attacker with ``knowledge`` (default: the published cells only). ``nonnegative``:
    whether contributions are ≥ 0. ``primary_only`` stops after the primary rules and the carried cells (to
    show what the audit catches). ``on_round(round, cuts)`` reports progress. Never raises on solver trouble:
    the result is then the fail-safe pattern."""
    flags = primary_flags(linked.cells, rules, nonnegative)
    for c in carried:
        if flags[c] is None:
            flags[c] = SECONDARY
    if primary_only:
        return Pattern(linked, flags)
    knowledge = knowledge or Knowledge.none(linked)
    try:
        try:
            return _Search(linked, rules, nonnegative, flags, knowledge, on_round, sectors_fixed=True).run()
        except Unprotectable:  # e.g. a reviewer who knows one of a sector's two provinces: the total must go
            return _Search(linked, rules, nonnegative, flags, knowledge, on_round, sectors_fixed=False).run()
    except (SolverError, ValueError, FloatingPointError, OverflowError, MemoryError) as exc:
        return failsafe_pattern(linked, flags, f"{type(exc).__name__}: {exc}")


def zero_room(linked: LinkedTables, protection_pct: float) -> np.ndarray:
    """Room a zero cell needs above 0 (the form's unit): p × the national mean per enterprise × its enterprises,
    so that the attacker cannot rule out that its enterprises hold an ordinary amount."""
    cells = linked.cells
    nat = np.flatnonzero((cells.table == "national").to_numpy())
    total_abs = float(cells["abs"].iat[nat[0]]) if len(nat) else float(cells["abs"].max())
    total_n = float(cells.n.iat[nat[0]]) if len(nat) else float(cells.n.max())
    per = total_abs / total_n if total_n else 0.0
    return protection_pct / 100.0 * per * cells.n.to_numpy(dtype=float)


def always_published(linked: LinkedTables, flags: np.ndarray, sectors_fixed: bool = True) -> np.ndarray:
    """Cells never chosen as secondary: the national total, and (``sectors_fixed``) the national sector totals
    unless one of them is sensitive itself (then they may hide each other)."""
    table = linked.cells.table.to_numpy()
    out = table == "national"
    sectors = table == "sector"
    if sectors_fixed and not any(flags[sectors]):
        out |= sectors
    return out & np.array([f is None for f in flags])


def bounds(
    linked: LinkedTables, knowledge: Knowledge, nonnegative: bool, fixed_off: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(floor, ceil) of every cell: how far below / above its value the attacker can place it when it is
    suppressed, from non-negativity, the a priori bounds and the always-published totals that contain it
    (inf: nothing but the other equations)."""
    v = linked.values()
    lower = np.maximum(knowledge.lower, 0.0) if nonnegative else knowledge.lower
    floor = v - lower
    cap = np.full(len(v), np.inf)
    if nonnegative:
        inc = linked.incidence.tocsr()
        for t in np.flatnonzero(fixed_off):
            members = np.asarray((inc @ inc[t].T).toarray()).ravel()
            size = inc[t].nnz
            inside = np.asarray(inc.sum(axis=1)).ravel()
            contained = (members == inside) & (inside > 0) & (members <= size)
            cap = np.where(contained, np.minimum(cap, v[t]), cap)
    ceil = np.minimum(cap, knowledge.upper) - v
    return np.maximum(floor, 0.0), np.maximum(ceil, 0.0)


def twins(linked: LinkedTables) -> list[tuple[int, int]]:
    """Pairs of cells that are the same figure (the same unknowns) in different tables."""
    inc = linked.incidence.tocsr()
    seen: dict[tuple, int] = {}
    out = []
    for i in range(linked.n_cells):
        key = tuple(inc.indices[inc.indptr[i] : inc.indptr[i + 1]].tolist())
        if key in seen:
            out.append((seen[key], i))
        else:
            seen[key] = i
    return out


class _Master:
    """The master MILP: min Σ cost·y over binary y with the cuts found so far (HiGHS)."""

    def __init__(
        self, cost: np.ndarray, lb: np.ndarray, ub: np.ndarray, pairs: list[tuple[int, int]]
    ) -> None:
        n = len(cost)
        self.n = n
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("time_limit", MIP_SECONDS)
        self.h.setOptionValue("mip_rel_gap", 1e-4)
        self.h.addVars(n, lb.astype(float), ub.astype(float))
        idx = np.arange(n, dtype=np.int32)
        self.h.changeColsCost(n, idx, cost / (float(cost.max()) or 1.0))
        self.h.changeColsIntegrality(n, idx, np.array([highspy.HighsVarType.kInteger] * n))
        for a, b in pairs:
            self.h.addRow(0.0, 0.0, 2, np.array([a, b], dtype=np.int32), np.array([1.0, -1.0]))
        self.lb = lb.astype(bool)

    def add(self, coef: np.ndarray, rhs: float) -> None:
        """Add Σ coef·y ≥ rhs (normalised, coefficients capped at rhs: the same condition on binaries)."""
        scaled = np.minimum(coef / rhs, 1.0)
        idx = np.flatnonzero(scaled > 1e-9).astype(np.int32)
        if len(idx) == 0:
            raise Unprotectable("a primary cell cannot be protected by any pattern")
        self.h.addRow(1.0, INF, len(idx), idx, scaled[idx])

    def solve(self) -> np.ndarray:
        """The cheapest pattern meeting the cuts so far (bool per cell)."""
        self.h.run()
        status = self.h.getModelStatus()
        sol = np.asarray(self.h.getSolution().col_value)
        if status == highspy.HighsModelStatus.kOptimal or (
            status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt)
            and len(sol) == self.n
            and self.h.getInfo().primal_solution_status == 2
        ):
            return sol > 0.5
        raise Unprotectable(f"master MILP: {self.h.modelStatusToString(status)}")


class _Search:
    """The cutting-plane loop of :func:`protect`."""

    def __init__(
        self,
        linked: LinkedTables,
        rules: DisclosureRules,
        nonnegative: bool,
        flags: np.ndarray,
        knowledge: Knowledge,
        on_round: Callable[[int, int], None] | None,
        sectors_fixed: bool = True,
    ) -> None:
        self.linked, self.rules, self.nonneg, self.flags, self.k = (
            linked,
            rules,
            nonnegative,
            flags,
            knowledge,
        )
        self.on_round = on_round
        v = linked.values()
        if not np.all(np.isfinite(v)) or not np.all(np.isfinite(linked.cells["abs"].to_numpy(dtype=float))):
            raise SolverError("a cell value is not finite")
        self.v = v
        self.scale = float(np.abs(v).max()) or 1.0
        on = np.array([f is not None for f in flags])
        fixed_off = always_published(linked, flags, sectors_fixed)
        self.lb = on
        self.ub = ~(fixed_off | (knowledge.known & ~on))
        floor, ceil = bounds(linked, knowledge, nonnegative, fixed_off)
        big = 4.0 * float(linked.cells["abs"].max()) + 1.0
        self.floor = np.where(np.isfinite(floor), floor, big)
        self.ceil = np.where(np.isfinite(ceil), ceil, big)
        self.var_room = np.inf if nonnegative else big
        self.zero = zero_room(linked, rules.protection_pct)
        below, above = requirements(linked, flags, rules.protection_pct, knowledge, None, self.zero)
        self.reqs = self._reqs(below, above)
        self.priors: dict[str, PriorRoom] = {"": PriorRoom(linked, nonnegative, knowledge, None)}
        self.public = self._lp(on, knowledge.known, None)
        self.scoped: dict[str, AttackerLP] = {}
        self.scope_of = self._scope_of_cells(knowledge.scopes)
        self.scope_reqs: dict[str, dict[tuple[int, bool], float]] = {}
        self.tier0 = len(linked.atoms)
        self.lps = 0
        self.passed: dict[tuple[str, int, bool], np.ndarray] = {}

    def _reqs(self, below: np.ndarray, above: np.ndarray) -> dict[tuple[int, bool], float]:
        tol = self._tol
        out = {}
        for i in np.flatnonzero(above > 0):
            if above[i] > tol(i):
                out[(int(i), True)] = float(above[i])
        for i in np.flatnonzero(below > 0):
            if below[i] > tol(i):
                out[(int(i), False)] = float(below[i])
        return out

    def _tol(self, i: int) -> float:
        return 1e-7 * max(abs(float(self.v[i])), 1e-6 * self.scale)

    def _lp(self, y: np.ndarray, known: np.ndarray, scope: Scope | None) -> AttackerLP:
        var_lower = None
        if scope is not None and self.nonneg:
            var_lower = scope.var_lower
        return AttackerLP(
            self.linked,
            y,
            self.nonneg,
            self.floor,
            self.ceil,
            known=known,
            var_lower=var_lower,
            var_room=self.var_room,
        )

    @staticmethod
    def _scope_of_cells(scopes: list[Scope]) -> dict[int, str]:
        out = {}
        for s in scopes:
            for i in np.flatnonzero(s.cells):
                out[int(i)] = s.name
        return out

    def _scope(self, name: str, y: np.ndarray) -> tuple[AttackerLP, dict[tuple[int, bool], float]]:
        if name not in self.scoped:
            scope = next(s for s in self.k.scopes if s.name == name)
            self.scoped[name] = self._lp(y, self.k.known | scope.cells, scope)
            below, above = requirements(
                self.linked, self.flags, self.rules.protection_pct, self.k, scope, self.zero
            )
            self.scope_reqs[name] = self._reqs(below, above)
            self.priors[name] = PriorRoom(self.linked, self.nonneg, self.k, scope)
        lp = self.scoped[name]
        lp.set_pattern(y)
        return lp, self.scope_reqs[name]

    def _check(
        self, lp: AttackerLP, cell: int, upper: bool, need: float, attacker: str = ""
    ) -> tuple[bool, tuple[np.ndarray, float] | None]:
        room = lp.room(cell, upper)
        self.lps += 1
        v = float(self.v[cell])
        tol = self._tol(cell)
        target = v + need if upper else v - need
        ok = room.value >= target - tol if upper else room.value <= target + tol
        if not ok:  # no release can widen what the attacker knew before it: the need is capped by that
            need = self.priors[attacker].cap(cell, upper, need)
            target = v + need if upper else v - need
            ok = need <= tol or (room.value >= target - tol if upper else room.value <= target + tol)
        if ok:
            return True, None
        cut = lp.cut(room, upper, target)
        if cut is None:
            raise Unprotectable(f"no cut for cell {cell}")
        return False, cut

    def _touched(self, lp: AttackerLP, cell: int, upper: bool, need: float) -> set[str]:
        """Provinces whose reviewer might not reach what the public reaches: those whose cells the attacker's
        least movement to the requirement moves, or whose own part of a size tier it undercuts."""
        moved = lp.moved(cell, upper, need)
        if moved is None:  # numerically at the edge: check every reviewer
            return {s.name for s in self.k.scopes}
        out = {self.scope_of[int(i)] for i in np.flatnonzero(moved) if int(i) in self.scope_of}
        if self.nonneg and self.linked.tier_labels:
            tiers = self.linked.truth[self.tier0 :] + lp.tiers_moved()[self.tier0 :]
            for s in self.k.scopes:
                if s.name not in out and np.any(tiers < s.var_lower[self.tier0 :] - 1e-7 * self.scale):
                    out.add(s.name)
        return out

    def separate(self, y: np.ndarray) -> list[tuple[np.ndarray, float]]:
        """Cuts for every requirement the pattern ``y`` misses, for the public attacker and for the reviewers
        of the provinces that the public attacker's least movement to each requirement involves. A requirement
        met under an earlier pattern that ``y`` contains is met again (more suppression only adds room)."""
        self.public.set_pattern(y)
        cuts = []
        for (cell, upper), need in self.reqs.items():
            key = ("", cell, upper)
            if key in self.passed and np.all(self.passed[key] <= y):
                continue
            ok, cut = self._check(self.public, cell, upper, need)
            if not ok:
                assert cut is not None
                cuts.append(cut)
                continue
            self.passed[key] = y.copy()
            if not self.k.scopes:
                continue
            touched = self._touched(self.public, cell, upper, need)
            self.lps += 1
            for name in sorted(touched):
                lp, reqs = self._scope(name, y)
                need_q = reqs.get((cell, upper), 0.0)
                key_q = (name, cell, upper)
                if need_q <= 0 or (key_q in self.passed and np.all(self.passed[key_q] <= y)):
                    continue
                ok, cut = self._check(lp, cell, upper, need_q, name)
                if ok:
                    self.passed[key_q] = y.copy()
                else:
                    assert cut is not None
                    cuts.append(cut)
                    self.passed.pop(key, None)  # check the public solution again next round
        return cuts

    def closure(self, master: _Master) -> None:
        """The cuts every pattern needs: a suppressed cell with a requirement — or carried from earlier — is not
        alone (among the cells the attacker does not know) in an equation parent = Σ children: no suppressed
        cell is the difference of published ones."""
        needy = {c for c, _ in self.reqs} | {int(i) for i in np.flatnonzero(self.lb)}
        free = ~self.k.known
        for eq in self.linked.equations:
            for c in eq:
                if int(c) in needy:
                    others = [int(j) for j in eq if j != c and free[j]]
                    coef = np.zeros(self.linked.n_cells)
                    coef[others] = 1.0
                    master.add(coef, 1.0)

    def run(self) -> Pattern:
        cost = cell_costs(self.linked)
        master = _Master(cost, self.lb, self.ub, twins(self.linked))
        self.closure(master)
        y = master.solve()
        for rounds in range(1, MAX_ROUNDS + 1):
            cuts = self.separate(y)
            if self.on_round is not None:
                self.on_round(rounds, len(cuts))
            if not cuts:
                flags = self.flags.copy()
                flags[y & np.array([f is None for f in flags])] = SECONDARY
                return Pattern(self.linked, flags, rounds=rounds, lps=self.lps)
            for coef, rhs in cuts:
                master.add(coef, rhs)
            y = master.solve()
        raise SolverError(f"secondary suppression did not converge in {MAX_ROUNDS} rounds")
