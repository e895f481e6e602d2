"""The paragraphs of a bulletin, written from its figures in the official wording: 增长 / 下降, 增速较1—N月提高 /
回落 x 个百分点 (降幅扩大 / 收窄 when both periods fell), ranks and shares, one decimal for rates. A withheld figure is
never named: its sentence says only that it is withheld.

Rates are compared as people read them, rounded to one decimal: 10.0 % after 9.7 % is 0.3 points higher.
"""

from __future__ import annotations

from ...catalog import load_catalog
from ...domain import Period, text
from ..writers import Text
from .data import HEADLINE, AreaFigures, BulletinData, Figure, IndicatorFigures

LANGS = ("zh", "en")
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
LEADERS = 5
TOP_CITIES = 3


def amount(value: float | None) -> str:
    """An amount as bulletins print it: thousands separated, one decimal (59,769.3). A withheld figure (None) is
    never printed: asking for one is an error, not an empty string."""
    if value is None:
        raise ValueError("a withheld figure has no text")
    return f"{value:,.1f}"


def rate(value: float | None) -> str:
    """A rate or share to one decimal, without its sign (10.0); a withheld one (None) is an error."""
    if value is None:
        raise ValueError("a withheld figure has no text")
    return f"{abs(round(value, 1)):.1f}"


def span(period: Period, lang: str, with_year: bool = False) -> str:
    """The months a year-to-date figure covers: 1—6月 / January–June (1月 / January; a year: 2024年 / 2024)."""
    if period.month is None:
        return f"{period.year}年" if lang == "zh" else str(period.year)
    if lang == "zh":
        months = "1月" if period.month == 1 else f"1—{period.month}月"
        return f"{period.year}年{months}" if with_year else months
    months = "January" if period.month == 1 else f"January–{MONTHS_EN[period.month - 1]}"
    return f"{months} {period.year}" if with_year else months


def comparison_span(data: BulletinData, lang: str) -> str:
    """How the comparison period is named: 1—5月, or 上年 / last year."""
    c = data.comparison
    if c is None:
        return ""
    if c.year != data.period.year:
        return "上年" if lang == "zh" else "last year"
    return span(c, lang)


def change(fig: Figure, lang: str) -> str | None:
    """同比增长 x% / 同比下降 x% / 与上年同期持平; None without a figure to show."""
    if not fig.shown:
        return None
    r = round(fig.value, 1)  # type: ignore[arg-type]
    key = "up" if r > 0 else "down" if r < 0 else "flat"
    return text(f"bulletins.{key}", lang, rate=rate(r))


def pace(now: Figure, before: Figure, where: str, lang: str) -> str | None:
    """增速较{where}提高 / 回落 x 个百分点 (降幅扩大 / 收窄 when both fell), or 持平; None without both rates."""
    if not now.shown or not before.shown or not where:
        return None
    a, b = round(now.value, 1), round(before.value, 1)  # type: ignore[arg-type]
    pp = f"{abs(a - b):.1f}"
    if round(a - b, 1) == 0:
        return text("bulletins.same_pace", lang, span=where)
    if a < 0 and b < 0:
        return text(
            "bulletins.decline_wider" if a < b else "bulletins.decline_narrower", lang, span=where, pp=pp
        )
    return text("bulletins.faster" if a > b else "bulletins.slower", lang, span=where, pp=pp)


def indicator_name(code: str, lang: str) -> str:
    """The indicator's name without the 其中： / of which: prefix."""
    name = load_catalog().indicators[code].name(lang)
    for prefix in ("其中：", "of which: "):
        name = name.removeprefix(prefix)
    return name


def unit_name(unit: str, lang: str) -> str:
    """亿元 / 100m CNY."""
    u = load_catalog().units[unit]
    return u.name_zh if lang == "zh" else u.name_en


def sentence(fig: IndicatorFigures, data: BulletinData, lang: str, compare: bool = True) -> str:
    """{name}{level}{unit}，同比增长 x%，增速较1—5月提高 y 个百分点 — or that it is withheld."""
    name = indicator_name(fig.indicator, lang)
    if not fig.level.shown:
        return text("bulletins.withheld", lang, name=name)
    parts = [change(fig.growth, lang)]
    if compare:
        parts.append(pace(fig.growth, fig.previous_growth, comparison_span(data, lang), lang))
    shown = [p for p in parts if p]
    unit = unit_name(fig.unit, lang)
    if not shown:
        return text("bulletins.figure_level_only", lang, name=name, level=amount(fig.level.value), unit=unit)
    sep = "，" if lang == "zh" else ", "
    return text(
        "bulletins.figure",
        lang,
        name=name,
        level=amount(fig.level.value),
        unit=unit,
        change=sep.join(shown),
    )


def _join(items: list[str], lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(items)


def _end(s: str, lang: str) -> str:
    return s + ("。" if lang == "zh" else ".")


def overall(data: BulletinData) -> list[Text]:
    """总体运行情况: revenue, then profit, exports and employees."""
    out = []
    for lang in LANGS:
        head = sentence(data.indicators[HEADLINE], data, lang)
        if lang == "en":  # mid-sentence: "In January–June, software business revenue was …"
            head = head[:1].lower() + head[1:]
        lead = text("bulletins.lead", lang, span=span(data.period, lang), subject=head)
        rest = [
            sentence(data.indicators[c], data, lang)
            for c in ("profit_total", "exports_usd", "employees")
            if c in data.indicators
        ]
        out.append([lead, *[_end(s, lang) for s in rest]])
    return [(zh, en) for zh, en in zip(*out, strict=True)]


def sectors(data: BulletinData) -> list[Text]:
    """分领域: each of the four sectors with its share (and last year's), and the sub-items it carries."""
    cat = load_catalog()
    out: list[Text] = []
    subitems = {ind.parent: [] for ind in cat.indicators.values() if ind.parent}  # type: ignore[var-annotated]
    for ind in cat.indicators.values():
        if ind.parent and ind.code in data.indicators:
            subitems[ind.parent].append(ind.code)
    for sector in cat.sectors.values():
        fig = data.indicators.get(sector.indicator)
        if fig is None:
            continue
        pair = []
        for lang in LANGS:
            s = sentence(fig, data, lang, compare=True)
            if fig.level.shown and fig.share.shown:
                sep = "，" if lang == "zh" else ", "
                share = (
                    text(
                        "bulletins.share",
                        lang,
                        share=rate(fig.share.value),
                        share_last=rate(fig.share_last_year.value),
                    )
                    if fig.share_last_year.shown
                    else text("bulletins.share_only", lang, share=rate(fig.share.value))
                )
                s = s + sep + share
            parts = [_end(s, lang)]
            subs = [
                sentence(data.indicators[c], data, lang, compare=False)
                for c in subitems.get(sector.indicator, [])
            ]
            if subs:
                parts.append(_end(text("bulletins.of_which", lang, items=_join(subs, lang)), lang))
            pair.append(("" if lang == "zh" else " ").join(parts))
        out.append((pair[0], pair[1]))
    return out


def regions(data: BulletinData) -> list[Text]:
    """分地区: the four macro regions, the leading provinces and their share, the sub-provincial central cities."""
    cat = load_catalog()
    out: list[Text] = []
    pair = []
    for lang in LANGS:
        items = [_region(a, cat.region_name(a.code, lang), lang) for a in data.regions]
        pair.append(
            " ".join(_end(i, lang) for i in items) if lang == "en" else "".join(_end(i, lang) for i in items)
        )
    out.append((pair[0], pair[1]))
    leaders = _leaders(data)
    if leaders:
        out.append(leaders)
    cities = _cities(data)
    if cities:
        out.append(cities)
    return out


def _region(a: AreaFigures, name: str, lang: str) -> str:
    if not a.level.shown:
        return text("bulletins.withheld", lang, name=name)
    ch = change(a.growth, lang) or ""
    if a.share.shown:
        return text(
            "bulletins.region",
            lang,
            region=name,
            level=amount(a.level.value),
            change=ch,
            share=rate(a.share.value),
        )
    return text("bulletins.region_no_share", lang, region=name, level=amount(a.level.value), change=ch)


def _leaders(data: BulletinData) -> Text | None:
    """The leading provinces among those published (a withheld one is neither ranked nor named)."""
    cat = load_catalog()
    shown = sorted(
        (a for a in data.provinces if a.level.shown and a.share.shown), key=lambda a: -(a.level.value or 0.0)
    )  # type: ignore[operator]
    top = shown[:LEADERS]
    if not top:
        return None
    total = sum(a.share.value for a in top)  # type: ignore[misc]
    partial = any(not a.level.shown for a in data.provinces)
    pair = []
    for lang in LANGS:
        names = ("、" if lang == "zh" else ", ").join(_short(cat, a.code, lang) for a in top)
        s = text("bulletins.leaders", lang, n=len(top), names=names, share=rate(total))
        if partial:
            s += text("bulletins.leaders_partial", lang)
        pair.append(_end(s, lang))
    return pair[0], pair[1]


def _short(cat, code: str, lang: str) -> str:  # type: ignore[no-untyped-def]
    p = cat.provinces.get(code)
    if p is not None and lang == "zh":
        return p.short
    return cat.region_name(code, lang)


def _cities(data: BulletinData) -> Text | None:
    cat = load_catalog()
    shown = sorted((a for a in data.cities if a.level.shown), key=lambda a: -(a.level.value or 0.0))  # type: ignore[operator]
    growing = [a for a in data.cities if a.growth.shown]
    if not shown or not growing:
        return None
    top = shown[:TOP_CITIES]
    fastest = max(growing, key=lambda a: a.growth.value)  # type: ignore[arg-type,return-value]
    pair = []
    for lang in LANGS:
        names = ("、" if lang == "zh" else ", ").join(cat.region_name(a.code, lang) for a in top)
        pair.append(
            _end(
                text(
                    "bulletins.cities",
                    lang,
                    n=len(top),
                    names=names,
                    fastest=cat.region_name(fastest.code, lang),
                    change=change(fastest.growth, lang),
                ),
                lang,
            )
        )
    return pair[0], pair[1]
