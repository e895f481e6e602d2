"""What a calibrated projection says about a plan target, and how often such a call was right (pure).

A level target x* for the target year is called from the projection's 80 % interval [lo, hi]:
``on_track`` when x* ≤ lo (the projection gives at least a 90 % chance of reaching it), ``off_track`` when
x* ≥ hi (at most 10 %), ``at_risk`` in between. The record of the call is read from the rolling-origin
backtest at the same horizon, over forecasts whose target year was published by then: an on-track call is
wrong only if the outcome falls below lo, so the share of outcomes ≥ lo is how often such a call held (a
lower bound); for off-track the share ≤ hi; for at-risk the share inside [lo, hi].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .backtest import BacktestRow
from .projection import Projection

CALLS = ("on_track", "at_risk", "off_track")


@dataclass(frozen=True)
class Outlook:
    """The call on a target from its projection: ``probability`` P(outcome ≥ target) (0–1), the ``call``,
    and its ``record``: ``hits`` of ``cases`` backtest forecasts ``horizon`` years ahead in which the same kind
    of call held (``kind``: ``outcome_at_least_lo80``, ``outcome_at_most_hi80``, ``outcome_inside_80``)."""

    target_level: float
    probability: float | None
    call: str
    horizon: int
    kind: str
    hits: int
    cases: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)

    @property
    def hit_rate_pct(self) -> float | None:
        """hits / cases × 100 (None without cases)."""
        return round(100 * self.hits / self.cases, 1) if self.cases else None


def call_of(projection: Projection, target_level: float) -> str | None:
    """``on_track`` / ``at_risk`` / ``off_track`` from the 80 % interval; None without intervals."""
    if projection.lo80 is None or projection.hi80 is None:
        return None
    if target_level <= projection.lo80:
        return "on_track"
    if target_level >= projection.hi80:
        return "off_track"
    return "at_risk"


def held(call: str, row: BacktestRow) -> bool:
    """Whether a call of kind ``call`` held in one backtest forecast (needs its outcome and intervals)."""
    assert row.outcome is not None and row.lo80 is not None and row.hi80 is not None
    if call == "on_track":
        return row.outcome >= row.lo80
    if call == "off_track":
        return row.outcome <= row.hi80
    return row.lo80 <= row.outcome <= row.hi80


KIND = {
    "on_track": "outcome_at_least_lo80",
    "off_track": "outcome_at_most_hi80",
    "at_risk": "outcome_inside_80",
}


def outlook(
    projection: Projection, target_level: float, record: Sequence[BacktestRow], as_of: int
) -> Outlook | None:
    """The call on ``target_level`` and its record among ``record`` rows at the projection's horizon (the
    longest backtested horizon when it is further) whose target year is ≤ ``as_of``; None without intervals."""
    call = call_of(projection, target_level)
    if call is None:
        return None
    horizons = {r.horizon for r in record}
    h = min(projection.horizon, max(horizons)) if horizons else projection.horizon
    rows = [
        r
        for r in record
        if r.horizon == h and r.target_year <= as_of and r.outcome is not None and r.lo80 is not None
    ]
    return Outlook(
        target_level,
        projection.probability_at_least(target_level),
        call,
        h,
        KIND[call],
        sum(held(call, r) for r in rows),
        len(rows),
    )
