"""How close the synthetic population lands to what it was calibrated to: every target of every year beside
the value computed from the generated annual reports (levels over all reports of the year, growth over the
enterprises reporting in both years, as comparable-basis growth is published)."""

from __future__ import annotations

import pandas as pd

from .targets import ITEMS, SECTORS, YearTargets

SECTOR_COLUMNS = {s: f"revenue_{s}" for s in SECTORS}


def _item_column(frame: pd.DataFrame, item: str) -> pd.Series:
    if item == "cloud_bigdata":
        return frame.revenue_cloud_services + frame.revenue_bigdata_services
    return frame[item]


def _value(frame: pd.DataFrame, dimension: str, cell: str) -> pd.Series:
    """The revenue column a target is about, restricted to its cell (万元)."""
    if dimension == "sector":
        return frame[SECTOR_COLUMNS[cell]]
    if dimension == "item":
        return _item_column(frame, cell)
    if dimension == "region":
        return frame.revenue_total[frame.macro_region == cell]
    if dimension == "province":
        return frame.revenue_total[frame.province_code == cell]
    if dimension == "top5":
        return frame.revenue_total[frame.province_code.isin(cell.split(","))]
    return frame.revenue_total


def calibration_table(
    targets: dict[int, YearTargets], years: list[int], enterprises: pd.DataFrame, annual: pd.DataFrame
) -> pd.DataFrame:
    """One row per target: year, measure (level 亿元 | growth %), dimension, cell, target, generated,
    difference (level: percent of the target; growth: percentage points), published, source."""
    geo = enterprises.set_index("enterprise_key")[["macro_region", "province_code"]]
    frames = {
        y: annual[annual.year == y].join(geo, on="enterprise_key").set_index("enterprise_key") for y in years
    }
    rows = []
    for y in years:
        cur = frames[y]
        for t in targets[y].all():
            if t.measure == "level":
                gen = float(_value(cur, t.dimension, t.cell).sum()) / 1e4
                diff = (gen / t.value - 1) * 100 if t.value else float("nan")
            else:
                prev = frames.get(y - 1)
                if prev is None:
                    continue
                both = cur.index.intersection(prev.index)
                num = float(_value(cur.loc[both], t.dimension, t.cell).sum())
                den = float(_value(prev.loc[both], t.dimension, t.cell).sum())
                gen = (num / den - 1) * 100 if den > 0 else float("nan")
                diff = gen - t.value
            rows.append(
                {
                    "year": y,
                    "measure": t.measure,
                    "dimension": t.dimension,
                    "cell": t.cell,
                    "target": round(t.value, 4),
                    "generated": round(gen, 4),
                    "diff": round(diff, 4),
                    "published": t.published,
                    "source": t.source,
                }
            )
    return pd.DataFrame(rows)


__all__ = ["ITEMS", "calibration_table"]
