"""The reader of old Excel workbooks (``.xls``, BIFF8), registered with :mod:`.readers` for the suffix ``.xls``.

python-calamine (Rust) reads the first worksheet whole, so the bounds come before it runs: the file's size
(``ReadLimits.max_xls_bytes``, 32 MB: the format holds at most 65,536 rows, far more than a month of reports
needs), then the worksheet's used range (rows and columns) before a single row is turned into Python values.
What enterprises send as ``.xls`` is not always one: an XLSX renamed is read as XLSX (with its zip checks), a
text table as CSV, and a web page saved as ``.xls`` is refused with a plain message.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from ..domain import Message
from .readers import MB, ReadLimits, Sheet, UnreadableFile, _check_row, read_csv, read_xlsx, reader

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature of a BIFF workbook
ZIP = b"PK\x03\x04"


@reader(".xls")
def read_xls(data: bytes, limits: ReadLimits) -> Sheet:
    """Header and rows of the first worksheet of an ``.xls`` workbook (cell values; dates as dates, numbers as
    numbers, empty cells as None). A renamed XLSX or a text table is read as what it is."""
    if data.startswith(ZIP):
        return read_xlsx(data, limits)
    if not data.startswith(OLE2):
        if b"\x00" not in data[:65536] and data[:4096].lstrip()[:1] != b"<":
            return read_csv(data, limits)
        raise UnreadableFile(Message("intake_files.xls_not_excel"))
    if len(data) > limits.max_xls_bytes:
        raise UnreadableFile(
            Message(
                "intake_files.xls_too_large", mb=round(len(data) / MB), limit=round(limits.max_xls_bytes / MB)
            )
        )
    rows = _rows(data, limits)
    if not rows:
        raise UnreadableFile(Message("intake_guard.empty"))
    return Sheet(["" if v is None else str(v) for v in rows[0]], rows[1:])


def _rows(data: bytes, limits: ReadLimits) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            if not wb.sheet_names:
                raise UnreadableFile(Message("intake_guard.empty"))
            sheet = wb.get_sheet_by_index(0)
            if sheet.height > limits.max_rows + 1:
                raise UnreadableFile(Message("intake_guard.too_many_rows", limit=limits.max_rows))
            if sheet.width > 16 * limits.max_columns:
                raise UnreadableFile(
                    Message("intake_guard.too_many_columns", limit=limits.max_columns, row=1)
                )
            rows: list[list[Any]] = []
            for r in sheet.iter_rows():
                _check_row(r, len(rows) + 1, limits)
                row = [_value(v) for v in r[: limits.max_columns]]
                while row and row[-1] is None:
                    row.pop()
                rows.append(row)
        finally:
            wb.close()
    except UnreadableFile:
        raise
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's errors, and a Rust panic (which is not an Exception)
        raise UnreadableFile(Message("intake_files.bad_xls", reason=str(exc)[:200])) from exc
    return rows


def _value(v: Any) -> Any:
    """A calamine cell as the intake reads cells: empty text as None, a time of day kept, dates as dates."""
    if v == "" or v is None:
        return None
    if isinstance(v, (datetime, date, time, bool, int, float, str)):
        return v
    return str(v)
