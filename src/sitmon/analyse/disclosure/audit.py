"""The attacker audit (反推检验): for every suppressed cell, the smallest and largest value consistent with what
the attacker knows — every published cell of the linked tables, the totals, non-negativity, and the extra
knowledge of :class:`~.knowledge.Knowledge` (earlier releases of the period, last month's and last year's
published cells as bounds, a reviewer's own province) — two linear programs each, solved by HiGHS.

A cell is protected when its interval reaches what :func:`~.knowledge.requirements` asks of it: a primary cell
(threshold, dominance, zero) ± ``protection_pct`` % of its value (of the part a reviewer does not know), a cell
carried from last month room above last month's value. A secondary cell needs no interval of its own; its
interval is reported all the same. Total profit can be negative: its unknowns are free, so its intervals are
unbounded unless the published equations determine a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .cells import LinkedTables
from .knowledge import Knowledge, PriorRoom, Scope, requirements
from .lp import AttackerLP
from .optimal import zero_room
from .rules import THRESHOLD

#: relative tolerance of the comparisons
REL_TOL = 1e-7


@dataclass(frozen=True)
class CellAudit:
    """The attacker's interval for one suppressed cell (the form's unit; ±inf when unbounded), the room it needs
    below and above its value, and who the attacker is (``public`` or a reviewer's province)."""

    cell: int
    table: str
    key: tuple
    indicator: str
    value: float
    lo: float
    hi: float
    protected: bool
    need_below: float = 0.0
    need_above: float = 0.0
    attacker: str = "public"

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


def audit_cells(
    linked: LinkedTables,
    suppressed: np.ndarray,
    nonnegative: bool,
    protection_pct: float,
    cells: Iterable[int] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    flags: np.ndarray | None = None,
    knowledge: Knowledge | None = None,
    scope: Scope | None = None,
) -> list[CellAudit]:
    """The attacker's interval (min, max; the form's unit) for every suppressed cell (or ``cells``) of ``linked``
    and whether it gives the cell the room it needs. ``flags`` are the reason codes (primary cells need
    ± ``protection_pct`` %); without them every suppressed cell is held to that (the strict audit).
    ``knowledge``: what the attacker knows besides the published cells; ``scope``: the reviewer whose
    province's cells the attacker knows too (its own cells are not audited). ``on_progress(done, total)``."""
    suppressed = np.asarray(suppressed, bool)
    k = knowledge or Knowledge.none(linked)
    if flags is None:
        flags = np.array([THRESHOLD if s else None for s in suppressed], dtype=object)
    v = linked.values()
    lower = np.maximum(k.lower, 0.0) if nonnegative else k.lower
    known = k.known | (scope.cells if scope is not None else False)
    lp = AttackerLP(
        linked,
        suppressed,
        nonnegative,
        v - lower,
        k.upper - v,
        known=known,
        var_lower=scope.var_lower if scope is not None and nonnegative else None,
    )
    below, above = requirements(linked, flags, protection_pct, k, scope, zero_room(linked, protection_pct))
    prior = PriorRoom(linked, nonnegative, k, scope) if knowledge is not None or scope is not None else None
    todo = [int(c) for c in np.flatnonzero(suppressed & ~known)] if cells is None else [int(c) for c in cells]
    scale = float(np.abs(v).max()) or 1.0
    out = []
    for i, cell in enumerate(todo):
        x = float(v[cell])
        lo, hi = lp.room(cell, upper=False).value, lp.room(cell, upper=True).value
        tol = REL_TOL * max(abs(x), 1e-6 * scale)
        need_lo, need_hi = float(below[cell]), float(above[cell])
        if prior is not None and lo > x - need_lo + tol:  # what was known before caps what is needed
            need_lo = prior.cap(cell, False, need_lo)
        if prior is not None and hi < x + need_hi - tol:
            need_hi = prior.cap(cell, True, need_hi)
        ok = lo <= x - need_lo + tol and hi >= x + need_hi - tol
        out.append(
            CellAudit(
                cell=cell,
                table=str(linked.cells.table.iat[cell]),
                key=linked.key(cell),
                indicator=linked.indicator,
                value=x,
                lo=lo,
                hi=hi,
                protected=bool(ok),
                need_below=need_lo,
                need_above=need_hi,
                attacker=scope.name if scope is not None else "public",
            )
        )
        if on_progress is not None:
            on_progress(i + 1, len(todo))
    return out


def audit_all(
    linked: LinkedTables,
    flags: np.ndarray,
    nonnegative: bool,
    protection_pct: float,
    knowledge: Knowledge | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[CellAudit]:
    """The audit against the public and against every reviewer of ``knowledge.scopes``: the public rows (one
    per suppressed cell), then a row for each reviewer and cell outside its province (CONFIDENTIAL)."""
    k = knowledge or Knowledge.none(linked)
    suppressed = np.array([f is not None for f in flags], bool)
    attackers: list[Scope | None] = [None, *k.scopes]
    out: list[CellAudit] = []
    for i, scope in enumerate(attackers):
        out += audit_cells(
            linked, suppressed, nonnegative, protection_pct, flags=flags, knowledge=k, scope=scope
        )
        if on_progress is not None:
            on_progress(i + 1, len(attackers))
    return out
