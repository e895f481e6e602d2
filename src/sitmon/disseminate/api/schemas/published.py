"""Schemas of published figures: aggregate tables, releases, plan status and the national series."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .common import Dimension, Indicator, Measure, Period, Timestamp, Unit

Flag = Literal["threshold", "dominance", "secondary"]


class AggregateQuery(BaseModel):
    """A published table: ``measure`` of ``indicator`` for ``period``, broken down by the ``by`` dimensions
    (repeat the parameter: ``by=region&by=sector``), in ``unit`` (default: the form's)."""

    model_config = ConfigDict(extra="forbid")
    indicator: Indicator
    period: Period
    by: list[Dimension] = Field(default_factory=list, max_length=3)
    measure: Measure = Measure.level  # type: ignore[attr-defined]
    unit: Unit | None = None
    release: int | None = Field(default=None, ge=1, le=100000, description="release of this period (default latest)")

    @field_validator("by", mode="before")
    @classmethod
    def _one_dimension_per_parameter(cls, v: object) -> object:
        # `by=region,sector` is what a CLI user types first: say how the API wants it instead of "not an enum"
        if isinstance(v, list) and any(isinstance(x, str) and "," in x for x in v):
            raise ValueError("每个 by 参数一个维度：by=region&by=sector / one dimension per `by`: "
                             "repeat the parameter, by=region&by=sector")
        return v


class AggregateRowPublic(BaseModel):
    """One cell: its dimension codes (only those asked for), the value (None when suppressed) and the
    suppression flag (None for a published cell)."""

    region: str | None = None
    province: str | None = None
    city: str | None = None
    sector: str | None = None
    size_tier: str | None = None
    value: float | None
    flag: Flag | None = None


class DefinitionPublic(BaseModel):
    """What the measure is, in both languages."""

    zh: str
    en: str


class AggregatePublic(BaseModel):
    """A table. ``protected``: disclosure control was applied (public tables); ``confidential``: unsuppressed
    figures for the caller's scope, not for publication."""

    indicator: str
    measure: str
    period: str
    by: list[str]
    unit: str
    definition: DefinitionPublic
    releases: dict[str, int]
    synthetic: bool
    protected: bool
    confidential: bool
    rows: list[AggregateRowPublic]


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
    """Projection to the target year made at ``origin`` (the last published year used) with 80 % and 95 %
    prediction intervals calibrated on ``errors`` earlier forecast errors (None when too few exist)."""

    year: int
    value: float
    lo80: float | None
    hi80: float | None
    lo95: float | None
    hi95: float | None
    model: str
    origin: int
    horizon: int
    errors: int
    bias: float
    spread: float | None
    params: dict[str, float]


class OutlookPublic(BaseModel):
    """The call on a level target from its projection: P(outcome ≥ target) (0–1), the call, and how often such
    a call held in the backtest (``hits`` of ``cases`` forecasts ``horizon`` years ahead; ``kind`` says what
    was counted)."""

    target_level: float
    probability: float | None
    call: Literal["on_track", "at_risk", "off_track"]
    horizon: int
    kind: str
    hits: int
    cases: int


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
    vintage: Literal["latest", "first"] = "latest"
    latest_citation: str | None = None
    latest_citation_zh: str | None = None
    latest_citation_en: str | None = None
    outlook: OutlookPublic | None = None


class SeriesIndicatorPublic(BaseModel):
    """An indicator of the published national series and the years it covers."""

    indicator: str
    unit: str
    years: int
    first: int
    last: int


class PublicationPublic(BaseModel):
    """The ministry's publication of one year's figures (official_citations.csv)."""

    year: int
    title: str
    publisher: str
    published: str
    confidence: Literal["high", "medium", "low"]
    note: str


class CitationPublic(BaseModel):
    """Where a figure comes from: the ministry's publication first (None when none is known or the value is
    not the ministry's), for a revised figure what the revision was and where it was first published, and
    where it was read (a reprint)."""

    official: PublicationPublic | None
    revision: DefinitionPublic | None
    first_published_in: PublicationPublic | None
    read_in: str
    quote: str
    reprint_only: bool
    source_is_official: bool


class ObservationPublic(BaseModel):
    """A published figure with its citation: ``used`` says whether it is the value in force in the vintage
    asked for, ``kind`` first / revised for a figure published twice; ``citation_text`` renders the citation
    (official source first) in the caller's language. ``source`` is where it was read (kept for clients)."""

    year: int
    value: float
    unit: str
    source: str
    quote: str
    used: bool
    kind: Literal["first", "revised"] | None
    why_zh: str
    why_en: str
    yoy_published: float | None
    yoy_from_levels: float | None
    citation: CitationPublic
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


class BacktestRowPublic(BaseModel):
    """One forecast of the rolling-origin backtest (values in the series' unit); ``rw_*`` the random walk."""

    origin: int
    horizon: int
    target_year: int
    projection: float
    lo80: float | None
    hi80: float | None
    lo95: float | None
    hi95: float | None
    outcome: float | None
    rw_projection: float
    rw_lo80: float | None
    rw_hi80: float | None
    rw_lo95: float | None
    rw_hi95: float | None


class BacktestSummaryPublic(BaseModel):
    """Accuracy of one method (``sitmon`` or ``random_walk``) over all horizons (``all``) or one."""

    method: Literal["sitmon", "random_walk"]
    horizon: str
    cases: int
    mape_pct: float | None
    calibrated: int
    covered80: int
    covered95: int
    coverage80_pct: float | None
    coverage95_pct: float | None


class BacktestPublic(BaseModel):
    """The rolling-origin backtest of one indicator in one vintage, with its summary."""

    indicator: str
    vintage: Literal["latest", "first"]
    unit: str
    model: str
    pool: list[str]
    rows: list[BacktestRowPublic]
    summary: list[BacktestSummaryPublic]
