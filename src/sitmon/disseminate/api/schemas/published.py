"""Schemas of published figures: aggregate tables, releases, plan status and the national series."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ....analyse.backtest import BacktestRow, Summary
from ....analyse.measures import DIMENSIONS, MEASURES
from ....analyse.outlook import Outlook
from ....analyse.plans import TargetStatus
from ....analyse.projection import Projection
from ....catalog.citations import Citation, OfficialPublication
from ....domain import parse_periods
from ....process.publish import PublishedRelease
from ...projections import BacktestResult
from ...series import SeriesRow
from .common import Indicator, Unit, mirrors

Flag = Literal["threshold", "dominance", "zero", "secondary"]


_PERIOD = r"\d{4}(-(0[1-9]|1[0-2]))?"
_PERIODS = rf"^{_PERIOD}(:{_PERIOD})?(,{_PERIOD}(:{_PERIOD})?)*$"
_DIMENSION = "(" + "|".join(DIMENSIONS) + ")"
_MEASURE = "(" + "|".join(MEASURES) + ")"


def _periods(value: str) -> str:
    """``value`` checked as periods (each within the years sitmon knows, ranges the right way round)."""
    parse_periods(
        value
    )  # a PeriodError is a ValueError: the API says its keyed message in the caller's language
    return value


PeriodsParam = Annotated[str, StringConstraints(pattern=_PERIODS, max_length=400), AfterValidator(_periods)]
DimensionsParam = Annotated[
    str, StringConstraints(pattern=rf"^{_DIMENSION}(,{_DIMENSION})*$", max_length=200)
]
MeasuresParam = Annotated[str, StringConstraints(pattern=rf"^{_MEASURE}(,{_MEASURE})*$", max_length=200)]
Layout = Literal["long", "wide"]
FileFormat = Literal["json", "csv", "xlsx", "parquet"]


class AggregateQuery(BaseModel):
    """A published table: the ``measure`` of ``indicator`` for each ``period``, broken down by the ``by``
    dimensions, in ``unit`` (default: the form's; with ``layout=wide`` the unit bulletins use, 亿元).

    Repeat a parameter or give a comma list — ``by=region&by=sector`` is ``by=region,sector`` — and name periods
    one by one, in comma lists or as ranges (``period=2024-01:2024-12``). ``format`` chooses the body: JSON (the
    default; the long layout as :class:`AggregatePublic`, the wide one as :class:`TableDocumentPublic`) or a file
    — ``csv`` (UTF-8 with a byte-order mark, or ``encoding=gbk``), ``xlsx``, ``parquet`` — with a file name in
    ``Content-Disposition``. ``lang`` sets the language of the headers and notes (default: ``Accept-Language``)."""

    model_config = ConfigDict(extra="forbid")
    indicator: Indicator
    period: list[PeriodsParam] = Field(
        min_length=1,
        max_length=24,
        description=(
            "统计期 YYYY-MM / YYYY；可重复，可用逗号列表或范围 2024-01:2024-12 — periods: repeat, comma lists, ranges"
        ),
        examples=[["2024-06"], ["2024-01:2024-12"]],
    )
    by: list[DimensionsParam] = Field(
        default_factory=list,
        max_length=3,
        description=(
            "分组维度，可重复或逗号列表 — dimensions, repeated or comma-separated: " + ", ".join(DIMENSIONS)
        ),
    )
    measure: list[MeasuresParam] = Field(
        default_factory=lambda: ["level"],
        max_length=7,
        description=(
            "度量，可重复或逗号列表 — measures, repeated or comma-separated: " + ", ".join(MEASURES)
        ),
    )
    unit: Unit | None = None
    release: int | None = Field(
        default=None, ge=1, le=100000, description="release of the period (one period only; default latest)"
    )
    layout: Layout = Field(
        default="long",
        description="long: one row per cell (machines); wide: one row per "
        "dimension value, one column per period and measure, names, total row, notes (people)",
    )
    format: FileFormat = Field(default="json", description="json (default), or a file: csv, xlsx, parquet")
    lang: Literal["zh", "en"] | None = Field(
        default=None, description="language of headers and notes (default: Accept-Language)"
    )
    encoding: Literal["utf-8", "gbk"] | None = Field(
        default=None, description="CSV only: utf-8 (with BOM, default) or gbk for old Excel installations"
    )


class AggregateRowPublic(BaseModel):
    """One cell: its dimension codes (only those asked for), its period and measure, the value (None when
    suppressed) and the suppression flag (None for a published cell)."""

    region: str | None = None
    province: str | None = None
    city: str | None = None
    sector: str | None = None
    size_tier: str | None = None
    period: str | None = None
    measure: str | None = None
    value: float | None
    flag: Flag | None = None


class DefinitionPublic(BaseModel):
    """What the measure is, in both languages."""

    zh: str
    en: str


class AggregatePublic(BaseModel):
    """A table in the long layout. ``periods``, ``measures`` and ``units`` (per measure) say what it holds;
    ``period``, ``measure``, ``unit`` and ``definition`` are those of the first period and measure (the only ones
    of a single table). ``protected``: disclosure control was applied (public tables); ``confidential``:
    unsuppressed figures for the caller's scope, not for publication."""

    indicator: str
    measure: str
    period: str
    by: list[str]
    unit: str
    definition: DefinitionPublic
    periods: list[str]
    measures: list[str]
    units: dict[str, str]
    definitions: dict[str, DefinitionPublic]
    releases: dict[str, int]
    synthetic: bool
    protected: bool
    confidential: bool
    rows: list[AggregateRowPublic]


class TextPublic(BaseModel):
    """A text in Chinese and English."""

    zh: str
    en: str


class ColumnPublic(BaseModel):
    """A column of a table for people: its key in ``rows``, header, the period it falls under, kind, unit and
    the decimals people see."""

    key: str
    label: TextPublic
    group: TextPublic | None
    kind: Literal["code", "label", "number"]
    unit: str | None
    decimals: int | None


class TableDocumentPublic(BaseModel):
    """A table in the wide layout (``format=json&layout=wide``): rows keyed by the columns' keys (a suppressed
    cell is null, its reason code in the row's ``flags``), the total row first, the notes under the table."""

    title: TextPublic
    lang: Literal["zh", "en"]
    columns: list[ColumnPublic]
    rows: list[dict[str, Any]]
    total_rows: int
    notes: list[TextPublic]
    meta: dict[str, Any]


@mirrors(PublishedRelease, exclude=("path",))
class ReleasePublic(BaseModel):
    """A published release (数据版本)."""


class PublishCreate(BaseModel):
    """Which form to publish (default: by the period's shape)."""

    form: Literal["monthly", "annual"] | None = None


class PlanPublic(BaseModel):
    """A five-year plan."""

    code: str
    name_zh: str
    name_en: str
    base_year: int
    target_year: int
    targets: int
    context_only: bool


@mirrors(Projection)
class ProjectionPublic(BaseModel):
    """Projection to the target year made at ``origin`` (the last published year used) with 80 % and 95 %
    prediction intervals calibrated on ``errors`` earlier forecast errors (None when too few exist)."""


@mirrors(Outlook)
class OutlookPublic(BaseModel):
    """The call on a level target from its projection: P(outcome ≥ target) (0–1), the call, and how often such
    a call held in the backtest (``hits`` of ``cases`` forecasts ``horizon`` years ahead; ``kind`` says what
    was counted)."""

    call: Literal["on_track", "at_risk", "off_track"]


@mirrors(TargetStatus, exclude=("extra", "latest_release"))
class TargetStatusPublic(BaseModel):
    """One target evaluated: attainment, realised and required growth, status and why (``reason``: in the
    caller's language), on the ``vintage`` of the series, with the official citation of the latest figure
    (``latest_citation``: in the caller's language)."""

    status: Literal["achieved", "on_track", "at_risk", "off_track", "not_achieved", "not_measurable"]
    projection: ProjectionPublic | None
    vintage: Literal["latest", "first"]
    outlook: OutlookPublic | None
    reason: str
    reason_zh: str
    reason_en: str
    latest_citation: str | None = None


class SeriesIndicatorPublic(BaseModel):
    """An indicator of the published national series and the years it covers."""

    indicator: str
    unit: str
    years: int
    first: int
    last: int


@mirrors(OfficialPublication)
class PublicationPublic(BaseModel):
    """The ministry's publication of one year's figures (official_citations.csv)."""

    confidence: Literal["high", "medium", "low"]


@mirrors(Citation)
class CitationPublic(BaseModel):
    """Where a figure comes from: the ministry's publication first (None when none is known or the value is
    not the ministry's), for a revised figure what the revision was and where it was first published, and
    where it was read (a reprint)."""

    official: PublicationPublic | None
    revision: DefinitionPublic | None
    first_published_in: PublicationPublic | None


@mirrors(SeriesRow, exclude=("in_force",))
class ObservationPublic(BaseModel):
    """A published figure of a series row with its citation: ``used`` says whether it is the value in force in
    the vintage asked for (the row's ``in_force``), ``kind`` first / revised for a figure published twice;
    ``citation_text`` renders the citation (official source first) in the caller's language. ``source`` and
    ``quote`` are where it was read and its wording (kept for clients). Gaps are not listed."""

    value: float
    kind: Literal["first", "revised"] | None
    citation: CitationPublic
    source: str
    quote: str
    used: bool
    citation_text: str


class SeriesPublic(BaseModel):
    """Every published figure of one indicator, by year, in one vintage; published figures are public."""

    indicator: str
    vintage: Literal["latest", "first"]
    revised_years: list[int]
    public: Literal[True] = True
    label: str
    vintage_note: str
    observations: list[ObservationPublic]


@mirrors(BacktestRow)
class BacktestRowPublic(BaseModel):
    """One forecast of the rolling-origin backtest (values in the series' unit); ``rw_*`` the random walk."""


@mirrors(Summary)
class BacktestSummaryPublic(BaseModel):
    """Accuracy of one method (``sitmon`` or ``random_walk``) over all horizons (``all``) or one."""

    method: Literal["sitmon", "random_walk"]


@mirrors(BacktestResult)
class BacktestPublic(BaseModel):
    """The rolling-origin backtest of one indicator in one vintage, with its summary."""

    rows: list[BacktestRowPublic]
    summary: list[BacktestSummaryPublic]
    pool: list[str]
