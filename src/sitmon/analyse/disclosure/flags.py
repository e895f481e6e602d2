"""From patterns to the flags of a published measure: every measure of a cell uses its level's pattern, and a
measure that combines periods is suppressed wherever any level it is computed from is suppressed.

An attacker holds every published figure, so a derived figure must not reopen a suppressed level:
- single month = YTD_t − YTD_{t−1}: with YTD_{t−1} published it would give YTD_t, and the other way round;
- YoY = YTD_t / YTD_{t−1y} − 1: with last year's level it would give this year's, and back;
- comparable-basis YoY: the same, and its panel (enterprises in both years) gets the threshold and dominance
  rules of its own, since the growth of a one-enterprise panel is that enterprise's growth;
- share = x / national: the national total is published, so a share reveals x; no share without a total;
- contribution = (x_t − x_{t−1y}) / national_{t−1y}: needs the cell in both years and last year's total.
Whatever a derived figure needs is thus published itself, so derived tables add no equation the level tables
lack, and the attacker audit of the level tables covers them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .rules import SECONDARY

Flags = Mapping[tuple, str | None]

#: which levels each measure is computed from: this period, the previous month, the same period last year,
#: the national total of this period / of last year
NEEDS = {
    "level": ("cur",),
    "ytd": ("cur",),
    "month": ("cur", "prev"),
    "yoy": ("cur", "last"),
    "yoy_comparable": ("cur", "last", "panel"),
    "share": ("cur", "cur_total"),
    "contribution": ("cur", "last", "last_total"),
}


def measure_flags(
    measure: str,
    current: Flags,
    previous: Flags | None = None,
    last_year: Flags | None = None,
    current_total: str | None = None,
    last_year_total: str | None = None,
    panel: Flags | None = None,
) -> dict[tuple, str | None]:
    """Reason code (or None) per cell of one table for ``measure``: the cell's own code in ``current`` (this
    period's pattern of the table), else ``secondary`` when a level the measure needs is suppressed —
    the same cell in ``previous`` (last month) or ``last_year``, the national total (``current_total``,
    ``last_year_total``: its code) — or the panel's own code for comparable growth. A cell absent from
    the other period is a known empty cell there (nothing to protect)."""
    if measure not in NEEDS:
        raise KeyError(f"unknown measure {measure}")
    needs = NEEDS[measure]
    out: dict[tuple, str | None] = {}
    for key, flag in current.items():
        if flag is None and "panel" in needs and panel is not None:
            flag = panel.get(key)
        if flag is None:
            others = [
                previous.get(key) if "prev" in needs and previous is not None else None,
                last_year.get(key) if "last" in needs and last_year is not None else None,
                current_total if "cur_total" in needs else None,
                last_year_total if "last_total" in needs else None,
            ]
            if any(o is not None for o in others):
                flag = SECONDARY
        out[key] = flag
    return out


def protect_parts(
    values: Mapping[str, float], flags: Mapping[str, str | None], protection_pct: float
) -> dict[str, str | None]:
    """Flags of the national cells of the parts of one published total (the four sub-sector revenues, which add
    up to the software business revenue): a part suppressed alone is the total minus the others, so more parts
    are suppressed until each suppressed part has room for ±p. The parts' sum is known, so part i ranges over
    [0, Σ suppressed] and needs Σ_{j≠i} suppressed ≥ p·|x_i|; the partner added is the smallest that
    achieves this, else the largest left. (With every part suppressed a part may still hold almost all of
    the total: the total itself is not suppressed here.)"""
    p = protection_pct / 100.0
    out = dict(flags)

    def protected(flags: Mapping[str, str | None]) -> bool:
        sup = [abs(values[k]) for k, f in flags.items() if f is not None]
        return all(sum(sup) - x >= p * x and sum(sup) > 0 for x in sup)

    while not protected(out):
        rest = sorted((abs(values[k]), k) for k, f in out.items() if f is None)
        if not rest:
            break
        enough = [k for _, k in rest if protected({**out, k: SECONDARY})]
        out[enough[0] if enough else rest[-1][1]] = SECONDARY
    return out
