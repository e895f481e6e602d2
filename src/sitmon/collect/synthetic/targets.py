"""What the synthetic population is calibrated to, year by year: the published levels and comparable-basis
growth of the nation, the macro regions, the five largest provinces, the four sectors and two sub-items
(:mod:`sitmon.catalog.series`, :mod:`sitmon.catalog.regional`), and — where nothing is published — values
derived from the published ones, each marked ``published=False`` with how it was derived.

Levels are in 亿元, growth in percent on a comparable basis (the enterprises present in both years), as the
ministry publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...catalog import load_catalog
from ...catalog.regional import MACRO_AREAS, load_regional
from .calibration import PROVINCE_WEIGHTS, SECTOR_INDICATORS, nearest_shares, published_series, yearly

SECTORS = ("software_products", "it_services", "info_security", "embedded")
#: sub-items calibrated (form indicators → parent sector, published indicator of the regional CSV)
ITEMS = {
    "revenue_industrial_software": ("software_products", "revenue_industrial_software"),
    "cloud_bigdata": ("it_services", "revenue_cloud_bigdata_services"),
}
#: the five largest provinces of 2024 (北京, 广东, 江苏, 山东, 上海), whose combined level is published
TOP5 = "110000,440000,320000,370000,310000"
#: allowance for net entry when a comparable growth rate is not published: level growth minus this (points)
NET_ENTRY_PTS = 1.0


@dataclass(frozen=True)
class CellTarget:
    """One calibration value: ``measure`` ``level`` (亿元) or ``growth`` (percent, comparable basis) of
    ``cell`` in ``dimension`` (national / region / province / sector / item) for ``year``; ``published`` says
    whether the ministry published it (``source``) or it was derived (``source`` says how)."""

    year: int
    measure: str
    dimension: str
    cell: str
    value: float
    published: bool
    source: str


@dataclass
class YearTargets:
    """All targets of one year: levels by region, province (synthetic split) and sector, growth by region,
    published province and sector (None in the first simulated year), sub-item levels and growth."""

    year: int
    national: CellTarget
    regions: dict[str, CellTarget]
    provinces: dict[str, float]
    sectors: dict[str, CellTarget]
    national_growth: CellTarget | None = None
    region_growth: dict[str, CellTarget] = field(default_factory=dict)
    province_growth: dict[str, CellTarget] = field(default_factory=dict)
    sector_growth: dict[str, CellTarget] = field(default_factory=dict)
    items: dict[str, CellTarget] = field(default_factory=dict)
    item_growth: dict[str, CellTarget] = field(default_factory=dict)
    top5: CellTarget | None = None

    def all(self) -> list[CellTarget]:
        """Every target of the year (levels first, then growth)."""
        out = [self.national, *self.regions.values(), *self.sectors.values(), *self.items.values()]
        if self.top5 is not None:
            out.append(self.top5)
        if self.national_growth is not None:
            out.append(self.national_growth)
        return out + [
            *self.region_growth.values(),
            *self.province_growth.values(),
            *self.sector_growth.values(),
            *self.item_growth.values(),
        ]


def _published(series: dict, year: int, indicator: str) -> tuple[float, str] | None:
    hit = series.get((year, indicator))
    return None if hit is None else (hit[0], hit[1 + 1])


def _levels_with_residual(
    year: int,
    dimension: str,
    codes: tuple[str, ...],
    indicators: tuple[str, ...],
    total: float,
    series: dict,
    weights: np.ndarray,
    how: str,
) -> dict[str, CellTarget]:
    """Levels of ``codes``: published where available; the rest share the remainder of ``total`` in proportion
    to ``weights`` (all scaled if the published ones exceed the total)."""
    pub = {c: _published(series, year, ind) for c, ind in zip(codes, indicators, strict=True)}
    known = sum(v[0] for v in pub.values() if v)
    missing = [i for i, c in enumerate(codes) if pub[c] is None]
    out: dict[str, CellTarget] = {}
    rest = total - known
    if missing and rest <= 0 or not missing and abs(known - total) > 1e-6 * total:
        scale = total / (known + (sum(weights[missing]) if missing else 0.0) * max(rest, 0))
        pub = {c: (v[0] * scale, v[1]) if v else None for c, v in pub.items()}
        rest = total - sum(v[0] for v in pub.values() if v)
    w = weights[missing] / weights[missing].sum() if missing else np.array([])
    for i, c in enumerate(codes):
        v = pub[c]
        if v is not None:
            out[c] = CellTarget(year, "level", dimension, c, v[0], True, v[1])
        else:
            out[c] = CellTarget(year, "level", dimension, c, float(rest * w[missing.index(i)]), False, how)
    return out


def _region_weights(year: int, series: dict) -> tuple[np.ndarray, str]:
    """Weights for regions without a published level: back-cast from next year's published levels and growth
    (a common net-entry rate), else the nearest year's published shares."""
    nxt = [
        (
            _published(series, year + 1, f"revenue_region_{m}"),
            _published(series, year + 1, f"revenue_region_{m}_yoy"),
        )
        for m in MACRO_AREAS
    ]
    if all(a and b for a, b in nxt):
        return (
            np.array([a[0] / (1 + b[0] / 100) for a, b in nxt]),  # type: ignore[index]
            f"back-cast from the published {year + 1} levels and growth (remainder of the national total)",
        )
    shares, from_year = nearest_shares(tuple(f"revenue_region_{m}" for m in MACRO_AREAS), year, series)
    return shares, f"published shares of {from_year} (remainder of the national total)"


def year_targets(years: list[int]) -> dict[int, YearTargets]:
    """The targets of every year of ``years`` (consecutive): levels for all, growth from the second year on."""
    series = published_series()
    cat = load_catalog()
    nat = {t.year: t for t in yearly("revenue_total", years, series)}
    out: dict[int, YearTargets] = {}
    for y in years:
        n = nat[y]
        national = CellTarget(y, "level", "national", "national", n.value, n.published, n.source)
        rw, how = _region_weights(y, series)
        regions = _levels_with_residual(
            y,
            "region",
            MACRO_AREAS,
            tuple(f"revenue_region_{m}" for m in MACRO_AREAS),
            n.value,
            series,
            rw,
            how,
        )
        sw, sy = nearest_shares(SECTOR_INDICATORS, y, series)
        sectors = _levels_with_residual(
            y,
            "sector",
            SECTORS,
            SECTOR_INDICATORS,
            n.value,
            series,
            sw,
            f"published sector shares of {sy} (remainder of the national total)",
        )
        provinces = {}
        for m in MACRO_AREAS:
            provs = [p for p in PROVINCE_WEIGHTS if cat.provinces[p].macro == m]
            w = np.array([PROVINCE_WEIGHTS[p] for p in provs])
            provinces.update({p: regions[m].value * wi / w.sum() for p, wi in zip(provs, w, strict=True)})
        out[y] = YearTargets(y, national, regions, provinces, sectors)
        top5 = next((f for f in load_regional() if f.year == y and f.area_code == "top5" and f.value), None)
        if top5 is not None:
            out[y].top5 = CellTarget(y, "level", "top5", TOP5, top5.value, True, top5.source)  # type: ignore[arg-type]
            _split_east(provinces, top5.value, regions["east"].value)  # type: ignore[arg-type]
        _items(out[y], series)
        if y - 1 in out:
            _growth(out[y], out[y - 1], series)
    return out


def _split_east(provinces: dict[str, float], top5: float, east: float) -> None:
    """Rescales the synthetic province split so that the five largest hold the published ``top5`` level and the
    rest of the east the remainder of ``east`` (亿元)."""
    five = TOP5.split(",")
    rest = [p for p in provinces if load_catalog().provinces[p].macro == "east" and p not in five]
    s5, sr = sum(provinces[p] for p in five), sum(provinces[p] for p in rest)
    for p in five:
        provinces[p] *= top5 / s5
    for p in rest:
        provinces[p] *= (east - top5) / sr


def _derived_growth(cur: float, prev: float, nat_cur: float, nat_prev: float, nat_growth: float) -> float:
    """A cell's comparable growth when not published: its level growth scaled like the nation's comparable
    growth relates to the nation's level growth, percent."""
    return ((1 + nat_growth / 100) * (cur / prev) / (nat_cur / nat_prev) - 1) * 100


def _growth(t: YearTargets, p: YearTargets, series: dict) -> None:
    y = t.year
    pub = _published(series, y, "revenue_total_yoy")
    lv = (t.national.value / p.national.value - 1) * 100
    t.national_growth = (
        CellTarget(y, "growth", "national", "national", pub[0], True, pub[1])
        if pub
        else CellTarget(
            y,
            "growth",
            "national",
            "national",
            lv - NET_ENTRY_PTS,
            False,
            f"level growth minus {NET_ENTRY_PTS} point for net entry",
        )
    )
    g = t.national_growth.value
    for dim, cells, prev, indicator in (
        ("region", t.regions, p.regions, "revenue_region_{}_yoy"),
        ("sector", t.sectors, p.sectors, "revenue_{}_yoy"),
    ):
        target = t.region_growth if dim == "region" else t.sector_growth
        for c, cell in cells.items():
            hit = _published(series, y, indicator.format(c))
            target[c] = (
                CellTarget(y, "growth", dim, c, hit[0], True, hit[1])
                if hit
                else CellTarget(
                    y,
                    "growth",
                    dim,
                    c,
                    _derived_growth(cell.value, prev[c].value, t.national.value, p.national.value, g),
                    False,
                    "level growth scaled like the national comparable growth",
                )
            )
    for f in load_regional():
        if f.year == y and f.area_code.isdigit() and f.yoy_pct is not None and f.indicator == "revenue_total":
            t.province_growth[f.area_code] = CellTarget(
                y, "growth", "province", f.area_code, f.yoy_pct, True, f.source
            )
    for item, (_, published) in ITEMS.items():
        fig = next((f for f in load_regional() if f.year == y and f.indicator == published), None)
        if fig is not None and fig.yoy_pct is not None:
            t.item_growth[item] = CellTarget(y, "growth", "item", item, fig.yoy_pct, True, fig.source)


def _items(t: YearTargets, series: dict) -> None:
    """Sub-item levels: published where the regional figures have them, else the latest published share of
    the parent sector."""
    for item, (parent, published) in ITEMS.items():
        figures = [f for f in load_regional() if f.indicator == published and f.value is not None]
        here = next((f for f in figures if f.year == t.year), None)
        if here is not None:
            t.items[item] = CellTarget(t.year, "level", "item", item, here.value, True, here.source)  # type: ignore[arg-type]
            continue
        if not figures:
            continue
        ref = max(figures, key=lambda f: f.year)
        parent_ref = _published(series, ref.year, f"revenue_{parent}")
        if parent_ref is None:
            continue
        share = ref.value / parent_ref[0]  # type: ignore[operator]
        t.items[item] = CellTarget(
            t.year,
            "level",
            "item",
            item,
            share * t.sectors[parent].value,
            False,
            f"the published {ref.year} share of {parent} ({100 * share:.1f} %)",
        )
