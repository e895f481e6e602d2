"""Raking (iterative proportional fitting) of enterprise × sector revenue cells to several sets of margins,
each over its own group of enterprises (all active, the continuing ones, the ones about to exit).

A margin either sums the cells of its members by a row label (province, macro region) and scales whole rows,
or sums them by sector column and scales columns. Cycling through the margins converges to cells that meet
all of them when they are consistent; with slightly inconsistent margins the last ones in the cycle hold
exactly and the others within the inconsistency. Relative sizes inside a (group, label, sector) cell are kept,
so the enterprise-level spread of the seed survives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Margin:
    """Σ cells over ``members`` (a boolean mask of rows) by ``labels`` (an integer label per row; None: by
    column) must equal ``targets`` (one per label or column; NaN: not constrained)."""

    name: str
    members: np.ndarray
    labels: np.ndarray | None
    targets: np.ndarray

    def sums(self, cells: np.ndarray) -> np.ndarray:
        """The current sums, one per target."""
        if self.labels is None:
            out: np.ndarray = cells[self.members].sum(axis=0)
            return out
        return np.bincount(
            self.labels[self.members], weights=cells[self.members].sum(axis=1), minlength=len(self.targets)
        )

    def apply(self, cells: np.ndarray) -> None:
        """Scales the members' rows (or columns) so that the sums meet the targets (empty sums stay as they are)."""
        s = self.sums(cells)
        factor = np.where(np.isfinite(self.targets) & (s > 0), self.targets / np.where(s > 0, s, 1.0), 1.0)
        if self.labels is None:
            cells[self.members] *= factor[None, :]
        else:
            cells[self.members] *= factor[self.labels[self.members]][:, None]

    def worst(self, cells: np.ndarray) -> float:
        """Largest relative deviation from a constrained target."""
        s, t = self.sums(cells), self.targets
        ok = np.isfinite(t) & (t > 0)
        if self.labels is not None:  # a label without members (a province nobody was drawn in) cannot be met
            ok &= np.bincount(self.labels[self.members], minlength=len(t)) > 0
        return float(np.max(np.abs(s[ok] / t[ok] - 1))) if ok.any() else 0.0


def rake(cells: np.ndarray, margins: Sequence[Margin], iterations: int = 500, tol: float = 1e-10) -> float:
    """Rakes ``cells`` (rows × sectors, non-negative, modified in place) to ``margins`` in turn until every
    margin holds within ``tol`` or ``iterations`` cycles; returns the largest relative deviation left."""
    if not margins:
        return 0.0
    worst = np.inf
    for _ in range(iterations):
        for m in margins:
            m.apply(cells)
        worst = max(m.worst(cells) for m in margins)
        if worst < tol:
            break
    return float(worst)
