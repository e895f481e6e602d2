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
    import pandas as pd

    frame = sdmx.to_csv(data_message(doc).data[0], rtype=pd.DataFrame, attributes="o")
    assert isinstance(frame, pd.DataFrame)
    out.write(frame.to_csv(index=False, na_rep="").encode("utf-8"))
