"""Published tables laid out for machines (long) and for people (wide), as documents the writers render.

- ``long``: one row per cell, period and measure: the dimension codes, ``period, indicator, measure, value``,
  ``flag`` for a public table, ``unit`` — the CSV contract for machines.
- ``wide``: one row per dimension value in the official order (东部, 中部, 西部, 东北; provinces and cities by
  GB/T 2260 code; sectors in the bulletin order; size tiers from the largest), names beside codes, a total row
  first, one column per (period, measure) with headers in the reader's language and units, growth to one
  decimal and amounts to their unit's customary precision, a suppressed cell shown as ``…``, and notes under the
  table: definitions, the suppression mark, releases and source.
"""

from __future__ import annotations

from typing import Any

from ..analyse.measures import SIZE_TIERS
from ..catalog import load_catalog
from ..domain import Message, Period, term, text
from .tables import TableResult
from .writers import Column, Document, Suppressed, Text, WriterError

LAYOUTS = ("long", "wide")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def both(key: str, **params: Any) -> Text:
    """The catalogue message ``key`` in Chinese and English."""
    return text(key, "zh", **params), text(key, "en", **params)


def table_document(res: TableResult, layout: str = "long", lang: str = "zh") -> Document:
    """``res`` as a document in ``layout`` (``long`` or ``wide``) with texts in ``lang``."""
    if layout == "long":
        return long_document(res, lang)
    if layout == "wide":
        return wide_document(res, lang)
    raise WriterError(Message("tables.unknown_layout", layout=layout))


def display_unit(indicator: str) -> str | None:
    """The unit people read ``indicator`` in (亿元 for 万元, 亿美元 for 万美元, 万人 for persons), or None when
    it is the form's own."""
    cat = load_catalog()
    ind = cat.indicators.get(indicator)
    return None if ind is None else cat.units[ind.unit].display


def long_document(res: TableResult, lang: str = "zh") -> Document:
    """The long layout: one row per cell, period and measure; headers are the column keys (for machines)."""
    dim_cols = [Column(d, _code_label(d), kind="code") for d in res.by]
    cols = [
        *dim_cols,
        Column("period", both("tables.col_period"), kind="code"),
        Column("indicator", both("tables.col_indicator"), kind="code"),
        Column("measure", both("tables.col_measure"), kind="code"),
        Column("value", both("tables.col_value"), kind="number"),
        *([Column("flag", both("tables.col_flag"), kind="code")] if res.protected else []),
        Column("unit", both("tables.col_unit"), kind="code"),
    ]
    rows = [
        {
            **{d: r[d] for d in res.by},
            "period": r["period"],
            "indicator": res.indicator,
            "measure": r["measure"],
            "value": r["value"],
            **({"flag": r["flag"]} if res.protected else {}),
            "unit": res.units[r["measure"]],
        }
        for r in res.rows
    ]
    return Document(
        title=_title(res),
        columns=cols,
        rows=rows,
        notes=_notes(res),
        name=_name(res),
        lang=lang,
        for_people=False,
        meta=_meta(res),
    )


def wide_document(res: TableResult, lang: str = "zh") -> Document:
    """The wide layout for people (see the module's description); ``res`` should hold its ``total_rows``."""
    cat = load_catalog()
    labels = [
        c
        for d in res.by
        for c in (Column(d, _code_label(d), kind="code"), Column(f"{d}_name", both(f"tables.dim_{d}")))
    ]
    labels = labels or [Column("area", both("tables.col_area"))]
    values = []
    for p in res.periods:
        group = period_label(p)
        for m in res.measures:
            unit = cat.units[res.units[m]]
            values.append(
                Column(
                    f"{p}:{m}",
                    measure_label(res.indicator, m, p, res.units[m]),
                    group=group,
                    kind="number",
                    decimals=unit.decimals,
                    unit=unit.code,
                )
            )
    cells: dict[tuple, dict[str, Any]] = {}
    for r in res.rows:
        cells.setdefault(tuple(r[d] for d in res.by), {})[f"{r['period']}:{r['measure']}"] = _cell(r)
    rows: list[dict[str, Any]] = []
    totals = res.total_rows if res.by else res.rows
    if totals:
        total: dict[str, Any] = {c.key: None for c in labels}
        total[labels[1 if res.by else 0].key] = text("tables.total", lang)
        total.update({f"{r['period']}:{r['measure']}": _cell(r) for r in totals})
        rows.append(total)
    for key in sorted(cells, key=lambda k: tuple(order_key(d, v) for d, v in zip(res.by, k, strict=True))):
        if not res.by:
            continue  # the national table is its total row
        row: dict[str, Any] = {}
        for d, v in zip(res.by, key, strict=True):
            row[d], row[f"{d}_name"] = v, name_of(d, v, lang)
        rows.append({**row, **cells[key]})
    return Document(
        title=_title(res),
        columns=[*labels, *values],
        rows=rows,
        notes=_notes(res),
        name=_name(res),
        lang=lang,
        for_people=True,
        total_rows=1 if totals else 0,
        meta=_meta(res),
    )


def listing_document(
    title: Text,
    rows: list[dict[str, Any]],
    columns: list[str],
    lang: str = "zh",
    notes: list[Text] | None = None,
    name: str = "sitmon",
) -> Document:
    """A listing (plan status, a published series, reports, the review queue, late filers) as a document for
    people: one column per key of ``columns`` headed by its label in the catalogue (``listings.col_<key>``,
    else the key), numbers kept as numbers."""
    cols = []
    for key in columns:
        label = both(f"listings.col_{key}")
        if label[0] == f"listings.col_{key}":
            label = (key, key)
        values = [r.get(key) for r in rows if r.get(key) is not None]
        numeric = bool(values) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
        )
        cols.append(Column(key, label, kind="number" if numeric else "label"))
    return Document(
        title=title,
        columns=cols,
        rows=[{k: r.get(k) for k in columns} for r in rows],
        notes=list(notes or []),
        name=name,
        lang=lang,
        for_people=True,
    )


def _code_label(dim: str) -> Text:
    return (
        text("tables.code_of", "zh", dimension=text(f"tables.dim_{dim}", "zh")),
        text("tables.code_of", "en", dimension=text(f"tables.dim_{dim}", "en")),
    )


def _cell(row: dict[str, Any]) -> Any:
    return Suppressed(row["flag"]) if row.get("flag") else row["value"]


def order_key(dim: str, code: Any) -> tuple:
    """Where ``code`` of ``dim`` goes in the official order (a missing value last)."""
    if code is None:
        return (1, 0, "")
    cat = load_catalog()
    if dim == "region":
        order = list(cat.macro_regions)
    elif dim == "sector":
        order = list(cat.sectors)
    elif dim == "size_tier":
        order = [label for _, label in SIZE_TIERS]
    else:
        return (0, 0, str(code))
    return (0, order.index(code) if code in order else len(order), str(code))


def name_of(dim: str, code: Any, lang: str) -> str:
    """The name people read for ``code`` of ``dim`` (北京市, 东部地区, 信息技术服务, …) in ``lang``."""
    cat = load_catalog()
    if code is None:
        return text("tables.no_city", lang)
    if dim == "sector" and code in cat.sectors:
        return cat.sectors[code].name(lang)
    if dim == "size_tier":
        return term("size_tier", code, lang)
    return cat.region_name(str(code), lang)


def period_label(period: str) -> Text:
    """How a period heads its columns: 2024年1—6月 (year to date), 2024年1月, 2024年."""
    p = Period.parse(period)
    if p.month is None:
        return both("tables.period_year", year=p.year)
    if p.month == 1:
        return both("tables.period_january", year=p.year)
    return _months("tables.period_ytd", p.year, p.month)


def _months(key: str, year: int, month: int) -> Text:
    """A period text with its month as a number in Chinese (6月) and a name in English (Jun)."""
    return text(key, "zh", year=year, month=month), text(key, "en", year=year, month=MONTHS_EN[month - 1])


def _plain(period: str) -> Text:
    p = Period.parse(period)
    if p.month is None:
        return both("tables.period_year", year=p.year)
    return _months("tables.period_month", p.year, p.month)


def measure_label(indicator: str, measure: str, period: str, unit: str) -> Text:
    """The header of a measure's column, with its unit: 软件业务收入（亿元）, 同比增长（%）, 6月当月（亿元）."""
    cat = load_catalog()
    ind, u = cat.indicators[indicator], cat.units[unit]
    if measure in ("level", "ytd"):
        return (
            text("tables.measure_level", "zh", indicator=ind.name_zh, unit=u.name_zh),
            text("tables.measure_level", "en", indicator=ind.name_en, unit=u.name_en),
        )
    if measure == "month":
        p = Period.parse(period)
        m = p.month_number
        return (
            text("tables.measure_month", "zh", month=m, unit=u.name_zh),
            text("tables.measure_month", "en", month=MONTHS_EN[m - 1], unit=u.name_en),
        )
    return both(f"tables.measure_{measure}")


def _title(res: TableResult) -> Text:
    cat = load_catalog()
    ind = cat.indicators[res.indicator]
    if len(res.periods) == 1:
        span = period_label(res.periods[0])
    else:
        first, last = _plain(res.periods[0]), _plain(res.periods[-1])
        span = (
            text("tables.span_range", "zh", first=first[0], last=last[0]),
            text("tables.span_range", "en", first=first[1], last=last[1]),
        )
    if not res.by:
        return (
            text("tables.title_national", "zh", indicator=ind.name_zh, span=span[0]),
            text("tables.title_national", "en", indicator=ind.name_en, span=span[1]),
        )
    by = [
        "、".join(text(f"tables.dim_{d}", "zh") for d in res.by),
        " × ".join(text(f"tables.dim_{d}", "en").lower() for d in res.by),
    ]
    return (
        text("tables.title", "zh", indicator=ind.name_zh, by=by[0], span=span[0]),
        text("tables.title", "en", indicator=ind.name_en, by=by[1], span=span[1]),
    )


def _notes(res: TableResult) -> list[Text]:
    from ..catalog.disclosure import load_disclosure
    from .writers import MARK

    notes: list[Text] = []
    for m in res.measures:
        label = measure_label(res.indicator, m, res.periods[-1], res.units[m])
        zh, en = res.definitions[m].render("zh"), res.definitions[m].render("en")
        notes.append(
            (
                text("tables.note_definition", "zh", measure=label[0], definition=zh.rstrip(" %，")),
                text("tables.note_definition", "en", measure=label[1], definition=en.rstrip(" %,")),
            )
        )
    if res.form == "monthly":
        notes.append(both("tables.note_ytd"))
    if res.protected:
        rules = load_disclosure()
        notes.append(
            both(
                "tables.note_suppressed",
                mark=MARK,
                n=rules.threshold.min_enterprises,
                top=rules.dominance.n,
                k=f"{rules.dominance.k:g}",
            )
        )
    else:
        notes.append(both("tables.note_confidential"))
    notes.append(both("tables.note_blank"))
    notes.append(both("tables.note_rounding"))
    notes.append(_releases_note(res))
    notes.append(both("tables.note_source"))
    if res.synthetic:
        notes.append(both("tables.note_synthetic"))
    return notes


def _releases_note(res: TableResult) -> Text:
    numbers = [res.releases.get(p) for p in res.periods]
    if len(res.periods) > 1 and len(set(numbers)) == 1:
        items = both("tables.release_span", first=res.periods[0], last=res.periods[-1], number=numbers[0])
    else:
        parts = [
            both("tables.release_item", period=p, number=n) for p, n in zip(res.periods, numbers, strict=True)
        ]
        items = ("，".join(zh for zh, _ in parts), ", ".join(en for _, en in parts))
    return (
        text("tables.note_release", "zh", releases=items[0]),
        text("tables.note_release", "en", releases=items[1]),
    )


def _name(res: TableResult) -> str:
    span = res.periods[0] if len(res.periods) == 1 else f"{res.periods[0]}_{res.periods[-1]}"
    return "-".join(["sitmon", res.indicator, *(res.by or ["national"]), span, *res.measures])


def _meta(res: TableResult) -> dict[str, Any]:
    return {
        "indicator": res.indicator,
        "by": res.by,
        "periods": res.periods,
        "measures": res.measures,
        "units": res.units,
        "releases": {p: res.releases.get(p) for p in res.periods},
        "protected": res.protected,
        "confidential": res.confidential,
        "synthetic": res.synthetic,
    }
