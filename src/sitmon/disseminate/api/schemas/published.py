"""Schemas of published figures: aggregate tables, releases, plan status and the national series."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ....analyse.backtest import BacktestRow, Summary
from ....analyse.outlook import Outlook
from ....analyse.plans import TargetStatus
from ....analyse.projection import Projection
from ....catalog.citations import Citation, OfficialPublication
from ....domain import Message
from ....process.publish import PublishedRelease
from ...projections import BacktestResult
from ...series import SeriesRow
from ...tables import QueryError
from .common import Dimension, Indicator, Measure, Period, Unit, mirrors

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
            raise QueryError(Message("query.one_dimension_per_by"))
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
