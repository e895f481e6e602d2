"""The SDMX structure of sitmon's open data: codelists (names in Chinese and English), concepts, the data
structure definition (DSD) and the dataflow, as the ``sdmx1`` information model (SDMX 2.1).

Dimensions: FREQ (M monthly, year to date; A annual), REF_AREA (CN the nation, the four macro regions, provinces
and cities by GB/T 2260 code), SECTOR (_T all, and the four sub-sectors in the bulletin order), INDICATOR (the
catalog's indicators), MEASURE (LEVEL, YOY, YOY_COMPARABLE), TIME_PERIOD. Attributes on each observation:
UNIT_MEASURE, UNIT_MULT (power of ten: 万 = 4), OBS_STATUS (A normal, M missing) and CONF_STATUS (F free,
C confidential by the threshold or dominance rule, D secondary confidentiality): a confidential observation
carries its status and no value.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ...catalog import load_catalog

AGENCY = "SITMON"
VERSION = "1.0"
DSD_ID = "DSD_SITMON"
FLOW_ID = "DF_SITMON"
NATION = "CN"
ALL_SECTORS = "_T"
DIMENSIONS = ("FREQ", "REF_AREA", "SECTOR", "INDICATOR", "MEASURE", "TIME_PERIOD")
ATTRIBUTES = ("UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "CONF_STATUS")
MEASURES = {"level": "LEVEL", "yoy": "YOY", "yoy_comparable": "YOY_COMPARABLE"}
#: reason code of a suppressed cell → CONF_STATUS
CONF = {None: "F", "threshold": "C", "dominance": "C", "zero": "C", "secondary": "D"}
#: catalog unit → (UNIT_MEASURE, UNIT_MULT)
UNITS = {"10k_cny": ("CNY", 4), "10k_usd": ("USD", 4), "person": ("PS", 0), "pct": ("PC", 0)}

_CONCEPTS = {
    "FREQ": ("频率", "Frequency"),
    "REF_AREA": ("地区", "Reference area"),
    "SECTOR": ("行业领域", "Sector"),
    "INDICATOR": ("指标", "Indicator"),
    "MEASURE": ("度量", "Measure"),
    "TIME_PERIOD": ("时间", "Time period"),
    "OBS_VALUE": ("观测值", "Observation value"),
    "UNIT_MEASURE": ("计量单位", "Unit of measure"),
    "UNIT_MULT": ("单位倍数", "Unit multiplier"),
    "OBS_STATUS": ("观测状态", "Observation status"),
    "CONF_STATUS": ("保密状态", "Confidentiality status"),
}
_FIXED = {
    "CL_FREQ": (
        "频率",
        "Frequency",
        {"M": ("月度（本年累计）", "Monthly (year to date)"), "A": ("年度", "Annual")},
    ),
    "CL_MEASURE": (
        "度量",
        "Measure",
        {
            "LEVEL": ("本年累计（月报）或全年值（年报）", "Year to date (monthly) or full year (annual)"),
            "YOY": ("同比增长（按两期总量）", "Year-on-year growth on the published levels"),
            "YOY_COMPARABLE": ("同口径同比增长", "Comparable-basis year-on-year growth"),
        },
    ),
    "CL_UNIT_MEASURE": (
        "计量单位",
        "Unit of measure",
        {
            "CNY": ("人民币元", "Chinese yuan"),
            "USD": ("美元", "US dollar"),
            "PS": ("人", "Persons"),
            "PC": ("百分比", "Percent"),
        },
    ),
    "CL_UNIT_MULT": ("单位倍数", "Unit multiplier", {"0": ("个", "Units"), "4": ("万", "Ten thousands")}),
    "CL_OBS_STATUS": (
        "观测状态",
        "Observation status",
        {"A": ("正常值", "Normal value"), "M": ("缺失值", "Missing value")},
    ),
    "CL_CONF_STATUS": (
        "保密状态",
        "Confidentiality status",
        {
            "F": ("可公布", "Free"),
            "C": ("保密（阈值或支配规则）", "Confidential (threshold or dominance rule)"),
            "D": ("二次抑制", "Secondary confidentiality"),
        },
    ),
}
_CODELIST_OF = {
    "FREQ": "CL_FREQ",
    "REF_AREA": "CL_AREA",
    "SECTOR": "CL_SECTOR",
    "INDICATOR": "CL_INDICATOR",
    "MEASURE": "CL_MEASURE",
    "UNIT_MEASURE": "CL_UNIT_MEASURE",
    "UNIT_MULT": "CL_UNIT_MULT",
    "OBS_STATUS": "CL_OBS_STATUS",
    "CONF_STATUS": "CL_CONF_STATUS",
}


def _name(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def indicator_code(code: str) -> str:
    """The SDMX code of a catalog indicator (REVENUE_TOTAL)."""
    return code.upper()


def area_code(dim: str | None, code: str | None) -> str:
    """The REF_AREA code of a table cell: CN for the nation, EAST / CENTRAL / WEST / NORTHEAST, or the GB/T 2260
    code of a province or city."""
    if dim is None:
        return NATION
    return str(code).upper() if dim == "region" else str(code)


def _codes() -> dict[str, tuple[str, str, dict[str, tuple[str, str]]]]:
    cat = load_catalog()
    area: dict[str, tuple[str, str]] = {NATION: ("全国", "China (national)")}
    area.update({m.upper(): (r.name_zh, r.name_en) for m, r in cat.macro_regions.items()})
    area.update({p.code: (p.name_zh, p.name_en) for p in cat.provinces.values() if p.reports})
    area.update({c.code: (c.name_zh, c.name_en) for c in cat.cities.values()})
    sectors = {ALL_SECTORS: ("全部领域", "All sectors")}
    sectors.update({s.code.upper(): (s.name_zh, s.name_en) for s in cat.sectors.values()})
    indicators = {indicator_code(i.code): (i.name_zh, i.name_en) for i in cat.indicators.values()}
    return {
        "CL_AREA": ("地区（GB/T 2260、四大区域、全国）", "Area (GB/T 2260, macro regions, nation)", area),
        "CL_SECTOR": ("行业领域", "Sector", sectors),
        "CL_INDICATOR": ("指标", "Indicator", indicators),
        **_FIXED,
    }


@cache
def structure() -> Any:
    """The ``sdmx.message.StructureMessage`` holding the agency, codelists, concept scheme, DSD and dataflow."""
    from sdmx import message
    from sdmx.model import common
    from sdmx.model import v21 as m

    agency = common.Agency(
        id=AGENCY,
        name=_name("软件和信息技术服务业运行监测（sitmon）", "Software and IT services monitoring (sitmon)"),
    )
    kw: dict[str, Any] = {"maintainer": agency, "version": VERSION, "is_final": True}
    codelists = {}
    for cl_id, (zh, en, codes) in _codes().items():
        cl = common.Codelist(id=cl_id, name=_name(zh, en), **kw)
        for code, (czh, cen) in codes.items():
            cl.append(common.Code(id=code, name=_name(czh, cen)))
        codelists[cl_id] = cl
    cs = common.ConceptScheme(id="CS_SITMON", name=_name("sitmon 概念", "sitmon concepts"), **kw)
    for cid, (zh, en) in _CONCEPTS.items():
        cs.append(common.Concept(id=cid, name=_name(zh, en)))

    def rep(cid: str) -> Any:
        cl = _CODELIST_OF.get(cid)
        return common.Representation(enumerated=codelists[cl]) if cl else None

    dsd = m.DataStructureDefinition(
        id=DSD_ID,
        name=_name(
            "软件和信息技术服务业已发布汇总数据",
            "Published aggregates of the software and IT services industry",
        ),
        **kw,
    )
    for order, did in enumerate(DIMENSIONS[:-1], start=1):
        dsd.dimensions.append(
            common.Dimension(id=did, concept_identity=cs[did], local_representation=rep(did), order=order)
        )
    dsd.dimensions.append(
        common.TimeDimension(id="TIME_PERIOD", concept_identity=cs["TIME_PERIOD"], order=len(DIMENSIONS))
    )
    dsd.measures.append(m.PrimaryMeasure(id="OBS_VALUE", concept_identity=cs["OBS_VALUE"]))
    for aid in ATTRIBUTES:
        dsd.attributes.append(
            common.DataAttribute(
                id=aid,
                concept_identity=cs[aid],
                local_representation=rep(aid),
                related_to=m.PrimaryMeasureRelationship(),
                usage_status=common.UsageStatus[
                    "mandatory" if aid in ("CONF_STATUS", "OBS_STATUS") else "conditional"
                ],
            )
        )
    flow = m.DataflowDefinition(
        id=FLOW_ID,
        name=_name("软件和信息技术服务业开放数据", "Software and IT services open data"),
        structure=dsd,
        **kw,
    )
    msg = message.StructureMessage(header=message.Header(id="SITMON_STRUCTURE", sender=agency, test=False))
    for cl in codelists.values():
        msg.codelist[cl.id] = cl
    msg.concept_scheme[cs.id] = cs
    msg.structure[dsd.id] = dsd
    msg.dataflow[flow.id] = flow
    return msg


def dsd() -> Any:
    """The data structure definition."""
    return structure().structure[DSD_ID]


def dataflow() -> Any:
    """The dataflow of the open data."""
    return structure().dataflow[FLOW_ID]
