"""Schemas of confidential micro-data (per-enterprise values and rankings)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .common import Indicator, Period, Province


class RankingQuery(BaseModel):
    """The ``n`` largest enterprises by ``indicator`` in ``period`` (a reviewer: within their province)."""

    indicator: Indicator
    period: Period
    n: int = Field(default=100, ge=1, le=1000)
    province: Province | None = None


class RankingRowPublic(BaseModel):
    """One enterprise of a ranking; value in the form's unit."""

    rank: int
    uscc: str
    province: str
    sector: str
    value: float | None


class RankingPublic(BaseModel):
    """A ranking — confidential micro-data."""

    indicator: str
    period: str
    unit: str
    province: str | None
    releases: dict[str, int]
    synthetic: bool
    confidential: Literal[True] = True
    rows: list[RankingRowPublic]


class EnterpriseFiguresPublic(BaseModel):
    """One enterprise's row of a release — confidential micro-data."""

    uscc: str
    period: str
    province: str
    city: str | None
    region: str
    sector: str
    imputed: bool
    revision: int
    values: dict[str, float | None]
    releases: dict[str, int]
    synthetic: bool
    confidential: Literal[True] = True
