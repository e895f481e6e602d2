"""The forecasting models of the published annual series, on log levels (pure arithmetic on plain numbers).

- :func:`combined` — what sitmon projects with: the equal-weight average (in logs) of
  :func:`damped_trend` and :func:`recent_drift`. The damped trend alone kept expecting the slowdown of
  2008–2015 to go on, and under-projected 2016–2024 by up to a third; the recent drift alone over-projected
  every year of that slowdown. Their average hedges the two errors (simple averages of methods are what the
  M forecasting competitions found hard to beat).
- :func:`damped_trend` — Holt's damped trend (exponential smoothing of level and growth, the growth damped
  by φ each year ahead) on ln x, run over every candidate of :data:`GRID` at once. A year without a
  published figure is stepped over (the state is carried forward without an update): gaps stay gaps, nothing
  is interpolated. Which candidate is used, and how wide the intervals are, is decided by the industry's own
  forecast record (:mod:`sitmon.analyse.backtest`), not by the model's assumptions.
- :func:`recent_drift` — a random walk with the average growth of the last :data:`RECENT_YEARS` years.
- :func:`random_walk_drift` — the benchmark: ln x_{T+h} = ln x_T + h·d, d the average annual growth of the
  whole history, with its textbook normal prediction intervals.

statsmodels' ETS models are not used here: they need a series without gaps (2009, 2014 and most export years
are missing) and fit by likelihood on 5–20 points; the damped recursion itself is a few lines.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

#: candidate (α level smoothing, β growth smoothing, φ damping) of the damped trend
GRID: tuple[tuple[float, float, float], ...] = tuple(
    itertools.product((0.5, 0.8, 1.0), (0.1, 0.3, 0.5), (0.8, 0.85, 0.9, 0.95, 1.0))
)
#: the candidate used while the record holds too few errors to choose (the middle of the grid)
DEFAULT = (0.8, 0.3, 0.9)
#: years of growth behind the recent drift, and its weight in the combination
RECENT_YEARS = 3
RECENT_WEIGHT = 0.5
#: z of the two-sided normal 80 % and 95 % intervals
Z80, Z95 = float(stats.norm.ppf(0.9)), float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Projection:
    """Projected value for ``year`` (the series' unit) made at ``origin`` (the last published year used) with
    80 % and 95 % prediction intervals (None when too few earlier errors exist to calibrate them).

    The intervals come from the record of earlier forecasts: log errors per year of horizon have mean
    ``bias`` and standard deviation ``spread`` over ``errors`` cases; ``probability_at_least`` uses the same
    distribution (Student t with ``errors − 1`` degrees of freedom)."""

    year: int
    value: float
    lo80: float | None
    hi80: float | None
    lo95: float | None
    hi95: float | None
    model: str
    origin: int
    horizon: int
    errors: int = 0
    bias: float = 0.0
    spread: float | None = None
    params: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)

    def probability_at_least(self, level: float) -> float | None:
        """P(outcome ≥ ``level``) under the calibrated error distribution, 0–1; None without a calibration."""
        if self.spread is None or self.errors < 2 or level <= 0 or self.value <= 0:
            return None
        scale = self.spread * np.sqrt(1 + 1 / self.errors) * self.horizon
        z = (np.log(level) - np.log(self.value) - self.bias * self.horizon) / max(scale, 1e-12)
        return float(stats.t.sf(z, self.errors - 1))


def observed(points: dict[int, float], origin: int) -> tuple[np.ndarray, np.ndarray]:
    """(years, ln values) of the positive published values up to ``origin``, in year order."""
    years = sorted(y for y, v in points.items() if y <= origin and v is not None and v > 0)
    return np.array(years, dtype=np.int64), np.log(np.array([points[y] for y in years], dtype=float))


def damped_trend(
    years: np.ndarray, logs: np.ndarray, horizon: int, grid: tuple[tuple[float, float, float], ...] = GRID
) -> np.ndarray:
    """ln forecasts for the ``horizon`` years after ``years[-1]``, one row per candidate of ``grid``: shape
    (len(grid), horizon). Needs at least two observations.

    Per year t: predicted level l̂ = l + φb, growth b̂ = φb; at a published year with error e = y − l̂:
    l = l̂ + αe, b = b̂ + αβe (a gap year only predicts). Forecast h years ahead: l + (φ + … + φ^h)·b.
    """
    if len(years) < 2:
        raise ValueError("the damped trend needs two observations")
    g = np.array(grid, dtype=float)
    alpha, beta, phi = g[:, 0], g[:, 1], g[:, 2]
    level = np.full(len(g), logs[0])
    growth = np.full(len(g), (logs[1] - logs[0]) / (years[1] - years[0]))
    for prev, year, value in zip(years[:-1], years[1:], logs[1:], strict=True):
        for _ in range(int(year - prev)):
            level, growth = level + phi * growth, phi * growth
        err = value - level
        level = level + alpha * err
        growth = growth + alpha * beta * err
    steps = np.cumsum(phi[:, None] ** np.arange(1, horizon + 1)[None, :], axis=1)
    out: np.ndarray = level[:, None] + steps * growth[:, None]
    return out


def recent_drift(years: np.ndarray, logs: np.ndarray, horizon: int, span: int = RECENT_YEARS) -> np.ndarray:
    """ln forecasts for h = 1…``horizon``: ln x_T + h·d, d the average annual growth since the first published
    year at most ``span`` years before T (at least the last two published values)."""
    start = min(int(np.searchsorted(years, years[-1] - span)), len(years) - 2)
    drift = (logs[-1] - logs[start]) / float(years[-1] - years[start])
    out: np.ndarray = logs[-1] + drift * np.arange(1, horizon + 1, dtype=float)
    return out


def combined(
    years: np.ndarray, logs: np.ndarray, horizon: int, grid: tuple[tuple[float, float, float], ...] = GRID
) -> np.ndarray:
    """ln forecasts of the combination, one row per damped-trend candidate of ``grid``: (1 − w)·damped + w·recent
    drift with w = :data:`RECENT_WEIGHT`; shape (len(grid), horizon)."""
    out: np.ndarray = (1 - RECENT_WEIGHT) * damped_trend(
        years, logs, horizon, grid
    ) + RECENT_WEIGHT * recent_drift(years, logs, horizon, RECENT_YEARS)[None, :]
    return out


def random_walk_drift(
    years: np.ndarray, logs: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """(ln forecasts, their standard deviations or None) for h = 1…``horizon`` of the random walk with drift.

    d = (ln x_T − ln x_0) / (T − t_0); a gap of k years counts as k steps of variance σ²: σ̂² = Σ (Δ_i − k_i d)² /
    k_i / (m − 1) over the m published steps; sd(h) = σ̂·√(h + h² / (T − t_0)) (drift uncertainty included).
    """
    span = float(years[-1] - years[0])
    drift = (logs[-1] - logs[0]) / span
    h = np.arange(1, horizon + 1, dtype=float)
    mean = logs[-1] + h * drift
    k = np.diff(years).astype(float)
    if len(k) < 2:
        return mean, None
    resid = np.diff(logs) - k * drift
    sigma2 = float(np.sum(resid**2 / k) / (len(k) - 1))
    return mean, np.sqrt(sigma2 * (h + h**2 / span))
