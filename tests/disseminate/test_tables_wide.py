"""Tables of many periods and measures on the published session fixture, in the wide layout for people: every
writer's output read back (the CSV with its BOM, the XLSX with openpyxl, JSON, Parquet) and its numbers compared
with the engine's, suppressed cells and the total row included; the official order; the long contract kept."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq
import pytest

from sitmon.analyse.measures import measure
from sitmon.catalog import load_catalog
from sitmon.disseminate.layout import table_document
from sitmon.disseminate.tables import QueryError, published_table
from sitmon.disseminate.writers import MARK, WRITERS, Suppressed
from sitmon.store.warehouse import Warehouse

YEAR = [f"2024-{m:02d}" for m in range(1, 13)]
MEASURES = ["ytd", "yoy", "yoy_comparable"]


def test_many_periods_and_measures_are_the_single_tables_side_by_side(published):
    s = published.settings
    res = published_table(s, "revenue_total", "region", "2024-01:2024-03", ["ytd", "yoy"], unit="100m_cny")
    assert res.periods == ["2024-01", "2024-02", "2024-03"] and res.measures == ["ytd", "yoy"]
    assert res.units == {"ytd": "100m_cny", "yoy": "pct"} and res.materialised == 6
    for p in res.periods:
        for m in res.measures:
            single = published_table(s, "revenue_total", ["region"], p, m, unit="100m_cny")
            part = [r for r in res.rows if (r["period"], r["measure"]) == (p, m)]
            assert part == single.rows
    again = published_table(
        s, "revenue_total", ["region"], ["2024-01,2024-02", "2024-03"], "ytd,yoy", unit="100m_cny"
    )
    assert again.rows == res.rows  # comma lists and repeated values are the same query
    with pytest.raises(QueryError, match="pins one period"):
        published_table(s, "revenue_total", [], "2024-01:2024-02", release=1)
    with pytest.raises(QueryError, match="cannot share a table"):
        published_table(s, "revenue_total", [], "2024,2024-01")
    with pytest.raises(QueryError, match="must be 01–12"):
        published_table(s, "revenue_total", [], "2024-13")
    with pytest.raises(QueryError, match="at most 120"):
        published_table(s, "revenue_total", [], "2023-01:2024-12", "level,ytd,month,yoy,share,contribution")


def _expected(settings, res, by):
    """The engine's cells of every (period, measure) of ``res`` in its units, the national ones under key ()."""
    t = Warehouse(settings).table("monthly")
    out = {}
    for p in res.periods:
        for m in res.measures:
            f = 1e-4 if res.units[m] == "100m_cny" else 1.0  # 万元 → 亿元
            for dims in (by, []):
                for r in measure(t, m, "revenue_total", dims, p).execute().to_dict("records"):
                    v = r["value"]
                    out[(tuple(r[d] for d in dims), p, m)] = None if v != v else v * f
    return out


def _check(res, expected, parsed, public):
    """Every value cell of a wide table read back (key → {column key: shown}) against the engine: rounded to the
    unit's decimals, the mark where the published table suppresses the cell. Returns (checked, marked)."""
    cat = load_catalog()
    flags = {(tuple(r[d] for d in res.by), r["period"], r["measure"]): r["flag"] for r in res.rows}
    flags.update({((), r["period"], r["measure"]): r["flag"] for r in res.total_rows})
    checked = marks = 0
    for (key, p, m), want in expected.items():
        if key not in parsed:
            continue
        shown = parsed[key][f"{p}:{m}"]
        if public and flags.get((key, p, m)):
            assert shown == MARK, (key, p, m)
            marks += 1
        elif want is None:
            assert shown in (None, ""), (key, p, m)
        else:
            decimals = cat.units[res.units[m]].decimals
            assert float(shown) == pytest.approx(round(want, decimals), abs=1e-9), (key, p, m)
            checked += 1
    return checked, marks


@pytest.mark.slow
@pytest.mark.parametrize(
    ("by", "public", "periods"),
    [(["region"], False, YEAR), (["province", "sector"], True, ["2024-05", "2024-06"])],
)
def test_every_writer_reads_back_the_engines_numbers(published, by, public, periods):
    s = published.settings
    res = published_table(
        s, "revenue_total", by, periods, MEASURES, unit="100m_cny", public=public, total=True
    )
    doc = table_document(res, "wide", "zh")
    keys = [c.key for c in doc.columns]
    value_keys = [k for k in keys if ":" in k]
    n_label = len(keys) - len(value_keys)

    def key_of(cells):
        return tuple(cells[d] or None for d in by) if cells[f"{by[0]}_name"] != "全国" else ()

    # CSV with its byte-order mark
    data = WRITERS["csv"].to_bytes(doc)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    body = lines[2 : 2 + len(doc.rows)]
    from_csv = {key_of(dict(zip(keys, r, strict=True))): dict(zip(keys, r, strict=True)) for r in body}
    # XLSX with openpyxl
    ws = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"].to_bytes(doc)))["数据"]
    first = 6  # title (2 rows), period row, zh and en headers
    xrows = [[c.value for c in ws[first + i]] for i in range(len(doc.rows))]
    from_xlsx = {key_of(dict(zip(keys, r, strict=True))): dict(zip(keys, r, strict=True)) for r in xrows}
    assert ws.freeze_panes == ws.cell(first, n_label + 1).coordinate
    # JSON and Parquet: machines get the values as computed, a suppressed one null with its flag
    js = json.loads(WRITERS["json"].to_bytes(doc))
    table = pq.read_table(io.BytesIO(WRITERS["parquet"].to_bytes(doc))).to_pylist()
    expected = _expected(s, res, by)
    for name, parsed in (("csv", from_csv), ("xlsx", from_xlsx)):
        assert set(parsed) == {k for k, _, _ in expected}, name  # every cell of the engine, and the total row
        checked, marks = _check(res, expected, parsed, public)
        assert checked > 20, name
        assert (marks > 0) is public, name
    for jrow, prow in zip(js["rows"], table, strict=True):
        for k in value_keys:
            assert jrow[k] == prow[k]
            assert (jrow.get("flags", {}).get(k) is not None) == (prow.get(f"{k}__flag") is not None)
    # the total row comes first and is the national table (checked against the engine above)
    assert body[0][1] == "全国" and from_xlsx[()][f"{by[0]}_name"] == "全国"
    suppressed = sum(isinstance(v, Suppressed) for r in doc.rows for v in r.values())
    assert suppressed == sum(1 for r in res.rows + res.total_rows if r["flag"])
    assert sum(len(r.get("flags", {})) for r in js["rows"]) == suppressed


def test_rows_follow_the_official_order(published):
    s = published.settings
    cat = load_catalog()
    doc = table_document(
        published_table(s, "revenue_total", "region", "2024-06", "ytd", total=True), "wide", "zh"
    )
    assert [r["region"] for r in doc.rows] == [None, "east", "central", "west", "northeast"]
    assert [r["region_name"] for r in doc.rows] == ["全国", "东部地区", "中部地区", "西部地区", "东北地区"]
    doc = table_document(
        published_table(s, "revenue_total", "sector,province", "2024-06", "ytd", total=True), "wide", "en"
    )
    sectors = [r["sector"] for r in doc.rows[1:]]
    order = list(cat.sectors)
    assert sectors == sorted(
        sectors, key=order.index
    )  # sectors in the bulletin order, then provinces by code
    first = [r["province"] for r in doc.rows[1:] if r["sector"] == order[0]]
    assert first == sorted(first) and doc.rows[1]["sector_name"] == "Software products"
    assert doc.rows[0]["sector_name"] == "National total"


def test_wide_headers_units_rounding_and_notes(published):
    s = published.settings
    res = published_table(
        s,
        "revenue_total",
        ["region"],
        "2024-05:2024-06",
        ["ytd", "month", "yoy_comparable"],
        unit="100m_cny",
        public=True,
        total=True,
    )
    doc = table_document(res, "wide", "zh")
    heads = [doc.header(c) for c in doc.columns]
    assert heads[:2] == ["地区代码", "地区"]
    assert heads[2:5] == [
        "2024年1—5月 软件业务收入（亿元）",
        "2024年1—5月 5月当月（亿元）",
        "2024年1—5月 同口径增长（%）",
    ]
    notes = [zh for zh, _ in doc.notes]
    assert any(MARK in n and "统计披露控制" in n for n in notes) and any("合成数据" in n for n in notes)
    assert any(n.startswith("数据版本：2024-05至2024-06各期第1版") for n in notes)
    en = table_document(res, "wide", "en")
    assert [en.header(c) for c in en.columns][2] == "Jan–May 2024 Software business revenue (100m CNY)"
    assert en.text(en.title) == "Software business revenue by region, May 2024 to Jun 2024"
    long = table_document(res, "long", "en")
    assert [c.key for c in long.columns] == [
        "region",
        "period",
        "indicator",
        "measure",
        "value",
        "flag",
        "unit",
    ]
    assert not long.for_people and long.rows[0]["unit"] == "100m_cny"
