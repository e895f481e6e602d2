"""Writers of published tables and listings, one module per format, chosen through one registry.

Every output — ``--out FILE`` of the CLI, ``format=`` of the API, later the bulletins — writes a
:class:`~.document.Document` with the writer registered for the format (by name or by the file's extension). A
writer module has one function, ``write(doc, out, **options)``, onto a binary stream; it is imported only when
used, so listing the formats costs nothing.
"""

from __future__ import annotations

import importlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ...domain import KeyedError, Message
from ...domain.spreadsheet import escape_cell
from .document import MARK, Chart, Column, Document, Report, Section, Suppressed, Text


class WriterError(KeyedError):
    """A file cannot be written as asked (unknown format or encoding, text the encoding cannot hold)."""


@dataclass(frozen=True)
class Writer:
    """A registered format: its name, the file extensions it handles, the media type and the module writing it."""

    name: str
    extensions: tuple[str, ...]
    media_type: str
    module: str

    def write(self, doc: Document | Report, out: BinaryIO, **options: Any) -> None:
        """Write ``doc`` onto ``out`` in this format."""
        importlib.import_module(f"{__name__}.{self.module}").write(doc, out, **options)

    def to_bytes(self, doc: Document | Report, **options: Any) -> bytes:
        """``doc`` in this format, as bytes."""
        buf = io.BytesIO()
        self.write(doc, buf, **options)
        return buf.getvalue()

    def filename(self, stem: str) -> str:
        """A file name for ``stem`` in this format."""
        return f"{stem}{self.extensions[0]}"


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("csv", (".csv",), "text/csv", "csv"),
        Writer(
            "xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
        ),
        Writer("json", (".json",), "application/json", "json"),
        Writer("parquet", (".parquet",), "application/vnd.apache.parquet", "parquet"),
        Writer("html", (".html", ".htm"), "text/html", "html"),
        Writer("pdf", (".pdf",), "application/pdf", "pdf"),
        Writer("sdmx-ml", (".xml",), "application/vnd.sdmx.structurespecificdata+xml;version=2.1", "sdmx_ml"),
        Writer("sdmx-csv", (".sdmx.csv",), "application/vnd.sdmx.data+csv;version=2.0.0", "sdmx_csv"),
    )
}
ENCODINGS = ("utf-8", "gbk")


def writer_for(name: str | None = None, path: str | Path | None = None) -> Writer:
    """The writer of format ``name`` or, without one, of the extension of ``path``; :class:`WriterError` if none."""
    if name is not None:
        found = WRITERS.get(name.lower())
    else:
        name_ = Path(str(path)).name.lower()
        found = max(
            (w for w in WRITERS.values() if any(name_.endswith(e) for e in w.extensions)),
            key=lambda w: max(len(e) for e in w.extensions if name_.endswith(e)),
            default=None,
        )
    if found is None:
        raise WriterError(
            Message("tables.unknown_format", name=str(name or path), formats=", ".join(WRITERS))
        )
    return found


def check_options(writer: Writer, encoding: str | None) -> dict[str, Any]:
    """The writer options for ``encoding`` (CSV only: ``utf-8`` with a byte-order mark, or ``gbk``)."""
    if encoding is None:
        return {}
    enc = encoding.lower().replace("_", "-")
    if enc not in ENCODINGS:
        raise WriterError(Message("tables.unknown_encoding", encoding=encoding))
    if writer.name != "csv":
        raise WriterError(Message("tables.encoding_csv_only"))
    return {"encoding": enc}


def write_file(
    doc: Document | Report, path: str | Path, name: str | None = None, encoding: str | None = None
) -> Writer:
    """Write ``doc`` to ``path`` in format ``name`` (default: by the extension); the file appears complete or
    not at all (written beside it, then renamed). Returns the writer used."""
    writer = writer_for(name, path)
    options = check_options(writer, encoding)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".sitmon-", dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            writer.write(doc, fh, **options)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # as a file the user creates (mkstemp makes it private)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return writer


__all__ = [
    "ENCODINGS",
    "MARK",
    "WRITERS",
    "Chart",
    "Column",
    "Document",
    "Report",
    "Section",
    "Suppressed",
    "Text",
    "Writer",
    "WriterError",
    "check_options",
    "escape_cell",
    "write_file",
    "writer_for",
]
