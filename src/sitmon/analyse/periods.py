"""Period arithmetic on ``YYYY-MM`` / ``YYYY`` strings (pure)."""

from __future__ import annotations


def same_period_last_year(period: str) -> str:
    """``2024-03`` → ``2023-03``; ``2024`` → ``2023``."""
    return f"{int(period[:4]) - 1:04d}{period[4:]}"


def previous_month(period: str) -> str | None:
    """The previous month within the same year, or None for January and for annual periods."""
    if len(period) == 4 or period.endswith("-01"):
        return None
    return f"{period[:5]}{int(period[5:7]) - 1:02d}"


def month_of(period: str) -> int:
    """Month number of a monthly period (12 for an annual one)."""
    return 12 if len(period) == 4 else int(period[5:7])
