"""Bilingual fill-in templates of the report forms (CSV or XLSX) that the intake accepts back as filled."""

from __future__ import annotations

import csv
import io

from ..catalog import Catalog, load_catalog
from ..domain.spreadsheet import escape_cell


def template_header(form: str, catalog: Catalog | None = None) -> list[str]:
    """Header cells of the template: ``中文名(code)`` for every column, identity columns first."""
    cat = catalog or load_catalog()
    cols = ["统一社会信用代码(uscc)", "报告期(period)"]
    cols += [f"{cat.indicators[c].name_zh}({c})" for c in cat.forms[form].indicators]
    return [*cols, "备注（上报说明）(note)"]


def template_units(form: str, catalog: Catalog | None = None) -> list[str]:
    """A hint per column: the unit (zh / en), the period format and what the note is for."""
    cat = catalog or load_catalog()
    f = cat.forms[form]
    period = "YYYY-MM" if f.frequency == "monthly" else "YYYY"
    hints = ["18位 / 18 characters", f"{period}"]
    for c in f.indicators:
        u = cat.units[cat.indicators[c].unit]
        cum = "，本年累计 / year to date" if f.cumulative and not cat.indicators[c].stock else ""
        hints.append(f"{u.name_zh}{cum} / {u.name_en}")
    return [*hints, "提示值的说明 / explanation of a flagged value"]


def template_csv(form: str) -> bytes:
    """The template as CSV in UTF-8 with BOM (so Excel opens the Chinese header correctly): header only."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([escape_cell(h) for h in template_header(form)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


TEXT = "@"  # Excel's "Text" number format


def template_xlsx(form: str) -> bytes:
    """The template as an XLSX workbook: a styled, frozen header with unit comments and column widths, the code
    and period columns formatted as text, and a second sheet explaining the columns in both languages."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    cat = load_catalog()
    wb = Workbook()
    ws = wb.active
    ws.title = form
    header, hints = template_header(form), template_units(form)
    ws.append([escape_cell(h) for h in header])
    for i, (cell, hint) in enumerate(zip(ws[1], hints, strict=True), start=1):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.comment = Comment(str(escape_cell(hint)), "sitmon")
        ws.column_dimensions[cell.column_letter].width = 24 if i > 2 else 22
    ws.row_dimensions[1].height = 36
    # the code and the period are text: as numbers Excel would show an 18-digit code as 9.13302E+17 (losing its
    # last digits) and turn 2024-01 into a date
    for letter in ("A", "B"):
        ws.column_dimensions[letter].number_format = TEXT
    ws.freeze_panes = "C2"
    info = wb.create_sheet("说明 Notes")
    info.append(["列 column", "代码 code", "单位 unit", "English"])
    for c in cat.forms[form].indicators:
        ind = cat.indicators[c]
        u = cat.units[ind.unit]
        info.append([escape_cell(v) for v in (ind.name_zh, c, u.name_zh, ind.name_en)])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["D"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
