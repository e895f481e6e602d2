"""SDMX-CSV 2.0 through ``sdmx1``: the open data of a period, one observation per line (DATAFLOW, the dimensions,
OBS_VALUE, the attributes); a withheld observation has an empty OBS_VALUE and its CONF_STATUS."""

from __future__ import annotations

from typing import BinaryIO

from ...domain import Message
from .document import Document


def write(doc: Document, out: BinaryIO) -> None:
    """Write the open-data document ``doc`` as SDMX-CSV (UTF-8) onto ``out``."""
    import sdmx

    from ..sdmx.message import data_message
    from . import WriterError

    if not isinstance(doc, Document) or not doc.meta.get("sdmx"):
        raise WriterError(Message("sdmx.not_open_data"))
    ds = data_message(doc).data[0]
    frame = sdmx.to_csv(ds, rtype=__import__("pandas").DataFrame, attributes="o")
    out.write(frame.to_csv(index=False, na_rep="").encode("utf-8"))
