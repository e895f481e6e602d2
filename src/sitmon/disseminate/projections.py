"""Projections and backtests of the published national series as the CLI, the API and plan tracking show
them: :func:`series_backtest` (the rolling-origin backtest of one indicator beside the random walk) and
:func:`projection_of` (the calibrated projection a plan status uses, with the backtest record of its call).

Records are built once per (indicators, vintage): the shipped series never change while a process runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..analyse.backtest import MAX_HORIZON, MODEL, BacktestRow, Record, Summary, pool_for, summarise
from ..analyse.outlook import Outlook, outlook
from ..analyse.projection import Projection
from ..catalog.series import Vintage, load_series
from ..domain.messages import Message
from .series import SeriesError, parse_vintage


@dataclass(frozen=True)
class BacktestResult:
    """The backtest of ``indicator`` in ``vintage``: rows (origin × horizon), the summary of sitmon's model and
    of the random walk with drift, the model's description and the unit of the values."""

    indicator: str
    vintage: Vintage
    unit: str
    rows: list[BacktestRow]
    summary: list[Summary]
    model: str = MODEL
    pool: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping: indicator, vintage, unit, model, pool, rows, summary."""
        return {
            "indicator": self.indicator,
            "vintage": self.vintage,
            "unit": self.unit,
            "model": self.model,
            "pool": list(self.pool),
            "rows": [r.to_dict() for r in self.rows],
            "summary": [s.to_dict() for s in self.summary],
        }


def parse_horizons(text: str | None) -> list[int]:
    """``1-5`` / ``1,3,5`` / ``2`` → sorted horizons in years, each 1…:data:`MAX_HORIZON`; else a SeriesError."""
    raw = (text or "1-5").strip()
    out: set[int] = set()
    try:
        for part in raw.split(","):
            lo, _, hi = part.strip().partition("-")
            a, b = int(lo), int(hi or lo)
            if not (1 <= a <= b <= MAX_HORIZON):
                raise ValueError(part)
            out.update(range(a, b + 1))
    except ValueError as exc:
        raise SeriesError(Message("projection.bad_horizons", value=raw[:40], max=MAX_HORIZON)) from exc
    return sorted(out)


@lru_cache(maxsize=64)
def record(indicators: tuple[str, ...], vintage: Vintage = "latest") -> Record:
    """The forecast record of ``indicators`` in ``vintage`` (cached: the shipped series are immutable)."""
    s = load_series()
    return Record({i: s.values(i, vintage=vintage) for i in indicators})


def series_backtest(
    indicator: str, horizons: str | None = "1-5", vintage: str | None = "latest"
) -> BacktestResult:
    """The rolling-origin backtest of ``indicator``: every origin with at least five published years × every
    horizon, with the random walk with drift from the same origins, and the summary (coverage, MAPE)."""
    vint = parse_vintage(vintage)
    hs = parse_horizons(horizons)
    s = load_series()
    values = s.values(indicator, vintage=vint)
    if not values:
        raise SeriesError(Message("citation.unknown_indicator", indicator=indicator[:64]))
    if s.all_of(indicator)[0].unit == "pct":
        raise SeriesError(Message("projection.not_a_level", indicator=indicator))
    pool = pool_for(indicator)
    rows = record(pool, vint).backtest(indicator, hs)
    return BacktestResult(indicator, vint, s.all_of(indicator)[0].unit, rows, summarise(rows), pool=pool)


@dataclass(frozen=True)
class CalledProjection:
    """A projection to a target year and, for a level target, the call it makes with its backtest record."""

    projection: Projection
    outlook: Outlook | None


def projection_of(
    indicator: str,
    points: dict[int, float],
    year: int,
    as_of: int | None,
    vintage: Vintage = "latest",
    target_level: float | None = None,
) -> CalledProjection | None:
    """The calibrated projection of ``indicator`` (its published ``points``, year → value) to ``year`` from the
    last published year ≤ ``as_of``, and the call on ``target_level``; None when fewer than three years are
    published or the target year is not ahead."""
    usable = {y: v for y, v in points.items() if (as_of is None or y <= as_of) and v is not None and v > 0}
    if len(usable) < 3 or year <= max(usable):
        return None
    pool = pool_for(indicator)
    rec = record(pool, vintage)
    if (
        rec.pool.get(indicator) != Record({indicator: points}).pool[indicator]
    ):  # a derived series (expression)
        rec = Record({**{i: rec.pool[i] for i in pool if i != indicator}, indicator: points})
    origin = max(usable)
    proj = rec.forecast(indicator, origin, year)
    if target_level is None or proj.lo80 is None:
        return CalledProjection(proj, None)
    return CalledProjection(proj, outlook(proj, target_level, rec.rows, origin))
