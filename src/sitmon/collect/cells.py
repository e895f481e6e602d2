"""Parsing of received cells: numbers (thousands separators, full-width digits), periods and dates."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

import numpy as np

from ..domain import Period, PeriodError

_MONTHLY = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")
_MONTHLY_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_ANNUAL = re.compile(r"^(\d{4})\s*年?$")


def parse_numbers(cells: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Cells as float64 (NaN when empty or invalid) and a mask of non-empty cells that are not numbers.

    Accepts numbers from XLSX, and text with thousands separators (``1,234.5``), spaces and full-width
    digits (``１２３``).
    """
    import pandas as pd

    series = pd.Series(cells, dtype=object)
    out = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.zeros(len(cells), dtype=bool)
    retry = np.flatnonzero(np.isnan(out))  # empty cells and the ones that need cleaning
    for i in retry:
        v = cells[i]
        if v is None:
            continue
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[i] = float(v)
            if not np.isfinite(out[i]):
                out[i], bad[i] = np.nan, True
            continue
        text = str(v).strip()
        if not text:
            continue
        try:
            out[i] = float(text)
        except ValueError:
            cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
            try:
                out[i] = float(cleaned)
            except ValueError:
                bad[i] = True
                continue
        if not np.isfinite(out[i]):
            out[i], bad[i] = np.nan, True
    return out, bad


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
