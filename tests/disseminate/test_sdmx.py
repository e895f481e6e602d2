"""SDMX open data on the session's published releases: the SDMX-ML structure and the SDMX-ML and SDMX-CSV data read
back by sdmx1 carry the engine's published values, and the withheld cells carry the confidential status and no
value; the CLI (sitmon export) and the API (/api/v1/sdmx/...) give the same."""

from __future__ import annotations

import io
import math

import pytest
import sdmx

from sitmon.disseminate.sdmx import open_data, structure_xml
from sitmon.disseminate.sdmx.structure import DIMENSIONS
from sitmon.disseminate.tables import QueryError, published_table
from sitmon.disseminate.writers import WriterError, writer_for

pytestmark = pytest.mark.slow  # disclosure control of every published table of every indicator
PERIOD = "2024-06"


@pytest.fixture(scope="module")
def doc(published):
    return open_data(published.settings, PERIOD)


@pytest.fixture(scope="module")
def structure(tmp_path_factory):
    path = tmp_path_factory.mktemp("sdmx") / "structure.xml"
    path.write_bytes(structure_xml())
    return sdmx.read_sdmx(path)


def _key(obs) -> tuple:
    return tuple(str(obs.key[d].value) for d in DIMENSIONS)


def test_structure_reads_back_with_codelists_in_both_languages(structure):
    dsd = structure.structure["DSD_SITMON"]
    assert [d.id for d in dsd.dimensions] == list(DIMENSIONS)
    assert {a.id for a in dsd.attributes} == {"UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "CONF_STATUS"}
    area = structure.codelist["CL_AREA"]
    assert area["110000"].name.localizations == {"zh": "北京市", "en": "Beijing"}
    assert area["CN"].name.localizations["zh"] == "全国" and "EAST" in area and "210100" in area
    assert [c.id for c in structure.codelist["CL_SECTOR"]] == [
        "_T",
        "SOFTWARE_PRODUCTS",
        "IT_SERVICES",
        "INFO_SECURITY",
        "EMBEDDED",
    ]
    assert set(structure.codelist["CL_CONF_STATUS"].items) == {"F", "C", "D"}


@pytest.mark.parametrize("fmt", ["sdmx-ml", "sdmx-csv"])
def test_data_reads_back_with_the_engines_values(fmt, doc, structure, published, tmp_path):
    path = tmp_path / ("data.xml" if fmt == "sdmx-ml" else "data.csv")
    path.write_bytes(writer_for(fmt).to_bytes(doc))
    msg = sdmx.read_sdmx(
        path,
        structure=structure.structure["DSD_SITMON"] if fmt == "sdmx-ml" else structure.dataflow["DF_SITMON"],
    )
    obs = {_key(o): o for o in msg.data[0].obs}
    assert len(obs) == len(doc.rows) > 500
    withheld = 0
    for r in doc.rows:
        o = obs[tuple(r[d] for d in DIMENSIONS)]
        attrs = {k: str(v.value) for k, v in o.attached_attribute.items()}
        assert attrs["CONF_STATUS"] == r["CONF_STATUS"] and attrs["UNIT_MULT"] == r["UNIT_MULT"]
        if r["CONF_STATUS"] != "F":
            withheld += 1
            assert o.value in (None, "") or (isinstance(o.value, float) and math.isnan(o.value))
            assert attrs["OBS_STATUS"] == "M"
        elif r["OBS_VALUE"] is not None:
            assert float(o.value) == pytest.approx(r["OBS_VALUE"], rel=1e-12)
    assert withheld > 0, "the fixture should have withheld cells"
    # the values are the published table's, cell by cell (provinces, levels in 万元)
    table = published_table(published.settings, "revenue_total", ["province"], PERIOD, ["level"], public=True)
    for row in table.rows:
        o = obs[("M", row["province"], "_T", "REVENUE_TOTAL", "LEVEL", PERIOD)]
        conf = str(o.attached_attribute["CONF_STATUS"].value)
        if row["flag"]:
            assert conf == ("D" if row["flag"] == "secondary" else "C")
        else:
            assert conf == "F" and float(o.value) == pytest.approx(row["value"], rel=1e-12)
    nation = obs[("M", "CN", "_T", "REVENUE_TOTAL", "LEVEL", PERIOD)]
    exp = published.expected
    assert float(nation.value) == pytest.approx(exp[exp.period == PERIOD].revenue_total.sum(), rel=1e-9)


def test_other_formats_and_refusals(doc, published):
    csv = writer_for("csv").to_bytes(doc).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("FREQ,REF_AREA,SECTOR,INDICATOR,MEASURE,TIME_PERIOD,OBS_VALUE")
    import pandas as pd

    frame = pd.read_parquet(io.BytesIO(writer_for("parquet").to_bytes(doc)))
    assert len(frame) == len(doc.rows) and frame.CONF_STATUS.isin(["F", "C", "D"]).all()
    assert frame[frame.CONF_STATUS != "F"].OBS_VALUE.isna().all()
    with pytest.raises(QueryError):
        open_data(published.settings, "2031-06")
    from sitmon.disseminate.writers import Column, Document

    with pytest.raises(WriterError):  # an ordinary table is not open data
        writer_for("sdmx-ml").to_bytes(Document(("t", "t"), [Column("a", ("a", "a"))], [{"a": 1}]))
