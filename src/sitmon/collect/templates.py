"""Bilingual fill-in templates of the report forms (CSV or XLSX) that the intake accepts back as filled: every
header is ``中文名(code)`` and every hint says ``中文 / English`` (texts in ``locale/template.yaml``)."""

from __future__ import annotations

import csv
import io

from ..catalog import Catalog, load_catalog
from ..domain import Message, text
from ..domain.spreadsheet import escape_cell


def template_header(form: str, catalog: Catalog | None = None) -> list[str]:
    """Header cells of the template: ``中文名(code)`` for every column, identity columns first."""
    cat = catalog or load_catalog()
    cols = [f"{text(f'template.column.{c}', 'zh')}({c})" for c in ("uscc", "period")]
    cols += [f"{cat.indicators[c].name_zh}({c})" for c in cat.forms[form].indicators]
    return [*cols, f"{text('template.column.note', 'zh')}(note)"]


def template_units(form: str, catalog: Catalog | None = None) -> list[str]:
    """A hint per column: the unit (zh / en), the period format and what the note is for."""
    cat = catalog or load_catalog()
    f = cat.forms[form]
    period = "YYYY-MM" if f.frequency == "monthly" else "YYYY"
    hints = [Message("template.hint.uscc").both(), period]
    for c in f.indicators:
        u = cat.units[cat.indicators[c].unit]
        ytd = f.cumulative and not cat.indicators[c].stock
        hints.append(Message("template.hint.ytd" if ytd else "template.hint.unit", unit=u.label).both())
    return [*hints, Message("template.hint.note").both()]


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
    info = wb.create_sheet(
        f"{text('template.notes', 'zh')} {text('template.notes', 'en')}"
    )  # no "/" in a sheet title
    info.append([Message(f"template.notes_{c}").both() for c in ("column", "code", "unit", "english")])
    for c in cat.forms[form].indicators:
        ind = cat.indicators[c]
        u = cat.units[ind.unit]
        info.append([escape_cell(v) for v in (ind.name_zh, c, u.name_zh, ind.name_en)])
    info.column_dimensions["A"].width = 28
    info.column_dimensions["D"].width = 40
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
