"""Published aggregate tables: the one function that the CLI, the API and reports call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.measures import DIMENSIONS, MEASURES, PERCENT_MEASURES, measure
from ..catalog import load_catalog
from ..config import Settings
from ..store.warehouse import Warehouse

DEFINITIONS = {
    "level": ("本年累计（月报）或全年值（年报）", "year to date (monthly forms) or full year (annual)"),
    "ytd": ("本年累计", "year to date"),
    "month": ("当月 = 本月累计 − 上月累计（按各期发布数计算）", "single month = YTD − previous month's YTD, per cell"),
    "yoy": ("同比增长（按两期发布总量计算）%", "YoY growth on the published levels, %"),
    "yoy_comparable": ("同口径同比增长（两期均报送的企业）%", "comparable-basis YoY over enterprises reporting in both periods, %"),
    "share": ("占全国比重 %", "share of the national total, %"),
    "contribution": ("对全国增长的贡献（百分点）", "contribution to national growth, percentage points"),
}


class QueryError(ValueError):
    """The query cannot be answered (unknown indicator or dimension, no release, wrong unit)."""


@dataclass
class TableResult:
    """A published table: rows (dimension codes + value), unit, the releases read, and flags."""

    indicator: str
    measure: str
    period: str
    by: list[str]
    unit: str
    rows: list[dict[str, Any]]
    releases: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    definition: tuple[str, str] = ("", "")


def published_table(settings: Settings, indicator: str, by: Sequence[str], period: str, measure_name: str = "level",
                    release: int | None = None, unit: str | None = None, public: bool = False,
                    backend: Any = None, form: str | None = None) -> TableResult:
    """The figures of ``measure_name`` of ``indicator`` for ``period`` by the dimensions ``by``.

    Values are in the form's unit (万元 / 万美元 / persons) unless ``unit`` names another unit of the same
    kind; percentages for growth and share measures. ``public=True`` applies disclosure control.
    """
    cat = load_catalog()
    if indicator not in cat.indicators:
        raise QueryError(f"未知指标 {indicator} / unknown indicator {indicator}")
    if measure_name not in MEASURES:
        raise QueryError(f"未知度量 {measure_name} / unknown measure; one of {', '.join(MEASURES)}")
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise QueryError(f"未知维度 {bad} / unknown dimensions {bad}; use {', '.join(DIMENSIONS)}")
    if public:
        raise QueryError("信息披露控制尚不可用，不能发布公开表 / disclosure control is not available: "
                         "public tables cannot be produced yet")
    form = form or ("annual" if len(period) == 4 else "monthly")
    if indicator not in cat.forms[form].indicators:
        raise QueryError(f"{form} 报表没有指标 {indicator} / the {form} form has no {indicator}")
    wh = Warehouse(settings, backend)
    pin = {period: release} if release is not None else None
    try:
        table = wh.table(form, pin=pin)
    except LookupError as exc:
        raise QueryError(f"没有已发布的数据 / no published release: {exc}") from exc
    files = {f.period: f for f in wh.files(form)}
    if period not in files:
        raise QueryError(f"{period} 尚未发布 / {period} has not been published")
    df = measure(table, measure_name, indicator, list(by), period).execute()
    base_unit = cat.indicators[indicator].unit
    out_unit = "pct" if measure_name in PERCENT_MEASURES else (unit or base_unit)
    factor = 1.0
    if out_unit != base_unit and measure_name not in PERCENT_MEASURES:
        a, b = cat.units.get(base_unit), cat.units.get(out_unit)
        if b is None or a is None or a.currency != b.currency:
            raise QueryError(f"不能把 {base_unit} 换算为 {out_unit} / cannot convert {base_unit} to {out_unit}")
        factor = a.factor / b.factor
    df = df.sort_values(list(by)) if by else df
    rows = [{**{d: r[d] for d in by}, "value": None if r["value"] != r["value"] else float(r["value"]) * factor}
            for r in df.to_dict("records")]
    used = {p: f.number for p, f in files.items()}
    if release is not None:
        used[period] = release
    return TableResult(indicator=indicator, measure=measure_name, period=period, by=list(by), unit=out_unit,
                       rows=rows, releases=used, synthetic=any(f.manifest.get("synthetic") for f in files.values()),
                       definition=DEFINITIONS[measure_name])
