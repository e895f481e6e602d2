"""Files as API answers: ``format=csv|xlsx|parquet`` (and ``json``) on tables and listings, written by the same
writers as the CLI, with a file name in ``Content-Disposition``; the OpenAPI entries that document them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Response

from ..writers import WRITERS, Document, check_options, writer_for

FileFormat = Literal["json", "csv", "xlsx", "parquet"]
FormatQ = Annotated[
    FileFormat, Query(description="json (default), or a file: csv (UTF-8 with BOM), xlsx, parquet")
]
EncodingQ = Annotated[Literal["utf-8", "gbk"] | None, Query(description="CSV only: utf-8 (default) or gbk")]
_BINARY = {"schema": {"type": "string", "format": "binary"}}
FILE_CONTENT: dict[str, Any] = {
    WRITERS["csv"].media_type: {"schema": {"type": "string"}},
    WRITERS["xlsx"].media_type: _BINARY,
    WRITERS["parquet"].media_type: _BINARY,
}
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "JSON, or a file with its name in Content-Disposition", "content": FILE_CONTENT}
}


def file_response(body: bytes, fmt: str, encoding: str | None, stem: str) -> Response:
    """``body`` written in ``fmt`` as an attachment named ``stem`` plus the format's extension."""
    writer = writer_for(fmt)
    charset = f"; charset={encoding or 'utf-8'}" if writer.name == "csv" else ""
    return Response(
        body,
        media_type=writer.media_type + charset,
        headers={"Content-Disposition": f'attachment; filename="{writer.filename(stem)}"'},
    )


def document_response(doc: Document, fmt: str, encoding: str | None) -> Response:
    """``doc`` written in ``fmt`` (CSV in ``encoding``) as an attachment."""
    writer = writer_for(fmt)
    return file_response(writer.to_bytes(doc, **check_options(writer, encoding)), fmt, encoding, doc.name)
