"""SDMX-ML 2.1 (structure-specific data) through ``sdmx1``: the open data of a period, structured by sitmon's DSD
(``/api/v1/sdmx/structure``). A table that is not open data is refused."""

from __future__ import annotations

from typing import BinaryIO

from ...domain import Message
from .document import Document


def write(doc: Document, out: BinaryIO) -> None:
    """Write the open-data document ``doc`` as an SDMX-ML data message onto ``out``."""
    import sdmx

    from ..sdmx.message import data_message
    from . import WriterError

    if not isinstance(doc, Document) or not doc.meta.get("sdmx"):
        raise WriterError(Message("sdmx.not_open_data"))
    out.write(sdmx.to_xml(data_message(doc), pretty_print=True))
