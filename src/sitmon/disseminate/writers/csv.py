"""CSV: UTF-8 with a byte-order mark so that Chinese Excel and WPS open it (or GBK for old installations).

For people: the title, one header row (period and label with the unit), the rows rounded, a blank row and the
notes. For machines: one header row of column keys and the values as computed (the long-layout contract). Text
that starts like a formula is escaped.
"""

from __future__ import annotations

import csv
import io
from typing import Any, BinaryIO

from ...domain import Message
from ...domain.spreadsheet import escape_cell
from . import WriterError
from .document import Document

#: typographic characters GBK lacks, written as their nearest GBK form (anything else it lacks is refused)
GBK_FALLBACK = str.maketrans({"\u2212": "-", "\u2009": " ", "\u00a0": " ", "\u202f": " "})


def write(doc: Document, out: BinaryIO, encoding: str = "utf-8", bom: bool = True) -> None:
    """Write ``doc`` as CSV onto ``out`` in ``encoding`` (``utf-8``, with a byte-order mark unless ``bom`` is
    False, or ``gbk``); :class:`WriterError` names the first text that ``gbk`` cannot hold."""
    text = render(doc)
    if encoding == "gbk":
        try:
            data = text.translate(GBK_FALLBACK).encode("gbk")
        except UnicodeEncodeError as exc:
            bad = exc.object[max(0, exc.start - 10) : exc.end + 10]
            raise WriterError(Message("tables.encoding_error", encoding="GBK", text=bad)) from exc
    else:
        data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    out.write(data)


def render(doc: Document) -> str:
    """``doc`` as CSV text (lines end in CRLF, as Excel writes them)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    if doc.for_people:
        w.writerow([escape_cell(doc.text(doc.title))])
    w.writerow([escape_cell(doc.header(c)) for c in doc.columns])
    for row in doc.rows:
        w.writerow([_cell(doc, c, row.get(c.key)) for c in doc.columns])
    if doc.for_people and doc.notes:
        w.writerow([])
        for note in doc.notes:
            w.writerow([escape_cell(doc.text(note))])
    return buf.getvalue()


def _cell(doc: Document, column: Any, value: Any) -> Any:
    shown = doc.shown(column, value)
    if shown is None:
        return ""
    if isinstance(shown, float):
        if doc.for_people and column.decimals is not None:
            return f"{shown:.{column.decimals}f}"
        return repr(shown)
    return escape_cell(shown) if isinstance(shown, str) else shown
