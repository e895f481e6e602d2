"""Readers of received files into a :class:`RawTable`, chosen by a registry of file suffixes.

CSV may be UTF-8, UTF-8 with BOM, or GBK/GB18030 (what Excel writes on Chinese Windows): the encoding
is detected, and so is the separator (comma, semicolon or tab). XLSX is read with openpyxl (first worksheet,
values not formulas); old Excel ``.xls`` with python-calamine (:mod:`.xls`).

Every file is hostile until read: the bounds of :class:`ReadLimits` (bytes, rows, columns, characters in a
cell, unpacked size of a workbook) are checked before the work they bound — an XLSX's unpacked size and its
declared dimension before a single row is iterated, a CSV's row count before its rows are kept — so neither a
zip bomb nor a million-row file can take the memory of the machine. A refusal is an :class:`UnreadableFile`
naming the line or cell when there is one.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..config import Settings
from ..domain import KeyedError, Message

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What one received file may hold; checked before the work it bounds."""

    max_bytes: int = 200 * MB
    max_rows: int = 300_000
    max_columns: int = 64
    max_cell_chars: int = 4_000
    max_unpacked_bytes: int = 512 * MB
    max_part_bytes: int = (
        64 * MB
    )  # an XLSX part read whole (shared strings, styles): everything but the sheets
    max_xls_bytes: int = 32 * MB  # an old-Excel workbook is read whole; the format holds 65,536 rows at most

    @classmethod
    def of(cls, settings: Settings) -> ReadLimits:
        """The limits of a deployment (``SITMON_MAX_FILE_MB``, ``SITMON_MAX_ROWS``, ``SITMON_MAX_UNPACKED_MB``)."""
        return cls(
            max_bytes=int(settings.max_file_mb * MB),
            max_rows=settings.max_rows,
            max_unpacked_bytes=int(settings.max_unpacked_mb * MB),
        )


class Sheet(NamedTuple):
    """What a reader found: the header row, the rows below it, the text encoding (CSV) and the separator (CSV)."""

    header: list[str]
    rows: list[list[Any]]
    encoding: str | None = None
    delimiter: str | None = None


Reader = Callable[[bytes, ReadLimits], Sheet]
_READERS: dict[str, Reader] = {}


class UnreadableFile(KeyedError):
    """The file cannot be read as a table: ``message`` says why; ``row`` (spreadsheet row or text line),
    ``column`` and ``value`` say where, when one place is to blame."""

    def __init__(self, message: Message, row: int = 0, column: str = "", value: str = "") -> None:
        super().__init__(message)
        self.row, self.column, self.value = row, column, value


@dataclass
class RawTable:
    """A table as received: header names as written, rows of raw cell values, and provenance.

    ``row_numbers[i]`` is the spreadsheet row of ``rows[i]`` (the header is row 1); ``delimiter`` is the
    separator of a CSV (``,`` ``;`` or a tab).
    """

    source: str
    header: list[str]
    rows: list[list[Any]]
    encoding: str | None = None
    row_numbers: list[int] = field(default_factory=list)
    delimiter: str | None = None

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


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def detect_encoding(data: bytes) -> str:
    """The encoding of ``data``: ``utf-8-sig`` (BOM), ``utf-8`` or ``gb18030``, checked over the whole file in
    chunks (no second copy of the text).

    A file that is UTF-8 up to a broken or cut character is refused, not read as GB18030 (which would store
    garbled text): it is UTF-8 when it ends mid-character, or when Chinese text decodes as UTF-8 before the bad
    byte (a GBK file may hold a byte pair that happens to be UTF-8, but not a run of Chinese characters).
    """
    if data.startswith(codecs.BOM_UTF8):
        bad = _utf8_error(data, 3)
        if bad is not None:
            raise UnreadableFile(
                Message("intake_guard.broken_utf8", line=_line_of(data, bad)), row=_line_of(data, bad)
            )
        return "utf-8-sig"
    bad = _utf8_error(data, 0)
    if bad is None:
        return "utf-8"
    if _ends_mid_character(data, bad) or _utf8_text_before(data, bad):
        raise UnreadableFile(
            Message("intake_guard.broken_utf8", line=_line_of(data, bad)), row=_line_of(data, bad)
        )
    if _decodes(data, "gb18030"):
        return "gb18030"
    raise UnreadableFile(Message("intake_guard.unknown_encoding"))


def _utf8_error(data: bytes, start: int, chunk: int = 4 * MB) -> int | None:
    """Offset of the first byte that is not UTF-8 (a cut character at the end included), or None."""
    dec = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    pos = start
    while pos < len(data):
        part = view[pos : pos + chunk]
        try:
            dec.decode(part, final=pos + chunk >= len(data))
        except UnicodeDecodeError as exc:
            return pos - len(dec.getstate()[0]) + exc.start  # exc.start counts the bytes buffered before
        pos += chunk
    return None


def _utf8_text_before(data: bytes, bad: int, window: int = 65536) -> bool:
    """True when the UTF-8 text just before offset ``bad`` holds Chinese (or other non-Latin) characters."""
    text = data[max(0, bad - window) : bad].decode("utf-8", errors="ignore")
    return sum(1 for c in text if ord(c) >= 0x0800) >= 4


def _ends_mid_character(data: bytes, bad: int) -> bool:
    """True when the bytes from ``bad`` to the end are the start of a UTF-8 character that was cut off."""
    tail = data[bad:]
    if not 1 <= len(tail) <= 3 or not 0xC2 <= tail[0] <= 0xF4:
        return False
    need = 2 if tail[0] < 0xE0 else 3 if tail[0] < 0xF0 else 4
    return len(tail) < need and all(0x80 <= b <= 0xBF for b in tail[1:])


def _decodes(data: bytes, encoding: str, chunk: int = 4 * MB) -> bool:
    dec = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for pos in range(0, len(data), chunk):
            dec.decode(view[pos : pos + chunk], final=pos + chunk >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of ``data`` and the encoding detected (see :func:`detect_encoding`)."""
    enc = detect_encoding(data)
    return data.decode(enc), enc


def _csv_rows(data: bytes, encoding: str, delimiter: str = ",") -> Iterator[list[str]]:
    """The rows of a CSV, decoded as they are read (the text is never held whole)."""
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    return csv.reader(text, delimiter=delimiter)


DELIMITERS = (",", ";", "\t")


def detect_delimiter(data: bytes, encoding: str, window: int = 65536) -> str:
    """The separator of a CSV: the one of ``,`` ``;`` and tab that occurs most often, outside quotes, in the
    first non-empty line (the header); a comma when none does (a file of one column)."""
    head = data[:window].decode(encoding, errors="ignore").lstrip("\ufeff")
    line = next((ln for ln in head.splitlines() if ln.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


@reader(".csv", ".txt", ".tsv")
def read_csv(data: bytes, limits: ReadLimits) -> Sheet:
    """Header, rows, detected encoding and separator of a CSV file in UTF-8, UTF-8-BOM or GBK/GB18030, separated
    by commas, semicolons or tabs (:func:`detect_delimiter`).

    Refused: NUL bytes (not a text file), more than ``limits.max_rows`` rows (counted before any row is kept),
    more than ``limits.max_columns`` columns, a cell over ``limits.max_cell_chars`` characters.
    """
    nul = data.find(b"\x00")
    if nul >= 0:
        raise UnreadableFile(
            Message("intake_guard.nul_byte", line=_line_of(data, nul)), row=_line_of(data, nul)
        )
    enc = detect_encoding(data)
    sep = detect_delimiter(data, enc)
    if data.count(b"\n") > limits.max_rows + 1:  # quoted line breaks make this an upper bound: count exactly
        _count_rows(data, enc, limits, sep)
    rows: list[list[Any]] = []
    it = _csv_rows(data, enc, sep)
    try:
        for row in it:
            _check_row(row, len(rows) + 1, limits)
            rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise UnreadableFile(Message("intake_guard.too_many_rows", limit=limits.max_rows))
    except csv.Error as exc:
        line = getattr(it, "line_num", 0)
        raise UnreadableFile(
            Message("intake_guard.csv_broken", line=line, reason=str(exc)[:200]), row=line
        ) from exc
    if not rows:
        raise UnreadableFile(Message("intake_guard.empty"))
    return Sheet(rows[0], rows[1:], enc, sep)


def _count_rows(data: bytes, encoding: str, limits: ReadLimits, delimiter: str = ",") -> None:
    """Refuse the file when it has more rows than the limit (counted without keeping any)."""
    n = 0
    try:
        for _ in _csv_rows(data, encoding, delimiter):
            n += 1
            if n > limits.max_rows + 1:
                raise UnreadableFile(Message("intake_guard.too_many_rows", limit=limits.max_rows))
    except csv.Error:
        return  # the reading pass names the line


def _check_row(row: list[Any] | tuple[Any, ...], number: int, limits: ReadLimits) -> None:
    if len(row) > limits.max_columns and any(v not in (None, "") for v in row[limits.max_columns :]):
        raise UnreadableFile(
            Message("intake_guard.too_many_columns", limit=limits.max_columns, row=number), row=number
        )
    for v in row:
        if isinstance(v, str) and len(v) > limits.max_cell_chars:
            raise UnreadableFile(
                Message("intake_guard.cell_too_long", row=number, limit=limits.max_cell_chars),
                row=number,
                value=v[:40] + "…",
            )


@reader(".xlsx", ".xlsm")
def read_xlsx(data: bytes, limits: ReadLimits) -> Sheet:
    """Header, rows (and no encoding) of the first worksheet of an XLSX workbook (cell values, not formulas).

    Before anything is unpacked: the declared unpacked size of the parts (a zip bomb), and of each part read
    whole; before a row is iterated: the worksheet's declared dimension. Rows and columns are bounded while
    reading too (a workbook need not declare its dimension).
    """
    from openpyxl import load_workbook

    _check_archive(data, limits)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken zip
        raise UnreadableFile(Message("intake_guard.bad_xlsx", reason=str(exc)[:200])) from exc
    try:
        if not wb.worksheets:
            raise UnreadableFile(Message("intake_guard.empty"))
        ws = wb.worksheets[0]
        declared_rows, declared_cols = ws.max_row, ws.max_column
        if declared_rows is not None and declared_rows > limits.max_rows + 1:
            raise UnreadableFile(Message("intake_guard.too_many_rows", limit=limits.max_rows))
        if declared_cols is not None and declared_cols > 16 * limits.max_columns:
            raise UnreadableFile(Message("intake_guard.too_many_columns", limit=limits.max_columns, row=1))
        rows: list[list[Any]] = []
        for r in ws.iter_rows(values_only=True, max_col=limits.max_columns + 1, max_row=limits.max_rows + 2):
            _check_row(r, len(rows) + 1, limits)
            row = list(r[: limits.max_columns])
            while row and row[-1] is None:
                row.pop()
            rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise UnreadableFile(Message("intake_guard.too_many_rows", limit=limits.max_rows))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(Message("intake_guard.bad_xlsx", reason=str(exc)[:200])) from exc
    finally:
        wb.close()
    if not rows:
        raise UnreadableFile(Message("intake_guard.empty"))
    return Sheet(["" if v is None else str(v) for v in rows[0]], rows[1:])


def _check_archive(data: bytes, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts would unpack to more than the limits (zipfile never unpacks more than a
    part declares: a part that lies about its size fails its CRC check instead)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UnreadableFile(Message("intake_guard.bad_xlsx", reason=str(exc)[:200])) from exc
    if len(infos) > 10_000:
        raise UnreadableFile(Message("intake_guard.bad_xlsx", reason=f"{len(infos)} parts"))
    total = sum(i.file_size for i in infos)
    if total > limits.max_unpacked_bytes:
        raise UnreadableFile(
            Message(
                "intake_guard.unpacked_too_large",
                mb=round(total / MB),
                limit=round(limits.max_unpacked_bytes / MB),
            )
        )
    for i in infos:
        if not i.filename.startswith("xl/worksheets/") and i.file_size > limits.max_part_bytes:
            raise UnreadableFile(
                Message(
                    "intake_guard.unpacked_too_large",
                    mb=round(i.file_size / MB),
                    limit=round(limits.max_part_bytes / MB),
                )
            )


def read_table(path: Path, data: bytes | None = None, limits: ReadLimits | None = None) -> RawTable:
    """The file at ``path`` (or its bytes ``data``) as a :class:`RawTable`, within ``limits`` (default:
    :class:`ReadLimits`).

    Trailing empty rows are dropped; blank rows in between keep their spreadsheet row numbers.
    Raises :class:`UnreadableFile` for an unknown suffix, an unreadable file or one over the limits.
    """
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    fn = _READERS.get(suffix)
    if fn is None:
        raise UnreadableFile(
            Message("intake_guard.unsupported", suffix=suffix, supported=", ".join(supported_suffixes()))
        )
    if data is None:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise UnreadableFile(
                Message(
                    "intake_guard.file_too_large", mb=round(size / MB), limit=round(limits.max_bytes / MB)
                )
            )
        data = path.read_bytes()
    if len(data) > limits.max_bytes:
        raise UnreadableFile(
            Message(
                "intake_guard.file_too_large", mb=round(len(data) / MB), limit=round(limits.max_bytes / MB)
            )
        )
    header, rows, encoding, delimiter = fn(data, limits)
    header = [str(h).strip().lstrip("\ufeff") for h in header]
    kept_rows: list[list[Any]] = []
    numbers: list[int] = []
    for i, r in enumerate(rows):
        if any(v not in (None, "") and str(v).strip() for v in r):
            kept_rows.append(r)
            numbers.append(i + 2)
    return RawTable(
        source=path.name,
        header=header,
        rows=kept_rows,
        encoding=encoding,
        row_numbers=numbers,
        delimiter=delimiter,
    )


from . import xls  # noqa: E402,F401  (registers the .xls reader)
