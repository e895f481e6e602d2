"""Readers of received files into a :class:`RawTable`, chosen by a registry of file suffixes.

CSV may be UTF-8, UTF-8 with BOM, or GBK/GB18030 (what Excel writes on Chinese Windows): the encoding
is detected. XLSX is read with openpyxl (first worksheet, values not formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain import KeyedError, Message

Reader = Callable[[bytes], tuple[list[str], list[list[Any]], str | None]]
_READERS: dict[str, Reader] = {}


class UnreadableFile(KeyedError):
    """The file cannot be read as a table; ``message`` says why."""


@dataclass
class RawTable:
    """A table as received: header names as written, rows of raw cell values, and provenance.

    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]`` (the header is row 1).
    """

    source: str
    header: list[str]
    rows: list[list[Any]]
    encoding: str | None = None
    row_numbers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.row_numbers:
            self.row_numbers = list(range(2, len(self.rows) + 2))


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader function for the given file suffixes (lower case, with the dot)."""

    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            _READERS[s] = fn
        return fn

    return deco


def supported_suffixes() -> list[str]:
    """File suffixes that can be read."""
    return sorted(_READERS)


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of ``data`` and the encoding detected: ``utf-8-sig`` (BOM), ``utf-8`` or ``gb18030``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise UnreadableFile(Message("intake.encoding", detail=str(exc)[:200])) from exc


@reader(".csv", ".txt")
def read_csv(data: bytes) -> tuple[list[str], list[list[Any]], str | None]:
    """Header, rows and detected encoding of a CSV file in UTF-8, UTF-8-BOM or GBK/GB18030."""
    text, enc = decode_text(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise UnreadableFile(Message("intake.empty_file"))
    return rows[0], rows[1:], enc


@reader(".xlsx", ".xlsm")
def read_xlsx(data: bytes) -> tuple[list[str], list[list[Any]], str | None]:
    """Header, rows (and no encoding) of the first worksheet of an XLSX workbook (cell values, not formulas)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise UnreadableFile(Message("intake.not_xlsx", detail=str(exc)[:200])) from exc
    try:
        it = wb.worksheets[0].iter_rows(values_only=True)
        header_row = next(it, None)
        if header_row is None:
            raise UnreadableFile(Message("intake.empty_sheet"))
        header = ["" if v is None else str(v) for v in header_row]
        rows = [list(r) for r in it]
    finally:
        wb.close()
    return header, rows, None


def read_table(path: Path, data: bytes | None = None) -> RawTable:
    """The file at ``path`` (or its bytes ``data``) as a :class:`RawTable`.

    Trailing empty rows are dropped; blank rows in between keep their spreadsheet row numbers.
    Raises :class:`UnreadableFile` for an unknown suffix or an unreadable file.
    """
    suffix = path.suffix.lower()
    fn = _READERS.get(suffix)
    if fn is None:
        raise UnreadableFile(Message("intake.file_type", suffix=suffix, supported=", ".join(supported_suffixes())))
    raw = path.read_bytes() if data is None else data
    header, rows, encoding = fn(raw)
    header = [str(h).strip().lstrip("\ufeff") for h in header]
    numbered = [(i + 2, r) for i, r in enumerate(rows)]
    kept = [(n, r) for n, r in numbered if any(v not in (None, "") and str(v).strip() for v in r)]
    return RawTable(source=path.name, header=header, rows=[r for _, r in kept], encoding=encoding,
                    row_numbers=[n for n, _ in kept])
