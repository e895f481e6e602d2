"""Small linked tables built by hand from enterprise values, for the disclosure tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sitmon.analyse.disclosure import LinkedTables, build_linked
from sitmon.catalog.disclosure import DisclosureRules, load_disclosure

RULES = load_disclosure()


def stats(groups: Sequence[dict], keys: Sequence[str], top: int = 2) -> pd.DataFrame:
    """One row per group: the ``keys`` columns, and n, sum, abs, top1… of its enterprise values ``x``."""
    rows = []
    for g in groups:
        x = np.asarray(g["x"], dtype=float)
        tops = sorted(np.abs(x), reverse=True) + [0.0] * top
        rows.append(
            {
                **{k: g.get(k) for k in keys},
                "n": len(x),
                "sum": x.sum(),
                "abs": np.abs(x).sum(),
                **{f"top{i + 1}": tops[i] for i in range(top)},
            }
        )
    return pd.DataFrame(rows)


def linked(
    atoms: Sequence[dict], tables: Sequence[Sequence[str]], tiers: Sequence[dict] = ()
) -> LinkedTables:
    """Linked tables over hand-made atoms (dicts with region, province, optional city, sector and values x)."""
    a = stats([{"city": None, "sector": "all", **g} for g in atoms], ("region", "province", "city", "sector"))
    t = (
        stats(tiers, ("size_tier",))
        if tiers
        else pd.DataFrame(columns=["size_tier", "n", "sum", "abs", "top1", "top2"])
    )
    return build_linked(a, t, tables, "x", 2)


def many(total: float, n: int) -> list[float]:
    """``n`` equal enterprise values adding up to ``total`` (never dominated for n ≥ 3)."""
    return [total / n] * n


def rules(**changes) -> DisclosureRules:
    """The shipped rules with some parameters changed."""
    return RULES.model_copy(update=changes)
