"""Schemas of published figures: aggregate tables, releases, plan status and the national series."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ....analyse.plans import TargetStatus
from ....analyse.projection import Projection
from ....catalog.series import Observation
from ....domain import Message
from ....process.publish import PublishedRelease
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
    """Projection to the target year with 80 % and 95 % prediction intervals."""


@mirrors(TargetStatus, exclude=("extra", "latest_release"))
class TargetStatusPublic(BaseModel):
    """One target evaluated: attainment, realised and required growth, status and why (``reason``: in the
    caller's language)."""

    status: Literal["achieved", "on_track", "at_risk", "off_track", "not_achieved", "not_measurable"]
    projection: ProjectionPublic | None
    reason: str
    reason_zh: str
    reason_en: str


class SeriesIndicatorPublic(BaseModel):
    """An indicator of the published national series and the years it covers."""

    indicator: str
    unit: str
    years: int
    first: int
    last: int


@mirrors(Observation, exclude=("indicator",))
class ObservationPublic(BaseModel):
    """A published figure with its source; ``used`` says whether it is the value in force (duplicates)."""


class SeriesPublic(BaseModel):
    """Every published figure of one indicator, by year."""

    indicator: str
    observations: list[ObservationPublic]
