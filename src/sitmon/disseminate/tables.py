"""Published aggregate tables: the one function that the CLI, the API and reports call.

With ``public=True`` every figure passes disclosure control (:mod:`sitmon.disseminate.disclosure`): the table must
be one of the linked tables of the catalog, each row gets a ``flag`` (None, or the reason code ``threshold``,
``dominance`` or ``secondary``) and a suppressed row's ``value`` is None. With ``public=False`` the figures are
unsuppressed micro-data aggregates for roles whose scope covers the enterprises: the result says it is
confidential.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.measures import DIMENSIONS, MEASURES, PERCENT_MEASURES, measure
from ..catalog import load_catalog
from ..config import Settings
from ..domain import Message, Period, PeriodError
from ..domain.units import UnitMismatch, conversion_factor
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
    """A table of figures: rows (dimension codes, ``value``, ``flag``), unit, the releases read, and whether it
    passed disclosure control (``protected``) or holds unsuppressed confidential figures (``confidential``)."""

    indicator: str
    measure: str
    period: str
    by: list[str]
    unit: str
    rows: list[dict[str, Any]]
    releases: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    definition: tuple[str, str] = ("", "")
    protected: bool = False
    confidential: bool = False


def published_table(settings: Settings, indicator: str, by: Sequence[str], period: str, measure_name: str = "level",
                    release: int | None = None, unit: str | None = None, public: bool = False,
                    backend: Any = None, form: str | None = None) -> TableResult:
    """The figures of ``measure_name`` of ``indicator`` for ``period`` by the dimensions ``by``.

    Values are in the form's unit (万元 / 万美元 / persons) unless ``unit`` names another unit of the same
    kind; percentages for growth and share measures. Each row is ``{*by: code, "value": float | None,
    "flag": str | None}``.

    ``public=True`` applies disclosure control: ``by`` must be a published table of the indicator (catalog
    ``disclosure.yaml``), a suppressed cell has ``value`` None and ``flag`` ``threshold``, ``dominance`` or
    ``secondary``, a published cell ``flag`` None, and ``protected`` is True. ``public=False`` gives every
    cell unsuppressed (``flag`` None) and marks the result ``confidential``.
    """
    cat = load_catalog()
    if indicator not in cat.indicators:
        raise QueryError(f"未知指标 {indicator} / unknown indicator {indicator}")
    if measure_name not in MEASURES:
        raise QueryError(f"未知度量 {measure_name} / unknown measure; one of {', '.join(MEASURES)}")
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise QueryError(f"未知维度 {bad} / unknown dimensions {bad}; use {', '.join(DIMENSIONS)}")
    try:
        form = form or Period.parse(period).form
    except PeriodError as exc:
        raise QueryError(exc.message.both()) from exc
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
    if public and release is not None and release != files[period].number:
        # a later release may suppress what this one shows: the public reads the latest release only
        msg = Message("disclosure.superseded", period=period, release=release, latest=files[period].number)
        raise QueryError(msg.both())
    canonical: tuple[str, ...] = ()
    if public:
        from ..catalog.disclosure import load_disclosure

        found = load_disclosure().table_of(cat.indicators[indicator], list(by))
        if found is None:
            allowed = "; ".join(",".join(t) or "(national)" for t in load_disclosure().tables_for(
                cat.indicators[indicator]))
            raise QueryError(f"公开发布不提供按 {','.join(by) or '全国'} 分组的 {indicator} 表 / {indicator} is not "
                             f"published by {','.join(by) or 'nation'}; public tables: {allowed}")
        canonical = found
    try:
        df = measure(table, measure_name, indicator, list(by), period).execute()
    except PeriodError as exc:  # e.g. growth of the first year a period may name: no year before it
        raise QueryError(exc.message.both()) from exc
    base_unit = cat.indicators[indicator].unit
    out_unit = "pct" if measure_name in PERCENT_MEASURES else (unit or base_unit)
    factor = 1.0
    if out_unit != base_unit and measure_name not in PERCENT_MEASURES:
        a, b = cat.units.get(base_unit), cat.units.get(out_unit)
        try:
            if a is None or b is None:
                raise UnitMismatch(Message("units.mismatch", source=base_unit, target=out_unit))
            factor = conversion_factor(a, b)
        except UnitMismatch as exc:
            raise QueryError(exc.message.both()) from exc
    df = df.sort_values(list(by)) if by else df
    rows = [{**{d: r[d] for d in by}, "value": None if r["value"] != r["value"] else float(r["value"]) * factor,
             "flag": None} for r in df.to_dict("records")]
    if public:
        rows = _protect_rows(wh, rows, form, period, indicator, canonical, measure_name, release)
    used = {p: f.number for p, f in files.items()}
    if release is not None:
        used[period] = release
    return TableResult(indicator=indicator, measure=measure_name, period=period, by=list(by), unit=out_unit,
                       rows=rows, releases=used, synthetic=any(f.manifest.get("synthetic") for f in files.values()),
                       definition=DEFINITIONS[measure_name], protected=public, confidential=not public)


def _protect_rows(wh: Warehouse, rows: list[dict[str, Any]], form: str, period: str, indicator: str,
                  dims: tuple[str, ...], measure_name: str, release: int | None) -> list[dict[str, Any]]:
    """The rows with the flags of the release's pattern: a suppressed cell's value becomes None. Rows outside
    the published cells (enterprises in no city, for the city table) are dropped; a row the pattern does not
    know is suppressed (fail safe)."""
    from .disclosure import Disclosure
    from .failsafe import flags_or_all_suppressed

    rows = [r for r in rows if all(r[d] is not None for d in dims)]
    keys = [tuple(r[d] for d in dims) for r in rows]
    flags = flags_or_all_suppressed(  # fail safe: a pattern that cannot be computed suppresses the table
        lambda: Disclosure(wh).table_flags(form, period, indicator, dims, measure_name, keys, pin=release),
        keys, [r["value"] for r in rows])
    for r, k in zip(rows, keys, strict=True):
        flag = flags.get(k, "secondary")
        r["flag"] = flag
        if flag is not None:
            r["value"] = None
    return rows
