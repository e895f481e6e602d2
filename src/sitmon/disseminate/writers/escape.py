"""Escaping text bound for spreadsheets (OWASP's CSV-injection rule), for every CSV and XLSX writer."""

from __future__ import annotations

from typing import Any

#: First characters that make Excel, WPS or LibreOffice read a cell as a formula (or run DDE): = + - @, tab and
#: carriage return, and their full-width forms, which Chinese input methods produce.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def spreadsheet_text(value: Any) -> Any:
    """``value`` safe to put in a spreadsheet cell: a text starting like a formula gets a leading apostrophe, so
    it is shown as text and never evaluated; numbers, None and other texts are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
