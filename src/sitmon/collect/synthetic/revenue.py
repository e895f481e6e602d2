"""Enterprise × sector revenue of the synthetic population, calibrated year by year to the published levels
and comparable-basis growth (:mod:`.targets`) by raking (:mod:`.raking`).

Each year the enterprises active in December are three groups: continuing (active last December too),
entrants, and — inside both — the ones that will exit next year. The continuing enterprises carry last year's
revenue forward with their own growth (persistent + yearly shocks, so the enterprise-level spread stays) and
are raked to the published growth by region, by the five published provinces and by sector; entrants fill
the rest of the published levels; the exiting enterprises are raked to the revenue next year's levels need
to leave (a region whose level grows less than its comparable growth must lose revenue through exits).
Values are in 万元.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .raking import Margin, rake
from .targets import SECTORS, CellTarget, YearTargets

MACROS = ("east", "central", "west", "northeast")
#: least revenue share of entrants and of exits in a year (of the level), so neither group is empty
ENTRY_MIN, EXIT_MIN = 0.006, 0.006
TO_10K = 1e4  # 亿元 → 万元


@dataclass
class Layout:
    """Who is where and when: December activity (enterprise × year), the share of each year's revenue earned
    while active, province and macro-region indices of each enterprise."""

    dec: np.ndarray
    part: np.ndarray
    province: np.ndarray
    macro: np.ndarray
    provinces: list[str]


def exit_targets(cur: YearTargets, nxt: YearTargets) -> tuple[np.ndarray, np.ndarray]:
    """(by macro region, by sector) revenue in 亿元 that this year's exits should hold: enough that next year's
    entrants fill next year's level after the continuing enterprises grow at next year's comparable rate, with at
    least :data:`ENTRY_MIN` / :data:`EXIT_MIN` of the level in each group; both totals made equal."""

    def needed(
        levels: dict[str, CellTarget],
        nxt_levels: dict[str, CellTarget],
        growth: dict[str, CellTarget],
        codes: tuple[str, ...],
    ) -> np.ndarray:
        out = []
        for c in codes:
            now, then, g = levels[c].value, nxt_levels[c].value, 1 + growth[c].value / 100
            net = then - now * g
            entrants = max(ENTRY_MIN * then, net + EXIT_MIN * now * g)
            out.append((entrants - net) / g)
        return np.array(out)

    by_region = needed(cur.regions, nxt.regions, nxt.region_growth, MACROS)
    by_sector = needed(cur.sectors, nxt.sectors, nxt.sector_growth, SECTORS)
    total = max(by_region.sum(), by_sector.sum())
    return by_region * total / by_region.sum(), by_sector * total / by_sector.sum()


def calibrate(
    targets: dict[int, YearTargets],
    years: list[int],
    lay: Layout,
    raw: np.ndarray,
    split: np.ndarray,
    rng: np.random.Generator,
    growth: bool = True,
) -> tuple[np.ndarray, list[float]]:
    """Revenue cells (enterprise × year × sector, 万元) and the largest relative deviation left by the raking
    of each year. ``raw`` holds uncalibrated sizes (enterprise × year), ``split`` the sector-share seed.

    The first year is raked as one group (levels, and the exits' share); later years rake the continuing
    enterprises to the growth margins first and then the entrants to what the levels leave. ``growth=False``
    rakes every year like the first (levels only: the comparison the benchmark makes)."""
    total, ny = raw.shape
    values = np.zeros((total, ny, len(SECTORS)))
    residual = []
    for k, y in enumerate(years):
        t, nxt = targets[y], targets.get(y + 1) if k + 1 < len(years) else None
        act = lay.dec[:, k]
        seed = raw[:, k, None] * lay.part[:, k, None] * split
        leaving = (
            act & ~lay.dec[:, k + 1] if nxt is not None and nxt.region_growth else np.zeros(total, dtype=bool)
        )
        exits = exit_targets(t, nxt) if leaving.any() and nxt is not None else None
        if k > 0:  # the continuing enterprises carry last year's revenue forward with their own growth
            cont = act & lay.dec[:, k - 1]
            step = raw[:, k] / raw[:, k - 1]
            seed[cont] = (
                values[cont, k - 1]
                * step[cont, None]
                * rng.lognormal(0, 0.05, (int(cont.sum()), len(SECTORS)))
            )
            gone = ~act & lay.dec[:, k - 1]  # exited during the year: they file monthly until they close
            values[gone, k] = values[gone, k - 1] * (step * lay.part[:, k])[gone, None]
        if k == 0 or not growth:
            groups = [(act, _level_margins(t, lay, act, values, None, k))]
        else:
            groups = [(cont, _growth_margins(t, lay, cont, values, k)), (act & ~lay.dec[:, k - 1], [])]
        shares = _exit_shares(groups, seed, leaving, lay) if exits is not None else None
        worst = 0.0
        for g, (rows, margins) in enumerate(groups):
            if g == 1:  # entrants: what the levels leave after the continuing enterprises
                margins = _level_margins(t, lay, rows, values, act & ~rows, k)
            if exits is not None and shares is not None:
                margins = _with_exits(margins, rows, leaving, lay, exits, shares[g])
            cells = seed[rows].copy()
            worst = max(worst, rake(cells, margins))
            values[rows, k] = cells
        residual.append(worst)
    return values, residual


def _level_margins(
    t: YearTargets, lay: Layout, rows: np.ndarray, values: np.ndarray, others: np.ndarray | None, k: int
) -> list[Margin]:
    """Level margins over ``rows``: the targets less what ``others`` (the continuing enterprises, already
    raked) hold; provinces only in the first year (their split is synthetic)."""
    n = int(rows.sum())
    everyone = np.ones(n, dtype=bool)
    macro = lay.macro[rows]
    held_r: np.ndarray = np.zeros(len(MACROS))
    held_s: np.ndarray = np.zeros(len(SECTORS))
    if others is not None and others.any():
        held_r = np.bincount(lay.macro[others], weights=values[others, k].sum(axis=1), minlength=len(MACROS))
        held_s = values[others, k].sum(axis=0)
    level_region = np.array([t.regions[m].value for m in MACROS]) * TO_10K - held_r
    level_sector = np.array([t.sectors[s].value for s in SECTORS]) * TO_10K - held_s
    out = []
    if others is None:
        level_prov = np.array([t.provinces[p] for p in lay.provinces]) * TO_10K
        out.append(Margin("province level", everyone, lay.province[rows], level_prov))
    if t.top5 is not None:
        top = np.isin(np.array(lay.provinces)[lay.province], t.top5.cell.split(","))
        held = float(values[others & top, k].sum()) if others is not None else 0.0
        out.append(
            Margin(
                "top-5 level",
                everyone,
                (~top[rows]).astype(np.int64),
                np.array([max(t.top5.value * TO_10K - held, 0.0), np.nan]),
            )
        )
    return [
        *out,
        Margin("region level", everyone, macro, np.maximum(level_region, 0)),
        Margin("sector level", everyone, None, np.maximum(level_sector, 0)),
        Margin("region level", everyone, macro, np.maximum(level_region, 0)),
    ]


def _growth_margins(
    t: YearTargets, lay: Layout, cont: np.ndarray, values: np.ndarray, k: int
) -> list[Margin]:
    """Growth margins over the continuing enterprises: the five published provinces, the regions, the sectors
    (the sectors' made consistent with the regions': published rates are rounded, a few 0.01 points)."""
    n = int(cont.sum())
    everyone = np.ones(n, dtype=bool)
    before = values[cont, k - 1]
    prov, macro = lay.province[cont], lay.macro[cont]
    prev_prov = np.bincount(prov, weights=before.sum(axis=1), minlength=len(lay.provinces))
    prev_region = np.bincount(macro, weights=before.sum(axis=1), minlength=len(MACROS))
    grow_prov = np.full(len(lay.provinces), np.nan)
    for code, g in t.province_growth.items():
        i = lay.provinces.index(code)
        grow_prov[i] = prev_prov[i] * (1 + g.value / 100)
    grow_region = prev_region * np.array([1 + t.region_growth[m].value / 100 for m in MACROS])
    grow_sector = before.sum(axis=0) * np.array([1 + t.sector_growth[s].value / 100 for s in SECTORS])
    grow_sector *= grow_region.sum() / grow_sector.sum()
    return [
        Margin("province growth", everyone, prov, grow_prov),
        Margin("region growth", everyone, macro, grow_region),
        Margin("sector growth", everyone, None, grow_sector),
        Margin("region growth", everyone, macro, grow_region),
    ]


def _exit_shares(
    groups: list[tuple[np.ndarray, list[Margin]]], seed: np.ndarray, leaving: np.ndarray, lay: Layout
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each group's share of the exits' revenue by region and by sector, from the seeds."""
    sums = [
        (
            np.bincount(
                lay.macro[rows & leaving], weights=seed[rows & leaving].sum(axis=1), minlength=len(MACROS)
            ),
            seed[rows & leaving].sum(axis=0),
        )
        for rows, _ in groups
    ]
    tot_r = sum(r for r, _ in sums)
    tot_s = sum(c for _, c in sums)
    return [
        (
            np.divide(r, tot_r, out=np.zeros_like(r), where=tot_r > 0),
            np.divide(c, tot_s, out=np.zeros_like(c), where=tot_s > 0),
        )
        for r, c in sums
    ]


def _with_exits(
    margins: list[Margin],
    rows: np.ndarray,
    leaving: np.ndarray,
    lay: Layout,
    exits: tuple[np.ndarray, np.ndarray],
    share: tuple[np.ndarray, np.ndarray],
) -> list[Margin]:
    """``margins`` with the exits' share of this group inserted before the last two (levels or growth)."""
    mine = leaving[rows]
    if not mine.any():
        return margins
    extra = [
        Margin("exits by region", mine, lay.macro[rows], exits[0] * share[0] * TO_10K),
        Margin("exits by sector", mine, None, exits[1] * share[1] * TO_10K),
    ]
    return [*margins[:-2], *extra, *margins[-2:]]


def item_factors(
    targets: dict[int, YearTargets],
    years: list[int],
    item: str,
    parent: np.ndarray,
    share: np.ndarray,
    dec: np.ndarray,
) -> dict[int, float]:
    """Year → factor f of a sub-item = f × share × parent revenue (万元), so that the published level holds
    where published; a year before one with published growth takes the factor that gives that growth; the
    others the derived level."""
    out: dict[int, float] = {}
    base = {y: float((share * parent[:, k])[dec[:, k]].sum()) for k, y in enumerate(years)}
    for y in years:
        tgt = targets[y].items.get(item)
        if tgt is not None and tgt.published and base[y] > 0:
            out[y] = tgt.value * TO_10K / base[y]
    for k in range(len(years) - 1, -1, -1):
        y = years[k]
        if y in out:
            continue
        growth = targets[y + 1].item_growth.get(item) if y + 1 in targets else None
        if growth is not None and y + 1 in out:
            cont = dec[:, k] & dec[:, k + 1]
            num = float((share * parent[:, k + 1])[cont].sum()) * out[y + 1]
            den = float((share * parent[:, k])[cont].sum()) * (1 + growth.value / 100)
            out[y] = num / den if den > 0 else 1.0
        else:
            tgt = targets[y].items.get(item)
            out[y] = tgt.value * TO_10K / base[y] if tgt is not None and base[y] > 0 else 1.0
    return out
