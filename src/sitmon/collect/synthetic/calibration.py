"""Calibration targets from the real published national figures (shipped series, with sources).

Years without a published figure are interpolated (or extrapolated) geometrically and say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...catalog.series import load_series

SECTOR_INDICATORS = (
    "revenue_software_products",
    "revenue_it_services",
    "revenue_info_security",
    "revenue_embedded",
)
MACROS = ("east", "central", "west", "northeast")

#: Synthetic split of each macro region's revenue over its provinces (percent of the national total in
#: 2024, chosen so that Beijing, Guangdong, Jiangsu, Shandong and Shanghai hold the published 70.1 %).
#: Not a published figure: only the macro-region totals and the top-5 share are.
PROVINCE_WEIGHTS = {
    "110000": 22.0,
    "440000": 15.9,
    "320000": 12.0,
    "370000": 10.2,
    "310000": 10.0,
    "330000": 7.6,
    "350000": 2.6,
    "120000": 1.3,
    "130000": 0.5,
    "460000": 0.3,
    "420000": 1.9,
    "340000": 1.1,
    "430000": 1.0,
    "410000": 0.7,
    "360000": 0.4,
    "140000": 0.25,
    "510000": 4.1,
    "610000": 2.7,
    "500000": 1.6,
    "520000": 0.5,
    "530000": 0.3,
    "450000": 0.3,
    "650000": 0.15,
    "150000": 0.15,
    "620000": 0.08,
    "640000": 0.06,
    "630000": 0.03,
    "540000": 0.03,
    "210000": 1.5,
    "230000": 0.4,
    "220000": 0.39,
}


@dataclass(frozen=True)
class Target:
    """One calibration value: the number used, whether it was published (with source) or derived."""

    year: int
    indicator: str
    value: float
    unit: str
    published: bool
    source: str


def published_series() -> dict[tuple[int, str], tuple[float, str, str]]:
    """(year, indicator) → (value, unit, source) of the latest vintage (revisions and duplicates resolved as
    :func:`sitmon.catalog.series.load_series` does)."""
    return {(o.year, o.indicator): (o.value, o.unit, o.source) for o in load_series().observations if o.used}


def yearly(
    indicator: str, years: list[int], series: dict[tuple[int, str], tuple[float, str, str]]
) -> list[Target]:
    """Targets of ``indicator`` for ``years``: published where available, else geometric inter/extrapolation."""
    known = sorted((y, v) for (y, ind), (v, _, _) in series.items() if ind == indicator)
    if not known:
        raise KeyError(indicator)
    ky = np.array([k[0] for k in known], dtype=float)
    kv = np.log([k[1] for k in known])
    out = []
    for y in years:
        if (y, indicator) in series:
            v, unit, src = series[(y, indicator)]
            out.append(Target(y, indicator, v, unit, True, src))
            continue
        if ky[0] <= y <= ky[-1]:
            val = float(np.exp(np.interp(y, ky, kv)))
            how = "interpolated geometrically between published years"
        else:
            tail = slice(-4, None) if y > ky[-1] else slice(0, 4)
            slope = np.polyfit(ky[tail], kv[tail], 1)[0]
            anchor = (ky[-1], kv[-1]) if y > ky[-1] else (ky[0], kv[0])
            val = float(np.exp(anchor[1] + slope * (y - anchor[0])))
            how = "extrapolated with the trend of the nearest published years"
        unit = series[(int(ky[0]), indicator)][1]
        out.append(Target(y, indicator, val, unit, False, how))
    return out


def nearest_shares(
    prefix_items: tuple[str, ...],
    year: int,
    series: dict[tuple[int, str], tuple[float, str, str]],
    share_suffix: str = "_share",
) -> tuple[np.ndarray, int]:
    """Shares (summing to 1) of ``prefix_items`` in the published year nearest ``year`` that has all of them."""
    candidates: list[tuple[float, int, np.ndarray]] = []
    for (y, _), _ in series.items():
        levels = [series.get((y, k)) for k in prefix_items]
        shares = [series.get((y, k + share_suffix)) for k in prefix_items]
        if all(levels):
            candidates.append((abs(y - year), y, np.array([v[0] for v in levels])))  # type: ignore[index]
        elif all(shares):
            candidates.append((abs(y - year) + 0.5, y, np.array([v[0] for v in shares])))  # type: ignore[index]
    _, y, vals = min(candidates, key=lambda c: c[0])
    return vals / vals.sum(), y
