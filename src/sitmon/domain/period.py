"""Reference periods (统计期): ``YYYY-MM`` for the monthly form, ``YYYY`` for the annual form.

A :class:`Period` is the one place that knows a period's form, the period before it, the same period last
year and its bounds. Strings stay the storage form (Parquet columns, DB rows, URLs); parse them at the edge
with :meth:`Period.parse`, which refuses anything else with a message naming the value.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from .errors import KeyedError
from .messages import Message

Form = Literal["monthly", "annual"]

MIN_YEAR = 1990
"""Earliest reference year accepted (the industry statistics start in the 1990s)."""
MAX_YEAR = 2100
"""Latest reference year accepted."""
MAX_SPAN = 240
"""Most periods one list or range may name (20 years of months)."""

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")


class PeriodError(KeyedError):
    """A text that is not a period: ``message`` says which value and why, in both languages."""


@dataclass(frozen=True, order=True)
class Period:
    """One reference period: a month of ``year`` or, with ``month`` None, the whole year."""

    year: int
    month: int | None = None

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(Message("period.year_range", value=str(self), lo=MIN_YEAR, hi=MAX_YEAR))
        if self.month is not None and not 1 <= self.month <= 12:
            raise PeriodError(Message("period.month_range", value=str(self)))

    @classmethod
    def parse(cls, text: object) -> Period:
        """The period written ``YYYY-MM`` or ``YYYY``; :class:`PeriodError` for anything else."""
        raw = str(text).strip() if text is not None else ""
        m = _PATTERN.fullmatch(raw)
        if m is None:
            raise PeriodError(Message("period.malformed", value=raw[:40]))
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) is not None else None)

    @classmethod
    def monthly(cls, year: int, month: int) -> Period:
        """The month ``month`` of ``year``."""
        return cls(year, month)

    def __str__(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    @property
    def form(self) -> Form:
        """The report form that covers this period: ``annual`` for a year, else ``monthly``."""
        return "annual" if self.month is None else "monthly"

    @property
    def is_annual(self) -> bool:
        """True for a whole year."""
        return self.month is None

    @property
    def month_number(self) -> int:
        """Months covered from January: the month, or 12 for a year (the length of the year to date)."""
        return 12 if self.month is None else self.month

    @property
    def previous(self) -> Period:
        """The period just before: last month (December of last year before January), or last year."""
        if self.month is None:
            return Period(self.year - 1)
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    @property
    def previous_in_year(self) -> Period | None:
        """The previous month of the same year, or None for January and for a year (YTD starts afresh)."""
        if self.month is None or self.month == 1:
            return None
        return Period(self.year, self.month - 1)

    @property
    def next(self) -> Period:
        """The period just after."""
        if self.month is None:
            return Period(self.year + 1)
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    @property
    def same_period_last_year(self) -> Period:
        """The same month (or the year) one year earlier: the base of year-on-year growth."""
        return Period(self.year - 1, self.month)

    @property
    def december(self) -> Period:
        """December of the period's year (the month whose YTD equals the year)."""
        return Period(self.year, 12)

    @property
    def bounds(self) -> tuple[date, date]:
        """First and last day covered (inclusive)."""
        if self.month is None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        last = calendar.monthrange(self.year, self.month)[1]
        return date(self.year, self.month, 1), date(self.year, self.month, last)

    def months_to_date(self) -> list[Period]:
        """January up to this month (for a year: its twelve months)."""
        return [Period(self.year, m) for m in range(1, self.month_number + 1)]


def form_of(period: str | Period) -> Form:
    """The form of ``period`` (a string is parsed first)."""
    p = period if isinstance(period, Period) else Period.parse(period)
    return p.form


def period_range(start: Period, end: Period) -> list[Period]:
    """Every period from ``start`` to ``end`` inclusive, both of the same form; at most :data:`MAX_SPAN`."""
    if start.form != end.form:
        raise PeriodError(Message("period.range_mixed", start=str(start), end=str(end)))
    if end < start:
        raise PeriodError(Message("period.range_reversed", start=str(start), end=str(end)))
    out = [start]
    while out[-1] != end:
        if len(out) >= MAX_SPAN:
            raise PeriodError(Message("period.too_many", n=MAX_SPAN))
        out.append(out[-1].next)
    return out


def parse_periods(texts: str | list[str] | tuple[str, ...]) -> list[Period]:
    """Periods named by comma lists and ``start:end`` ranges (repeated options welcome), in the order given,
    without repeats; e.g. ``"2024-01:2024-03,2024-06"`` → four months. At most :data:`MAX_SPAN`."""
    items = [texts] if isinstance(texts, str) else list(texts)
    out: list[Period] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            if ":" in part:
                a, _, b = part.partition(":")
                span = period_range(Period.parse(a), Period.parse(b))
            else:
                span = [Period.parse(part)]
            for p in span:
                if p not in out:
                    out.append(p)
            if len(out) > MAX_SPAN:
                raise PeriodError(Message("period.too_many", n=MAX_SPAN))
    if not out:
        raise PeriodError(Message("period.malformed", value=""))
    return out
