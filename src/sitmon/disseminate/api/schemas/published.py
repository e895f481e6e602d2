"""Schemas of published figures: aggregate tables, releases, plan status and the national series."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ....analyse.measures import DIMENSIONS, MEASURES
from .common import Indicator, Timestamp, Unit

Flag = Literal["threshold", "dominance", "secondary"]


_PERIOD = r"\d{4}(-(0[1-9]|1[0-2]))?"
_PERIODS = rf"^{_PERIOD}(:{_PERIOD})?(,{_PERIOD}(:{_PERIOD})?)*$"
_DIMENSION = "(" + "|".join(DIMENSIONS) + ")"
_MEASURE = "(" + "|".join(MEASURES) + ")"
PeriodsParam = Annotated[str, StringConstraints(pattern=_PERIODS, max_length=400)]
DimensionsParam = Annotated[str, StringConstraints(pattern=rf"^{_DIMENSION}(,{_DIMENSION})*$", max_length=200)]
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
    period: list[PeriodsParam] = Field(min_length=1, max_length=24, description=(
        "统计期 YYYY-MM / YYYY；可重复，可用逗号列表或范围 2024-01:2024-12 — periods: repeat, comma lists, ranges"),
        examples=[["2024-06"], ["2024-01:2024-12"]])
    by: list[DimensionsParam] = Field(default_factory=list, max_length=3, description=(
        "分组维度，可重复或逗号列表 — dimensions, repeated or comma-separated: "
        + ", ".join(DIMENSIONS)))
    measure: list[MeasuresParam] = Field(default_factory=lambda: ["level"], max_length=7, description=(
        "度量，可重复或逗号列表 — measures, repeated or comma-separated: " + ", ".join(MEASURES)))
    unit: Unit | None = None
    release: int | None = Field(default=None, ge=1, le=100000,
                                description="release of the period (one period only; default latest)")
    layout: Layout = Field(default="long", description="long: one row per cell (machines); wide: one row per "
                           "dimension value, one column per period and measure, names, total row, notes (people)")
    format: FileFormat = Field(default="json", description="json (default), or a file: csv, xlsx, parquet")
    lang: Literal["zh", "en"] | None = Field(default=None, description="language of headers and notes "
                                             "(default: Accept-Language)")
    encoding: Literal["utf-8", "gbk"] | None = Field(default=None, description="CSV only: utf-8 (with BOM, default) "
                                                     "or gbk for old Excel installations")


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


class ReleasePublic(BaseModel):
    """A published release (数据版本)."""

    form: str
    period: str
    number: int
    created_at: Timestamp
    respondents: int
    imputed: int
    expected: int
    response_rate_pct: float
    synthetic: bool
    checksum: str


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


class ProjectionPublic(BaseModel):
    """Projection to the target year with 80 % and 95 % prediction intervals."""

    year: int
    value: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float
    model: str


class TargetStatusPublic(BaseModel):
    """One target evaluated: attainment, realised and required growth, status and why."""

    plan: str
    target_id: str
    indicator: str
    kind: str
    target_value: float
    unit: str
    base_year: int
    target_year: int
    base_value: float | None
    latest_year: int | None
    latest_value: float | None
    attainment_pct: float | None
    required_cagr_pct: float | None
    realised_cagr_pct: float | None
    progress_ratio: float | None
    status: Literal["achieved", "on_track", "at_risk", "off_track", "not_achieved", "not_measurable"]
    reason: str
    reason_zh: str
    reason_en: str
    source: str
    latest_source: str | None
    wording_zh: str
    wording_en: str
    basis: str
    projection: ProjectionPublic | None


class SeriesIndicatorPublic(BaseModel):
    """An indicator of the published national series and the years it covers."""

    indicator: str
    unit: str
    years: int
    first: int
    last: int


class ObservationPublic(BaseModel):
    """A published figure with its source; ``used`` says whether it is the value in force (duplicates)."""

    year: int
    value: float
    unit: str
    source: str
    quote: str
    used: bool
    why_zh: str
    why_en: str


class SeriesPublic(BaseModel):
    """Every published figure of one indicator, by year."""

    indicator: str
    observations: list[ObservationPublic]
