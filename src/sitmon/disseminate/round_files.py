"""Files of the monthly round that go to people — the problems of a report file, the review queue, the late-filer
list, the response rates — written by the file's extension (``.xlsx``, ``.csv``, ``.json``).

Until the writers registry of the tables issue (``disseminate/writers``) is on main, this module writes them
itself; :func:`write_listing` is the one place that changes when it is (a listing becomes a writers
``Document`` written with ``write_file``). Every text cell is escaped for spreadsheets (OWASP); the file appears
whole or not at all (written beside it, then renamed).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import Message, jsontext, text
from ..domain.spreadsheet import escape_cell

Text = tuple[str, str]
"""A text in Chinese and English."""


def both(key: str, **params: Any) -> Text:
    """The catalogue message ``key`` in Chinese and English."""
    return text(key, "zh", **params), text(key, "en", **params)


class ListingError(ValueError):
    """A listing cannot be written as asked (unknown file type); ``message`` says why."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))


@dataclass
class Listing:
    """A table for people: a title, columns (key, header in both languages), rows of plain values, notes, and the
    decimals people see of some columns (files keep the full numbers)."""

    title: Text
    columns: list[tuple[str, Text]]
    rows: list[dict[str, Any]]
    notes: list[Text] = field(default_factory=list)
    lang: str = "zh"
    decimals: dict[str, int] = field(default_factory=dict)

    def shown(self) -> list[dict[str, Any]]:
        """The rows as people read them on a console: numbers of the columns in ``decimals`` as text with that many
        decimals (growth rates to one decimal)."""
        return [{k: (f"{v:,.{self.decimals[k]}f}" if k in self.decimals and isinstance(v, (int, float))
                     and not isinstance(v, bool) else v) for k, v in r.items()} for r in self.rows]

    def say(self, value: Text) -> str:
        """``value`` in the listing's language."""
        return value[0] if self.lang == "zh" else value[1]

    @property
    def keys(self) -> list[str]:
        """The column keys, in order."""
        return [k for k, _ in self.columns]

    @property
    def headers(self) -> list[str]:
        """The column headers in the listing's language."""
        return [self.say(label) for _, label in self.columns]


SUFFIXES = (".xlsx", ".csv", ".json")


def write_listing(listing: Listing, path: Path) -> str:
    """Write ``listing`` to ``path`` in the format of its extension; returns the format's name.
    :class:`ListingError` for an extension that is not one of :data:`SUFFIXES`."""
    fmt = Path(path).suffix.lower()
    if fmt not in SUFFIXES:
        raise ListingError(Message("review.unknown_file_type", suffix=fmt or "—", supported=", ".join(SUFFIXES)))
    data = {".xlsx": _xlsx, ".csv": _csv, ".json": _json}[fmt](listing)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".sitmon-", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return fmt.lstrip(".")


def _xlsx(listing: Listing) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "sitmon"
    ws.append([escape_cell(listing.say(listing.title))])
    ws["A1"].font = Font(bold=True)
    ws.append([escape_cell(h) for h in listing.headers])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in listing.rows:
        ws.append([_cell(row.get(k)) for k in listing.keys])
    ws.append([])
    for note in listing.notes:
        ws.append([escape_cell(listing.say(note))])
    for i, key in enumerate(listing.keys, start=1):
        width = max([len(str(listing.headers[i - 1]))] + [len(str(r.get(key) or "")) for r in listing.rows[:200]])
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = min(60, max(10, width + 2))
    ws.freeze_panes = "A3"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv(listing: Listing) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([escape_cell(h) for h in listing.headers])
    for row in listing.rows:
        w.writerow(["" if row.get(k) is None else _cell(row.get(k)) for k in listing.keys])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # with a BOM: Excel opens the Chinese correctly


def _json(listing: Listing) -> bytes:
    doc = {"title": listing.say(listing.title), "rows": [{k: r.get(k) for k in listing.keys} for r in listing.rows],
           "notes": [listing.say(n) for n in listing.notes]}
    return (jsontext.dumps(doc, indent=1, default=str) + "\n").encode("utf-8")


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (int, float)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="minutes") if hasattr(value, "hour") else value.isoformat()
    return escape_cell(str(value))
