"""Open data (:func:`.data.open_data`) as an SDMX data message of the ``sdmx1`` model, structured by the DSD."""

from __future__ import annotations

from typing import Any

from ..writers import Document
from .structure import AGENCY, ATTRIBUTES, DIMENSIONS, dataflow, dsd


def data_message(doc: Document) -> Any:
    """A ``sdmx.message.DataMessage`` with one structure-specific data set of ``doc``'s rows: a withheld cell is an
    observation without a value (no OBS_VALUE in SDMX-ML, empty in SDMX-CSV) that carries its CONF_STATUS."""
    from sdmx import message
    from sdmx.model import common
    from sdmx.model import v21 as m

    structure = dsd()
    attrs = {a: structure.attributes.get(a) for a in ATTRIBUTES}
    dims = {d: structure.dimensions.get(d) for d in DIMENSIONS}
    ds = m.StructureSpecificDataSet(structured_by=structure, described_by=dataflow())
    for r in doc.rows:
        key = common.Key(**{d: r[d] for d in DIMENSIONS}, described_by=structure.dimensions)
        value = r["OBS_VALUE"]
        ds.add_obs(
            [
                m.Observation(
                    dimension=key,
                    value=None if value is None else float(value),
                    value_for=structure.measures[0],
                    attached_attribute={
                        a: common.AttributeValue(value=str(r[a]), value_for=attrs[a]) for a in ATTRIBUTES
                    },
                )
            ]
        )
    del dims
    header = message.Header(
        id=f"SITMON_{str(doc.meta.get('period', '')).replace('-', '')}",
        sender=common.Agency(id=AGENCY),
        test=bool(doc.meta.get("synthetic")),
    )
    return message.DataMessage(header=header, data=[ds], dataflow=dataflow())
