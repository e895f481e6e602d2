"""The open data of one period: every published cell of every indicator's published tables (nation, macro regions,
provinces, cities, sectors and their crossings), for the measures LEVEL, YOY and YOY_COMPARABLE, from the one
published-table function with disclosure control applied. A withheld cell is a row without a value, with
OBS_STATUS M and CONF_STATUS C (threshold or dominance) or D (secondary suppression).

The rows form a long :class:`~sitmon.disseminate.writers.Document` whose columns are the SDMX components, so the
same table is written as SDMX-ML, SDMX-CSV, CSV, XLSX or Parquet by the writers registry.
"""

from __future__ import annotations

from typing import Any

from ...catalog import load_catalog
from ...catalog.disclosure import load_disclosure
from ...config import Settings
from ...domain import Period
from ..bulletins.data import public_release
from ..tables import QueryError, published_table
from ..writers import Column, Document
from .structure import (
    ALL_SECTORS,
    ATTRIBUTES,
    CONF,
    DIMENSIONS,
    FLOW_ID,
    MEASURES,
    UNITS,
    area_code,
    indicator_code,
)

AREA_DIMS = ("region", "province", "city")


def _tables(indicator: Any) -> list[tuple[str, ...]]:
    """The published tables of ``indicator`` that REF_AREA × SECTOR can hold (size tiers are not in the DSD)."""
    return [t for t in load_disclosure().tables_for(indicator) if "size_tier" not in t]


def open_data(settings: Settings, period: str, release: int | None = None) -> Document:
    """The open data of ``period`` (release ``release``, default the latest) as a long document with the columns
    FREQ, REF_AREA, SECTOR, INDICATOR, MEASURE, TIME_PERIOD, OBS_VALUE and the attributes; QueryError when the
    period is not published or the release is not the latest. Values are in the form's units (万元 with UNIT_MULT 4, persons, percent)."""
    p = Period.parse(period)
    files = public_release(settings, p, release)
    cat = load_catalog()
    rows: list[dict[str, Any]] = []
    for code in cat.forms[p.form].indicators:
        ind = cat.indicators[code]
        for table in _tables(ind):
            for measure, sdmx_measure in MEASURES.items():
                try:
                    res = published_table(
                        settings, code, list(table), str(p), [measure], release=files.number, public=True
                    )
                except QueryError:
                    continue  # e.g. growth in the first year of data: no year before
                unit_measure, mult = UNITS[res.units[measure]]
                for r in res.rows:
                    area_dim = next((d for d in table if d in AREA_DIMS), None)
                    area = area_code(area_dim, r.get(area_dim) if area_dim else None)
                    sector = str(r["sector"]).upper() if "sector" in table else ALL_SECTORS
                    rows.append(
                        {
                            "FREQ": "M" if p.month else "A",
                            "REF_AREA": area,
                            "SECTOR": sector,
                            "INDICATOR": indicator_code(code),
                            "MEASURE": sdmx_measure,
                            "TIME_PERIOD": str(p),
                            "OBS_VALUE": r["value"],
                            "UNIT_MEASURE": unit_measure,
                            "UNIT_MULT": str(mult),
                            "OBS_STATUS": "A" if r["value"] is not None else "M",
                            "CONF_STATUS": CONF.get(r["flag"], "C"),
                        }
                    )
    cols = [Column(c, (c, c), kind="code") for c in DIMENSIONS]
    cols.append(Column("OBS_VALUE", ("OBS_VALUE", "OBS_VALUE"), kind="number"))
    cols += [Column(a, (a, a), kind="code") for a in ATTRIBUTES]
    return Document(
        title=(f"软件和信息技术服务业开放数据 {p}", f"Software and IT services open data, {p}"),
        columns=cols,
        rows=rows,
        name=f"sitmon-{FLOW_ID}-{p}-r{files.number}",
        for_people=False,
        meta={
            "sdmx": FLOW_ID,
            "period": str(p),
            "release": files.number,
            "synthetic": bool(files.manifest.get("synthetic")),
            "protected": True,
        },
    )
