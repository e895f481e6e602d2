"""Primary suppression: the threshold rule and the dominance rule, on cell statistics (plain numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...catalog.disclosure import DisclosureRules

THRESHOLD, DOMINANCE, ZERO, SECONDARY = "threshold", "dominance", "zero", "secondary"
#: reason codes of a suppressed cell, in the order a cell is given one
REASONS = (THRESHOLD, DOMINANCE, ZERO, SECONDARY)


def threshold_rule(n: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """True where a cell has fewer than ``threshold.min_enterprises`` enterprises (阈值规则)."""
    return np.asarray(n) < rules.threshold.min_enterprises


def dominance_rule(top: np.ndarray, total_abs: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """True where the ``dominance.n`` largest contributions hold more than ``dominance.k`` % of the cell
    (支配规则): Σ_{i≤n} |x|_(i) > k/100 · Σ|x|. ``top`` is cells × (at least n) largest |x|, descending."""
    top = np.asarray(top, dtype=float)[:, : rules.dominance.n]
    total_abs = np.asarray(total_abs, dtype=float)
    return (total_abs > 0) & (top.sum(axis=1) > rules.dominance.k / 100.0 * total_abs)


def zero_rule(n: np.ndarray, total_abs: np.ndarray) -> np.ndarray:
    """True where a cell of at least one enterprise is zero (零值规则): for an indicator that cannot be negative,
    a published 0 tells that every enterprise in the cell had 0 — a group disclosure."""
    return (np.asarray(n) >= 1) & (np.asarray(total_abs, dtype=float) == 0)


def primary_flags(cells: pd.DataFrame, rules: DisclosureRules, nonnegative: bool = True) -> np.ndarray:
    """Reason code per cell — ``threshold``, ``dominance``, ``zero`` (``nonnegative`` indicators only) or None
    (published) — from the columns ``n``, ``abs`` and ``top1``… of
    :class:`~sitmon.analyse.disclosure.cells.LinkedTables` cells; the threshold rule comes first, then
    dominance, then zero."""
    flags = np.full(len(cells), None, dtype=object)
    if nonnegative:
        flags[zero_rule(cells.n.to_numpy(), cells["abs"].to_numpy())] = ZERO
    top = np.column_stack([cells[f"top{i + 1}"].to_numpy(dtype=float) for i in range(rules.dominance.n)])
    flags[dominance_rule(top, cells["abs"].to_numpy(), rules)] = DOMINANCE
    flags[threshold_rule(cells.n.to_numpy(), rules)] = THRESHOLD
    return flags
