"""A bulletin as a report the writers render (HTML, PDF, XLSX): the paragraphs written from the data, the tables
(main indicators with 本期累计 and 同比增减%, regions, provinces, central cities), the charts and the methods note."""

from __future__ import annotations

from typing import Any

from ...catalog import load_catalog
from ...catalog.disclosure import load_disclosure
from ...domain import text
from ..writers import MARK, Column, Document, Suppressed, Text
from ..writers.document import Chart, Report, Section
from . import text as words
from .data import GROWTH, HEADLINE, AreaFigures, BulletinData, Figure

LANGS = words.LANGS


def both(key: str, **params: Any) -> Text:
    """Catalogue message ``key`` in Chinese and English."""
    return text(f"bulletins.{key}", "zh", **params), text(f"bulletins.{key}", "en", **params)


def _per_lang(fn: Any) -> Text:
    return fn("zh"), fn("en")


def _cell(fig: Figure) -> Any:
    return Suppressed(fig.flag) if fig.flag else fig.value


def bulletin_report(data: BulletinData, lang: str = "zh") -> Report:
    """The bulletin of ``data`` as a :class:`Report` written in ``lang``."""
    p = data.period
    title = _per_lang(lambda lg: text("bulletins.title", lg, span=words.span(p, lg, with_year=True)))
    subtitle = both("subtitle", period=str(p), release=data.release)
    sections = [
        Section(both("h_overall"), words.overall(data), charts=_trend_chart(data)),
        Section(both("h_sectors"), words.sectors(data), charts=[_shares_chart(data)]),
        Section(both("h_regions"), words.regions(data), charts=[_regions_chart(data)]),
        Section(
            both("h_tables"),
            tables=[
                main_table(data, lang),
                area_table(data, "region", lang),
                area_table(data, "province", lang),
                area_table(data, "city", lang),
            ],
        ),
        Section(both("h_methods"), methods(data)),
    ]
    return Report(
        title=title,
        subtitle=subtitle,
        sections=sections,
        lang=lang,
        name=f"sitmon-bulletin-{p}-r{data.release}-{lang}",
        banner=both("synthetic_banner") if data.synthetic else None,
        meta={"period": str(p), "release": data.release, "synthetic": data.synthetic, "protected": True},
    )


def _notes(data: BulletinData) -> list[Text]:
    rules = load_disclosure()
    notes = [
        both(
            "m_suppression",
            mark=MARK,
            n=rules.threshold.min_enterprises,
            top=rules.dominance.n,
            k=f"{rules.dominance.k:g}",
            withheld=data.withheld,
        ),
        both("m_rounding"),
        both("m_source"),
    ]
    if data.synthetic:
        notes.append(both("m_synthetic"))
    return notes


def main_table(data: BulletinData, lang: str) -> Document:
    """软件和信息技术服务业主要指标: indicator, unit, 本期累计, 同比增减% (comparable) and YoY on levels."""
    p = data.period
    level_key = "col_level" if p.month is not None else "col_level_year"
    cols = [
        Column("indicator", both("col_indicator")),
        Column("unit", both("col_unit")),
        Column(
            "level",
            _per_lang(lambda lg: text(f"bulletins.{level_key}", lg, span=words.span(p, lg))),
            kind="number",
            decimals=1,
        ),
        Column(GROWTH, both("col_growth"), kind="number", decimals=1),
        Column("yoy", both("col_growth_levels"), kind="number", decimals=1),
    ]
    cat = load_catalog()
    rows = []
    for code, fig in data.indicators.items():
        ind = cat.indicators[code]
        unit = cat.units[fig.unit]
        rows.append(
            {
                "indicator": ind.name(lang),
                "unit": unit.name_zh if lang == "zh" else unit.name_en,
                "level": _cell(fig.level),
                GROWTH: _cell(fig.growth),
                "yoy": _cell(fig.growth_levels),
                "code": code,
            }
        )
    return Document(
        title=_per_lang(lambda lg: text("bulletins.table_main", lg, span=words.span(p, lg, True))),
        columns=cols,
        rows=rows,
        notes=_notes(data),
        name=f"main-{p}",
        lang=lang,
        total_rows=1,
        meta={"table": "main"},
    )


def area_table(data: BulletinData, dim: str, lang: str) -> Document:
    """Software business revenue of the macro regions, provinces or central cities: level, growth, share."""
    p = data.period
    areas: list[AreaFigures] = {"region": data.regions, "province": data.provinces, "city": data.cities}[dim]
    cat = load_catalog()
    cols = [
        Column("code", both("col_code"), kind="code"),
        Column("area", both("col_area")),
        Column(
            "level",
            _per_lang(
                lambda lg: (
                    text(
                        "bulletins.col_level" if p.month else "bulletins.col_level_year",
                        lg,
                        span=words.span(p, lg),
                    )
                    + ("（亿元）" if lg == "zh" else " (100m CNY)")
                )
            ),
            kind="number",
            decimals=1,
        ),
        Column(GROWTH, both("col_growth"), kind="number", decimals=1),
        Column("share", both("col_share"), kind="number", decimals=1),
    ]
    rows = [
        {
            "code": a.code,
            "area": cat.region_name(a.code, lang),
            "level": _cell(a.level),
            GROWTH: _cell(a.growth),
            "share": _cell(a.share),
        }
        for a in areas
    ]
    key = {"region": "table_regions", "province": "table_provinces", "city": "table_cities"}[dim]
    return Document(
        title=_per_lang(lambda lg: text(f"bulletins.{key}", lg, span=words.span(p, lg, True))),
        columns=cols,
        rows=rows,
        notes=_notes(data)[:1],
        name=f"{dim}-{p}",
        lang=lang,
        meta={"table": dim},
    )


def methods(data: BulletinData) -> list[Text]:
    """附注: scope, comparable basis, response and imputation, suppression marks, revisions, real context."""
    rules = load_disclosure()
    out = [both("m_scope"), both("m_comparable")]
    r = data.response
    if all(r.get(k) is not None for k in ("expected", "respondents", "imputed", "response_rate_pct")):
        out.append(
            both(
                "m_response",
                expected=r["expected"],
                respondents=r["respondents"],
                imputed=r["imputed"],
                rate=f"{float(r['response_rate_pct']):.1f}",
            )
        )
    else:
        out.append(both("m_response_unknown"))
    out.append(
        both(
            "m_suppression",
            mark=MARK,
            n=rules.threshold.min_enterprises,
            top=rules.dominance.n,
            k=f"{rules.dominance.k:g}",
            withheld=data.withheld,
        )
    )
    if data.previous_release is None:
        out.append(both("m_first_release", release=data.release))
    elif not data.revisions:
        out.append(both("m_no_revisions", release=data.release, previous=data.previous_release))
    else:
        out.append(
            _per_lang(
                lambda lg: text(
                    "bulletins.m_revisions",
                    lg,
                    release=data.release,
                    previous=data.previous_release,
                    items=("；" if lg == "zh" else "; ").join(
                        text(
                            "bulletins.m_revision_item",
                            lg,
                            name=words.indicator_name(v.indicator, lg),
                            before=words.amount(v.before),
                            after=words.amount(v.after),
                            unit=words.unit_name(v.unit, lg),
                        )
                        for v in data.revisions
                    ),
                )
            )
        )
    if data.revised_cells:
        out.append(
            both("m_revised_cells", n=data.revised_cells, period=str(data.period), release=data.release)
        )
    out.append(both("m_rounding"))
    if data.context:
        out.append(
            _per_lang(
                lambda lg: text(
                    "bulletins.m_context",
                    lg,
                    items=("；" if lg == "zh" else "; ").join(
                        text(
                            "bulletins.m_context_item",
                            lg,
                            year=y,
                            value=words.amount(v),
                            citation=c.render(lg),
                        )
                        for y, v, _, c in data.context
                    ),
                )
            )
        )
    if data.synthetic:
        out.append(both("m_synthetic"))
    out.append(both("m_source"))
    return out


def _trend_chart(data: BulletinData) -> list[Chart]:
    if not data.trend:
        return []
    cats = [(f"{int(m[5:])}月" if m.endswith("-01") else f"1—{int(m[5:])}月", m[5:]) for m, _ in data.trend]
    series = [(both("series_this_year", year=data.period.year), [f.value for _, f in data.trend])]
    if any(f.shown for _, f in data.trend_last_year):
        series.append(
            (both("series_this_year", year=data.period.year - 1), [f.value for _, f in data.trend_last_year])
        )
    return [Chart("line", both("chart_trend"), cats, series, ("%", "%"))]


def _shares_chart(data: BulletinData) -> Chart:
    cat = load_catalog()
    sectors = [s for s in cat.sectors.values() if s.indicator in data.indicators]
    return Chart(
        "bar",
        both("chart_shares"),
        [(s.name_zh, s.name_en) for s in sectors],
        [
            (both("series_this_period"), [data.indicators[s.indicator].share.value for s in sectors]),
            (
                both("series_same_period"),
                [data.indicators[s.indicator].share_last_year.value for s in sectors],
            ),
        ],
        ("%", "%"),
    )


def _regions_chart(data: BulletinData) -> Chart:
    cat = load_catalog()
    return Chart(
        "bar",
        both("chart_regions"),
        [(cat.region_name(a.code, "zh"), cat.region_name(a.code, "en")) for a in data.regions],
        [(both("series_this_period"), [a.level.value for a in data.regions])],
        ("亿元", "100m CNY"),
    )


__all__ = ["HEADLINE", "area_table", "bulletin_report", "main_table", "methods"]
