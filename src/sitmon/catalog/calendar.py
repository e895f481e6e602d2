"""The release calendar (发布日程, data in ``data/release_calendar.yaml``): the planned date of the first release
of every period — by a rule per form (so many months after the period, on a day of the month) or by an explicit
date for one period."""

from __future__ import annotations

import calendar
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..domain import Period, PeriodError
from .loader import CatalogError, read_yaml


class Rule(BaseModel):
    """Planned on ``day`` (the month's last day when it is shorter) of the month ``months_after`` the period's
    last month."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    months_after: int = Field(ge=0, le=24)
    day: int = Field(ge=1, le=31)


class ReleaseCalendar(BaseModel):
    """Rules per form and explicit dates per period."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    rules: dict[str, Rule]
    planned: dict[str, date] = Field(default_factory=dict)

    @field_validator("planned", mode="before")
    @classmethod
    def _periods(cls, v: object) -> object:
        if isinstance(v, dict):
            for key in v:
                try:
                    Period.parse(str(key))
                except PeriodError as exc:
                    raise ValueError(exc.message.render("en")) from exc
        return v

    def planned_date(self, period: str) -> date | None:
        """The planned date of the first release of ``period`` (None when its form has no rule)."""
        p = Period.parse(period)
        if str(p) in self.planned:
            return self.planned[str(p)]
        rule = self.rules.get(p.form)
        if rule is None:
            return None
        _, last = p.bounds
        months = last.year * 12 + (last.month - 1) + rule.months_after
        year, month = divmod(months, 12)
        month += 1
        return date(year, month, min(rule.day, calendar.monthrange(year, month)[1]))


def load_calendar_from(base: Path | None = None) -> ReleaseCalendar:
    """The calendar in ``release_calendar.yaml`` of ``base`` (default: the shipped catalog)."""
    doc = read_yaml("release_calendar.yaml", base)
    try:
        return ReleaseCalendar.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise CatalogError("release_calendar.yaml", ".".join(str(p) for p in err["loc"]), err["msg"]) from exc


@cache
def load_calendar() -> ReleaseCalendar:
    """The shipped calendar (read once per process)."""
    return load_calendar_from(None)
