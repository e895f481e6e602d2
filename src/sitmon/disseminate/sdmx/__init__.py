"""Open data in SDMX: the structure (:mod:`.structure`: codelists in Chinese and English, the DSD, the dataflow),
the data of a period from the published tables (:mod:`.data`), and the ``sdmx1`` data message (:mod:`.message`)
that the ``sdmx-ml`` and ``sdmx-csv`` writers write."""

from __future__ import annotations

from .data import open_data
from .structure import DIMENSIONS, DSD_ID, FLOW_ID, dataflow, dsd, structure


def structure_xml() -> bytes:
    """The SDMX-ML 2.1 structure message (codelists, concepts, DSD, dataflow) as bytes."""
    import sdmx

    return bytes(sdmx.to_xml(structure(), pretty_print=True))


__all__ = ["DIMENSIONS", "DSD_ID", "FLOW_ID", "dataflow", "dsd", "open_data", "structure", "structure_xml"]
