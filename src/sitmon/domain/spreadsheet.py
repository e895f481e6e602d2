"""Cells that leave sitmon for a spreadsheet (CSV, XLSX): escaped so that a spreadsheet never runs them.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, WPS and
LibreOffice as a formula (CSV injection, OWASP): ``=HYPERLINK(...)`` in a filer's note would come back live in
an analyst's export. Following OWASP's rule, such a cell gets a leading single quote, which the spreadsheet
shows as text. Numbers stay numbers, and a text that is only a number (``-12.5``) is left alone: it cannot be a
formula. Every CSV or XLSX writer calls :func:`escape_cell` (or :func:`escape_row`) on each value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""First characters that make a spreadsheet read a text cell as a formula (full-width forms included: some
spreadsheet programs normalise them)."""

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")


def needs_escape(text: str) -> bool:
    """True when ``text`` would be read as a formula by a spreadsheet (see the module docstring)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def escape_cell(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell: a text that would be read as a formula gets a leading
    ``'``; every other value (numbers, dates, None, plain text) is returned unchanged."""
    if isinstance(value, str) and needs_escape(value):
        return "'" + value
    return value


def escape_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``row`` with every value passed through :func:`escape_cell`."""
    return {k: escape_cell(v) for k, v in row.items()}
