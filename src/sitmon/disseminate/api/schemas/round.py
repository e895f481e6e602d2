"""Schemas of the monthly round's publishing: the guarded publish, its preview, the release calendar and the
revision notice."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ....process.publish_guard import CellChange, ProvinceLine
from ....process.release_calendar import CalendarEntry
from ....process.revision_notice import NoticeCell
from .common import mirrors
from .published import ReleasePublic


class GuardedPublishCreate(BaseModel):
    """Which form to publish (default: by the period's shape); ``dry_run`` previews only; ``force`` publishes past
    the guard's refusal and needs a ``reason`` (audited)."""

    model_config = ConfigDict(extra="forbid")
    form: Literal["monthly", "annual"] | None = None
    dry_run: bool = False
    force: bool = False
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)] | None = (
        None
    )


@mirrors(ProvinceLine)
class ProvinceLinePublic(BaseModel):
    """One province of the release: response rate (%) and whether it is below the minimum."""


@mirrors(CellChange)
class CellChangePublic(BaseModel):
    """A cell of a linked table whose level changed (form's unit; internal)."""


class ProblemPublic(BaseModel):
    """Why the guard refuses: a stable code and the sentence in both languages."""

    code: str
    zh: str
    en: str


class PreviewPublic(BaseModel):
    """What a release is about to publish (internal: unsuppressed figures) and why it would be refused."""

    form: str
    period: str
    number: int
    previous: int | None
    expected: int
    respondents: int
    imputed: int
    response_rate_pct: float
    minimum_pct: float
    imputed_share_pct: float
    imputed_revenue_share_pct: float
    provinces: list[ProvinceLinePublic]
    unexplained: int
    largest_revisions: list[CellChangePublic]
    newly_suppressed: list[CellChangePublic] | None
    planned: date | None
    calendar_status: str
    days_late: int | None
    problems: list[ProblemPublic]
    forced: bool
    reason: str | None


class GuardedReleasePublic(ReleasePublic):
    """A release published through the guard, with the preview it passed (or was forced past)."""

    preview: PreviewPublic


@mirrors(CalendarEntry)
class CalendarEntryPublic(BaseModel):
    """One period of the release calendar: ``status`` on_time | late | due | overdue (``days_late``)."""

    status: Literal["on_time", "late", "due", "overdue"]


@mirrors(NoticeCell)
class NoticeCellPublic(BaseModel):
    """A published cell that changed: ``revised`` (old, new), ``newly_suppressed`` (no value), ``newly_published``
    (new value only)."""

    status: Literal["revised", "newly_suppressed", "newly_published"]


class RevisionNoticePublic(BaseModel):
    """What changed in a release since the previous release of its period: published cells only. ``complete`` is
    false when an indicator's patterns were not stored (its cells are then not listed)."""

    form: str
    period: str
    number: int
    previous: int | None
    complete: bool
    missing_patterns: list[str]
    cells: list[NoticeCellPublic] = Field(default_factory=list)
