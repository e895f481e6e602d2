"""The figures of one bulletin (运行情况通报), assembled from the one published-table function with disclosure
control applied (``public=True``): every figure here is one people may read, or a withheld cell that carries its
reason code and no number.

Amounts are in the unit bulletins show (亿元, 亿美元, 万人), growth and shares in percent. Published growth is
comparable-basis growth (同口径: the enterprises that reported in both periods), as the ministry publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...catalog import load_catalog
from ...catalog.citations import Citation, cite
from ...catalog.series import load_series
from ...config import Settings
from ...domain import Message, Period
from ...store.warehouse import ReleaseFiles
from ..layout import display_unit
from ..materialised import Materialised
from ..tables import QueryError, published_table

HEADLINE = "revenue_total"
#: the rows of the main-indicators table (软件和信息技术服务业主要指标), in the bulletin's order
MAIN_INDICATORS = (
    "revenue_total",
    "revenue_software_products",
    "revenue_industrial_software",
    "revenue_it_services",
    "revenue_cloud_services",
    "revenue_bigdata_services",
    "revenue_info_security",
    "revenue_embedded",
    "profit_total",
    "exports_usd",
    "employees",
)
GROWTH = "yoy_comparable"


@dataclass(frozen=True)
class Figure:
    """One published figure: ``value`` (None when withheld or not defined) and ``flag``, the reason code of a
    cell withheld by disclosure control (threshold, dominance, secondary) or None."""

    value: float | None = None
    flag: str | None = None

    @property
    def shown(self) -> bool:
        """Whether there is a number people may read."""
        return self.value is not None


NONE = Figure()


@dataclass(frozen=True)
class IndicatorFigures:
    """An indicator nationally: ``level`` (year to date, display unit), ``growth`` (comparable YoY %), ``growth_levels``
    (YoY on the published levels %), ``previous_growth`` (comparable YoY % of the comparison period: 1—(N−1)月, or
    last year for January and annual bulletins) and ``share`` (% of the headline revenue, for its parts)."""

    indicator: str
    unit: str
    level: Figure
    growth: Figure
    growth_levels: Figure
    previous_growth: Figure
    share: Figure = NONE
    share_last_year: Figure = NONE


@dataclass(frozen=True)
class AreaFigures:
    """The headline revenue of one area (macro region, province, city): level (亿元), comparable growth (%) and share
    of the national total (%)."""

    code: str
    level: Figure
    growth: Figure
    share: Figure


@dataclass(frozen=True)
class Revision:
    """A national level revised between the previous release of the period and this one (display unit)."""

    indicator: str
    unit: str
    before: float
    after: float


@dataclass
class BulletinData:
    """Everything a bulletin of ``period`` says, from release ``release`` of it."""

    period: Period
    release: int
    comparison: Period | None
    synthetic: bool
    indicators: dict[str, IndicatorFigures]
    regions: list[AreaFigures]
    provinces: list[AreaFigures]
    cities: list[AreaFigures]
    trend: list[tuple[str, Figure]]
    trend_last_year: list[tuple[str, Figure]]
    response: dict[str, Any] = field(default_factory=dict)
    revisions: list[Revision] = field(default_factory=list)
    previous_release: int | None = None
    revised_cells: int = 0
    """Published cells of the breakdowns (regions, provinces, sectors) revised since the previous release."""
    context: list[tuple[int, float, str, Citation]] = field(default_factory=list)

    @property
    def withheld(self) -> int:
        """How many figures of the bulletin disclosure control withholds."""
        figs = [f for i in self.indicators.values() for f in (i.level, i.growth)]
        figs += [
            f for a in (*self.regions, *self.provinces, *self.cities) for f in (a.level, a.growth, a.share)
        ]
        return sum(1 for f in figs if f.flag)


def _figure(row: dict[str, Any] | None) -> Figure:
    return NONE if row is None else Figure(row["value"], row.get("flag"))


class _Reader:
    """Published tables of one bulletin: every call goes to :func:`published_table` with ``public=True``."""

    def __init__(self, settings: Settings, period: Period, release: int | None) -> None:
        self.settings, self.period, self.release = settings, period, release
        self._seen: dict[tuple, dict[tuple, dict[str, dict[str, Any]]]] = {}

    def table(
        self, indicator: str, by: list[str], period: Period | str, measures: list[str], pinned: bool = False
    ) -> dict[tuple, dict[str, dict[str, Any]]]:
        """key → measure → row; an empty mapping when the table cannot be answered (a growth without the
        year before, a period not published)."""
        key = (indicator, tuple(by), str(period), tuple(measures), pinned and str(period) == str(self.period))
        if (
            key in self._seen
        ):  # a figure read twice (the trend's last month is the bulletin's own) is read once
            return self._seen[key]
        unit = display_unit(indicator)
        out: dict[tuple, dict[str, dict[str, Any]]] = {}
        try:
            res = published_table(
                self.settings,
                indicator,
                by,
                str(period),
                measures,
                public=True,
                unit=unit,
                release=self.release if key[-1] else None,
            )
        except QueryError:
            res = None
        for r in res.rows if res is not None else []:
            out.setdefault(tuple(r[d] for d in by), {})[r["measure"]] = r
        self._seen[key] = out
        return out

    def national(self, indicator: str, period: Period | str, measure: str, pinned: bool = False) -> Figure:
        """One national figure."""
        return _figure(self.table(indicator, [], period, [measure], pinned).get((), {}).get(measure))


def comparison_period(period: Period) -> Period | None:
    """The period whose growth this one's is compared with: 1—(N−1)月 of the same year; for January and for a
    year, the year before (its December, or the annual release)."""
    if period.month is None:
        return Period(period.year - 1)
    return period.previous_in_year or Period(period.year - 1)


def public_release(settings: Settings, period: Period, release: int | None = None) -> ReleaseFiles:
    """The release of ``period`` public outputs read: the latest, or ``release`` when it is the latest; QueryError
    when the period is not published, there is no such release, or it has been superseded (the public reads the
    latest release only: a later release may suppress what an earlier one shows)."""
    mat = Materialised(settings)
    latest = mat.release(period.form, str(period))
    if latest is None:
        raise QueryError(Message("query.not_published", period=str(period)))
    if release is None or release == latest.number:
        return latest
    if mat.release(period.form, str(period), release) is None:
        raise QueryError(
            Message(
                "query.no_such_release",
                release=release,
                form=Message(f"terms.form.{period.form}"),
                period=str(period),
            )
        )
    raise QueryError(
        Message("disclosure.superseded", period=str(period), release=release, latest=latest.number)
    )


def bulletin_data(settings: Settings, period: str, release: int | None = None) -> BulletinData:
    """The figures of the bulletin of ``period`` (``YYYY-MM`` or ``YYYY``) from release ``release`` (default: the
    latest); QueryError when the period has not been published or the release is not the latest."""
    p = Period.parse(period)
    files = public_release(settings, p, release)
    rd = _Reader(settings, p, files.number)
    comparison = comparison_period(p)
    last_year = p.same_period_last_year
    indicators: dict[str, IndicatorFigures] = {}
    head_now = head_last = None
    cat = load_catalog()
    for code in MAIN_INDICATORS:
        if code not in cat.forms[p.form].indicators:
            continue
        now = rd.table(code, [], p, ["level", GROWTH, "yoy"], pinned=True).get((), {}) or rd.table(
            code, [], p, ["level"], pinned=True
        ).get((), {})
        compared = comparison is not None and not cat.indicators[code].parent  # sub-items are not compared
        prev = _previous_growth(rd, code, comparison) if compared and comparison else NONE
        level = _figure(now.get("level"))
        if code == HEADLINE:
            head_now, head_last = level, rd.national(code, last_year, "level")
        indicators[code] = IndicatorFigures(
            code,
            display_unit(code) or cat.indicators[code].unit,
            level,
            _figure(now.get(GROWTH)),
            _figure(now.get("yoy")),
            prev,
        )
    for code, fig in list(indicators.items()):
        ind = cat.indicators[code]
        if ind.sector or ind.parent:
            last = rd.national(code, last_year, "level")
            indicators[code] = IndicatorFigures(
                **{
                    **fig.__dict__,
                    "share": _share(fig.level, head_now),
                    "share_last_year": _share(last, head_last),
                }
            )
    regions = _areas(rd, "region", p)
    regions.sort(key=lambda a: list(cat.macro_regions).index(a.code) if a.code in cat.macro_regions else 99)
    provinces = _areas(rd, "province", p)
    cities = [a for a in _areas(rd, "city", p) if a.code in cat.cities and cat.cities[a.code].sub_provincial]
    trend, trend_last = _trend(rd, p)
    revisions, previous_release, revised_cells = _revisions(rd, p, files.number)
    return BulletinData(
        period=p,
        release=files.number,
        comparison=comparison,
        synthetic=bool(files.manifest.get("synthetic")),
        indicators=indicators,
        regions=regions,
        provinces=provinces,
        cities=cities,
        trend=trend,
        trend_last_year=trend_last,
        response={
            k: files.manifest.get(k) for k in ("expected", "respondents", "imputed", "response_rate_pct")
        },
        revisions=revisions,
        previous_release=previous_release,
        revised_cells=revised_cells,
        context=_context(p),
    )


def _previous_growth(rd: _Reader, code: str, comparison: Period) -> Figure:
    """The comparable growth of the comparison period (for a year before January: its December, else the annual
    release), from its latest release."""
    if comparison.month is None and rd.period.month is not None:
        fig = rd.national(code, Period(comparison.year, 12), GROWTH)
        return fig if fig.shown or fig.flag else rd.national(code, comparison, GROWTH)
    return rd.national(code, comparison, GROWTH)


def _share(part: Figure, whole: Figure | None) -> Figure:
    """part / whole × 100 from two published figures (withheld when either is)."""
    if whole is None or not part.shown or not whole.shown or not whole.value:
        return Figure(None, part.flag or (whole.flag if whole else None))
    return Figure(part.value / whole.value * 100)  # type: ignore[operator]


def _areas(rd: _Reader, dim: str, p: Period) -> list[AreaFigures]:
    rows = rd.table(HEADLINE, [dim], p, ["level", "share"], pinned=True)
    growth = rd.table(HEADLINE, [dim], p, [GROWTH], pinned=True)
    out = []
    for key, ms in rows.items():
        if key[0] is None:
            continue
        out.append(
            AreaFigures(
                str(key[0]),
                _figure(ms.get("level")),
                _figure(growth.get(key, {}).get(GROWTH)),
                _figure(ms.get("share")),
            )
        )
    return sorted(out, key=lambda a: a.code)


def _trend(rd: _Reader, p: Period) -> tuple[list[tuple[str, Figure]], list[tuple[str, Figure]]]:
    """Comparable revenue growth month by month, January to this month, this year and last year."""
    if p.month is None:
        return [], []
    out = []
    for year in (p.year, p.year - 1):
        months = [Period(year, m) for m in range(1, p.month + 1)]
        if rd.national(HEADLINE, months[0], GROWTH) == NONE:  # no year before this one: no growth at all
            out.append([(str(m), NONE) for m in months])
            continue
        own = _figure(
            rd.table(HEADLINE, [], p, ["level", GROWTH, "yoy"], pinned=True).get((), {}).get(GROWTH)
        )
        out.append([(str(m), own if m == p else rd.national(HEADLINE, m, GROWTH)) for m in months])
    return out[0], out[1]


def _revisions(rd: _Reader, p: Period, number: int) -> tuple[list[Revision], int | None, int]:
    """The national levels revised since the previous release of the period (display unit), that release's number
    and how many other published cells were revised: from the revision notice recorded with the release
    (:func:`sitmon.disseminate.revisions.revision_notice`, published cells only), else by comparing the two
    releases' national levels through the published tables."""
    if number <= 1:
        return [], None, 0
    from ...domain.units import conversion_factor
    from ..revisions import revision_notice

    cat = load_catalog()
    notice = revision_notice(rd.settings, p.form, str(p), number)
    if notice is not None and notice.previous is not None:
        out, others = [], 0
        for c in notice.cells:
            if c.status != "revised" or c.old is None or c.new is None:
                continue
            if c.table != "national" or c.indicator not in MAIN_INDICATORS:
                others += 1
                continue
            ind = cat.indicators[c.indicator]
            shown = display_unit(c.indicator) or ind.unit
            f = conversion_factor(cat.units[ind.unit], cat.units[shown])
            if round(c.old * f, 1) != round(c.new * f, 1):
                out.append(Revision(c.indicator, shown, c.old * f, c.new * f))
        out.sort(key=lambda r: MAIN_INDICATORS.index(r.indicator))
        return out, notice.previous, others
    before = _Reader(rd.settings, p, number - 1)
    out = []
    for code in MAIN_INDICATORS:
        old, new = before.national(code, p, "level", pinned=True), rd.national(code, p, "level", pinned=True)
        if old.shown and new.shown and round(old.value, 1) != round(new.value, 1):  # type: ignore[arg-type]
            out.append(Revision(code, display_unit(code) or "", old.value, new.value))  # type: ignore[arg-type]
    return out, number - 1, 0


def _context(p: Period) -> list[tuple[int, float, str, Citation]]:
    """The official national software business revenue of the last three years before the period's year (real
    figures, with their citation): (year, value, unit, citation)."""
    obs = load_series().of(HEADLINE, as_of=p.year - 1)
    return [(y, o.value, o.unit, cite(o)) for y, o in sorted(obs.items())[-3:]]
