"""How numbers, units, names and flags read on a page, in the reader's language: every number with its unit,
growth rates to one decimal, a suppressed cell as a mark with its reason (never 0), a gap as a dash."""

from __future__ import annotations

from typing import Any

from ...catalog import load_catalog
from ...domain import term, text

#: The unit a page shows an indicator in, by the unit of the forms (bulletins: 亿元, 亿美元, 万人).
DISPLAY_UNIT = {"10k_cny": "100m_cny", "10k_usd": "100m_usd", "person": "10k_persons"}
DECIMALS = {
    "100m_cny": 1,
    "1t_cny": 2,
    "100m_usd": 1,
    "10k_persons": 1,
    "pct": 1,
    "10k_cny": 0,
    "10k_usd": 0,
    "person": 0,
    "count": 0,
}
DASH = "—"


def display_unit(indicator: str, measure: str = "level") -> str:
    """The unit ``indicator`` is shown in for ``measure`` (``pct`` for growth and share measures)."""
    from ...analyse.measures import PERCENT_MEASURES

    if measure in PERCENT_MEASURES:
        return "pct"
    unit = load_catalog().indicators[indicator].unit
    return DISPLAY_UNIT.get(unit, unit)


class Formatter:
    """Formatting in one language (``zh`` or ``en``), as the templates call it (``f.value(...)``)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.cat = load_catalog()

    def number(self, value: float | None, decimals: int = 1) -> str:
        """``1,234.5``; a dash for a gap (None or not finite)."""
        if value is None or value != value or value in (float("inf"), float("-inf")):
            return DASH
        return f"{value:,.{decimals}f}"

    def unit(self, code: str) -> str:
        """The unit's name (亿元 / 100m CNY, %)."""
        u = self.cat.units.get(code)
        if u is None:
            return code
        return u.name(self.lang)

    def value(self, value: float | None, unit: str, flag: str | None = None) -> str:
        """A figure with its unit (``1,234.5 亿元``, ``12.3%``), a suppression mark with its reason, or a dash."""
        if flag:
            return self.flag(flag)
        if value is None or value != value:
            return DASH
        text_ = self.number(value, DECIMALS.get(unit, 2))
        return f"{text_}%" if unit == "pct" else f"{text_} {self.unit(unit)}"

    def growth(self, value: float | None, flag: str | None = None) -> str:
        """A growth rate to one decimal with its sign and ``%`` (``+12.3%``)."""
        if flag:
            return self.flag(flag)
        if value is None or value != value:
            return DASH
        return f"{value:+,.1f}%"

    def flag(self, flag: str) -> str:
        """``× 阈值`` / ``× threshold``: the mark of a suppressed cell with its reason."""
        return "× " + term("flag", flag, self.lang)

    def indicator(self, code: str) -> str:
        """The indicator's name."""
        ind = self.cat.indicators.get(code)
        return ind.name(self.lang) if ind else code

    def sector(self, code: str | None) -> str:
        """The sector's name."""
        s = self.cat.sectors.get(code or "")
        return s.name(self.lang) if s else (code or DASH)

    def region(self, code: str | None) -> str:
        """A macro region's, province's or city's name."""
        return self.cat.region_name(code, self.lang) if code else DASH

    def cell(self, dim: str, code: Any) -> str:
        """The name of a cell of dimension ``dim`` (region, province, city, sector, size tier)."""
        if code is None:
            return DASH
        if dim == "sector":
            return self.sector(str(code))
        if dim in ("region", "province", "city"):
            return self.region(str(code))
        return str(code)  # size tiers are named by their bounds (1000亿元以上 …)

    def measure(self, code: str) -> str:
        """The measure's name (本年累计, 同口径增长 …)."""
        return text(f"web.measure_{code}", self.lang)

    def dimension(self, code: str) -> str:
        """The dimension's name (地区, 省份 …)."""
        return text(f"web.dim_{code}", self.lang)

    def period(self, period: str) -> str:
        """``2024年1–6月`` / ``Jan–Jun 2024`` for a monthly (year-to-date) period, ``2024年`` for a year."""
        if len(period) == 4:
            return text("web.period_year", self.lang, year=period)
        return text("web.period_month", self.lang, year=period[:4], month=int(period[5:7]))
