"""The explorer's downloads: a published table, whole, as CSV (UTF-8 with BOM, for Excel) or XLSX, one row per
cell of each (period, measure) — the columns of ``sitmon query --format csv`` with the cells' names beside
their codes. Text that a spreadsheet would run as a formula is escaped (OWASP CSV-injection rule).

(To be replaced by the registry of writers of ``disseminate/writers/`` when it lands.)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ..tables import TableResult
from .format import Formatter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """``value`` safe for a spreadsheet: a string starting with ``= + - @``, tab or CR gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def long_rows(results: Sequence[TableResult], lang: str) -> tuple[list[str], list[list[Any]]]:
    """(header, rows) of ``results`` in long form: each dimension's code and name, then period, indicator,
    measure, value (full precision; empty when suppressed), flag and unit."""
    f = Formatter(lang)
    by = list(results[0].by) if results else []
    header = [c for d in by for c in (d, f"{d}_name")] + [
        "period",
        "indicator",
        "measure",
        "value",
        "flag",
        "unit",
    ]
    rows = []
    for res in results:
        for r in res.rows:
            dims = [x for d in by for x in (None if r.get(d) is None else str(r[d]), f.cell(d, r.get(d)))]
            rows.append(
                [escape_cell(x) for x in dims]
                + [res.period, res.indicator, res.measure, r["value"], r.get("flag"), res.unit]
            )
    return header, rows


def to_csv(results: Sequence[TableResult], lang: str) -> bytes:
    """The tables as CSV, UTF-8 with a BOM (Excel opens it as Unicode); a suppressed value is empty with its flag."""
    header, rows = long_rows(results, lang)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(["" if x is None else x for x in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(results: Sequence[TableResult], lang: str, title: str, note: str) -> bytes:
    """The tables as an XLSX workbook: the data sheet (header + one row per cell; numbers as numbers) and a
    notes sheet (title, definitions, releases, synthetic or not)."""
    from openpyxl import Workbook

    header, rows = long_rows(results, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(header)
    for row in rows:
        ws.append(row)
    notes = wb.create_sheet("notes")
    notes.append([escape_cell(title)])
    notes.append([escape_cell(note)])
    for res in results:
        notes.append(
            [
                res.period,
                res.measure,
                escape_cell(res.definition.render(lang) if res.definition else ""),
                ", ".join(f"{k}#{v}" for k, v in sorted(res.releases.items()) if k == res.period),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
