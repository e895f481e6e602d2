"""XLSX through openpyxl, for Excel and WPS: the title, bilingual header rows (the period over its columns, the
label with its unit in the reader's language, then in the other), numbers stored as numbers with number formats,
frozen panes, column widths, the notes under the table and a notes sheet in both languages. Text that starts like
a formula is escaped; a suppressed cell holds the mark, never 0.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from ... import __version__
from ...domain import text
from ...domain.spreadsheet import escape_cell
from .document import Column, Document, Report

MAX_WIDTH = 48


def write(doc: Document | Report, out: BinaryIO) -> None:
    """Write ``doc`` as an XLSX workbook onto ``out``: a table on a data sheet with a notes sheet; a report as a
    text sheet (title, banner, paragraphs) and one sheet per table."""
    from openpyxl import Workbook

    wb = Workbook()
    if isinstance(doc, Report):
        _report(wb, doc)
        wb.save(out)
        return
    ws = wb.active
    ws.title = text("tables.sheet_data", doc.lang)
    _table_sheet(ws, doc)
    _notes_sheet(wb, doc, "en" if doc.lang == "zh" else "zh")
    wb.properties.creator = f"sitmon {__version__}"
    wb.properties.title = doc.text(doc.title)
    wb.save(out)


def _report(wb: Any, report: Report) -> None:
    """The report's text on its first sheet, then each table on a sheet of its own (named after its key)."""
    from openpyxl.styles import Alignment, Font

    ws = wb.active
    ws.title = "通报" if report.lang == "zh" else "Bulletin"
    row = 1
    if report.banner:
        ws.cell(row, 1, escape_cell(report.text(report.banner))).font = Font(bold=True, color="A33D3D")
        row += 1
    ws.cell(row, 1, escape_cell(report.text(report.title))).font = Font(bold=True, size=14)
    ws.cell(row + 1, 1, escape_cell(report.text(report.subtitle))).font = Font(color="666666")
    row += 3
    for section in report.sections:
        if section.paragraphs:
            ws.cell(row, 1, escape_cell(report.text(section.heading))).font = Font(bold=True, size=12)
            row += 1
        for p in section.paragraphs:
            cell = ws.cell(row, 1, escape_cell(report.text(p)))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 15 * (1 + _width(report.text(p)) // 110)
            row += 1
        row += 1
    ws.column_dimensions["A"].width = 110
    for section in report.sections:
        for table in section.tables:
            sheet = wb.create_sheet(str(table.meta.get("table") or table.name)[:31])
            _table_sheet(sheet, table)
            if report.banner:
                sheet.cell(sheet.max_row + 2, 1, escape_cell(report.text(report.banner))).font = Font(
                    bold=True, color="A33D3D"
                )
    wb.properties.creator = f"sitmon {__version__}"
    wb.properties.title = report.text(report.title)


def _table_sheet(ws: Any, doc: Document) -> None:
    """``doc`` on worksheet ``ws``: title, header rows in both languages, rows with number formats, notes."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    other = "en" if doc.lang == "zh" else "zh"
    bold, grey = Font(bold=True), Font(color="666666")
    head_fill = PatternFill("solid", fgColor="E8EEF4")
    widths = [_width(_label(doc, c, doc.lang)) for c in doc.columns]

    ws.cell(1, 1, escape_cell(doc.text(doc.title))).font = Font(bold=True, size=13)
    ws.cell(2, 1, escape_cell(_in(doc.title, other))).font = grey
    row = 3
    if any(c.group for c in doc.columns):
        start = 0
        for i, c in enumerate(doc.columns + [Column("", ("", ""))]):
            if i == len(doc.columns) or c.group != doc.columns[start].group:
                group = doc.columns[start].group
                if group is not None:
                    cell = ws.cell(row, start + 1, escape_cell(doc.text(group)))
                    cell.font, cell.fill, cell.alignment = bold, head_fill, Alignment(horizontal="center")
                    if i - start > 1:
                        ws.merge_cells(start_row=row, start_column=start + 1, end_row=row, end_column=i)
                start = i
        row += 1
    for lang, font in ((doc.lang, bold), (other, grey)):
        for j, c in enumerate(doc.columns, start=1):
            cell = ws.cell(row, j, escape_cell(_label(doc, c, lang)))
            cell.font, cell.fill = font, head_fill
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="right" if c.kind == "number" else "left"
            )
        row += 1
    first_data = row
    for i, r in enumerate(doc.rows):
        for j, c in enumerate(doc.columns, start=1):
            value = _cell_value(doc.shown(c, r.get(c.key)))
            cell = ws.cell(row, j, value)
            if c.kind == "number":
                cell.number_format = _number_format(c) if doc.for_people else "General"
                cell.alignment = Alignment(horizontal="right")
            if i < doc.total_rows:
                cell.font = bold
            widths[j - 1] = max(widths[j - 1], _width(_display(value, c, doc.for_people)))
        row += 1
    labels = sum(1 for c in doc.columns if c.kind != "number")
    ws.freeze_panes = ws.cell(first_data, labels + 1)
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, w + 2)
    if doc.notes:
        row += 1
        for note in doc.notes:
            ws.cell(row, 1, escape_cell(doc.text(note))).font = grey
            row += 1


def _notes_sheet(wb: Any, doc: Document, other: str) -> None:
    from openpyxl.styles import Alignment, Font

    ns = wb.create_sheet(text("tables.sheet_notes", doc.lang))
    ns.cell(1, 1, text("tables.notes_heading", doc.lang)).font = Font(bold=True, size=13)
    ns.cell(1, 2, text("tables.notes_heading", other)).font = Font(bold=True, size=13)
    lines = [doc.title, *doc.notes]
    lines += [(f"{k}: {v}", f"{k}: {v}") for k, v in doc.meta.items()]
    now = f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    lines.append(
        (
            text("tables.written_by", "zh", version=__version__, at=now),
            text("tables.written_by", "en", version=__version__, at=now),
        )
    )
    for i, line in enumerate(lines, start=2):
        for j, lang in enumerate((doc.lang, other), start=1):
            cell = ns.cell(i, j, escape_cell(_in(line, lang)))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ns.column_dimensions["A"].width = 80
    ns.column_dimensions["B"].width = 80


def _cell_value(value: Any) -> Any:
    """What openpyxl can store: text escaped, times without a zone (in UTC), anything else as text."""
    if isinstance(value, str):
        return escape_cell(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if value is None or isinstance(value, (bool, int, float, date)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return escape_cell(str(value))


def _in(value: tuple[str, str], lang: str) -> str:
    return value[0] if lang == "zh" else value[1]


def _label(doc: Document, c: Column, lang: str) -> str:
    return (
        _in(c.label, lang)
        if doc.for_people
        else f"{_in(c.label, lang)} ({c.key})"
        if lang == doc.lang
        else _in(c.label, lang)
    )


def _number_format(c: Column) -> str:
    if c.decimals is None:
        return "General"
    return "#,##0" + ("." + "0" * c.decimals if c.decimals else "")


def _display(value: Any, c: Column, for_people: bool) -> str:
    if isinstance(value, float) and for_people and c.decimals is not None:
        return f"{value:,.{c.decimals}f}"
    return "" if value is None else str(value)


def _width(s: str) -> int:
    """Display width of ``s`` in Excel's units: a Chinese character counts twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)
