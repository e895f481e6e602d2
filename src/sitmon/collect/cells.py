"""Parsing of received cells: numbers (thousands separators, full-width digits), periods and dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

import numpy as np

from ..domain import Message, Period, PeriodError

_MONTHLY = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")
_MONTHLY_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_ANNUAL = re.compile(r"^(\d{4})\s*年?$")


def parse_numbers(cells: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells as float64 (NaN when empty or refused), a mask of non-empty cells that are not numbers, and a mask
    of cells that are numbers but not finite (``inf``, ``-Infinity``, ``NaN``, ``1e999``): refused at parse time,
    so a non-finite value is never stored.

    Accepts numbers from XLSX, and text with thousands separators (``1,234.5``), spaces and full-width
    digits (``１２３``).
    """
    import pandas as pd

    series = pd.Series(cells, dtype=object)
    out = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.zeros(len(cells), dtype=bool)
    nonfinite = np.isinf(out)
    out[nonfinite] = np.nan
    retry = np.flatnonzero(np.isnan(out) & ~nonfinite)  # empty cells, NaN, and the ones that need cleaning
    for i in retry:
        v = cells[i]
        if v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[i] = float(v)
            if not np.isfinite(out[i]):
                out[i], nonfinite[i] = np.nan, True
            continue
        text = str(v).strip()
        if not text:
            continue
        try:
            out[i] = float(text)
        except (ValueError, OverflowError):
            cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
            try:
                out[i] = float(cleaned)
            except (ValueError, OverflowError):
                bad[i] = True
                continue
        if not np.isfinite(out[i]):
            out[i], nonfinite[i] = np.nan, True
    return out, bad, nonfinite


def normalise_period(value: Any, frequency: str) -> str | None:
    """The period as ``YYYY-MM`` (monthly) or ``YYYY`` (annual), or None if it is not one (including a year
    outside the range :class:`~sitmon.domain.Period` accepts).

    Accepts ``2024-03``, ``2024-3``, ``2024/03``, ``202403``, ``2024年3月`` and spreadsheet dates.
    """
    if isinstance(value, (datetime, date)):
        return _valid(value.year, value.month) if frequency == "monthly" else None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if frequency == "monthly":
        m = _MONTHLY.match(text) or _MONTHLY_COMPACT.match(text)
        return _valid(int(m.group(1)), int(m.group(2))) if m else None
    m = _ANNUAL.match(text)
    return _valid(int(m.group(1)), None) if m else None


def _valid(year: int, month: int | None) -> str | None:
    try:
        return str(Period(year, month))
    except PeriodError:
        return None


def parse_period_cell(value: Any, frequency: str) -> tuple[str | None, Message | None]:
    """The period of one cell in the storage form (``YYYY-MM`` or ``YYYY``) and None, or None and why it is
    not a period of a ``frequency`` form (a :class:`Message` naming the reason; the value is named by the
    caller). Lenient spellings as in :func:`normalise_period`; years and months checked by
    :class:`~sitmon.domain.Period`."""
    if isinstance(value, (datetime, date)):
        text = f"{value.year:04d}-{value.month:02d}" if frequency == "monthly" else f"{value.year:04d}"
    else:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
            value = str(int(value))
        text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
        m = _MONTHLY.match(text) or _MONTHLY_COMPACT.match(text)
        if m:
            text = f"{m.group(1)}-{int(m.group(2)):02d}"
        elif (a := _ANNUAL.match(text)) is not None:
            text = a.group(1)
        else:
            return None, Message("intake_guard.period_shape")
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        return None, exc.message
    if period.form != frequency:
        return None, Message(f"intake_guard.period_is_{period.form}")
    return str(period), None


def infer_frequency(value: Any) -> str | None:
    """``monthly`` or ``annual`` from the shape of one period cell, or None."""
    if normalise_period(value, "monthly"):
        return "monthly"
    if normalise_period(value, "annual"):
        return "annual"
    return None


def is_future(period: str, today: date) -> bool:
    """True when the period starts after ``today``'s month (monthly) or year (annual)."""
    p = Period.parse(period)
    now = Period(today.year) if p.is_annual else Period(today.year, today.month)
    return p.bounds[0] > now.bounds[1]


def parse_date(value: Any) -> date | None:
    """A date from ``YYYY-MM-DD`` / ``YYYY/MM/DD`` / ``YYYYMMDD`` text or a spreadsheet date; None if empty.

    Raises ValueError when the cell is not empty and not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip().replace("/", "-").replace(".", "-")
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return date.fromisoformat(text)
