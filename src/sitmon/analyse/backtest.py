"""Projections calibrated on the industry's own forecast record, and the rolling-origin backtest that proves
them (pure arithmetic on plain numbers).

The record: from every origin year with at least :data:`MIN_HISTORY` published values, the combined model
(:func:`~sitmon.analyse.projection.combined`) with every damped-trend candidate forecasts 1…:data:`CALIBRATION_HORIZON` years ahead, for the series asked about and the
industry's headline series (:data:`POOL`: revenue, profit, exports). At an origin ``o`` only what was known in
``o`` is used — forecasts whose target year is ≤ ``o``, within the last :data:`WINDOW` years:

1. the candidate (α, β, φ) is the one with the smallest mean absolute log error on that record
   (:data:`~sitmon.analyse.projection.DEFAULT` while it holds fewer than :data:`MIN_ERRORS` errors);
2. the intervals come from the errors of the forecasts actually made that way (each with the candidate chosen
   at its own origin), per year of horizon: mean m and standard deviation s of e/h over n errors give
   ln x̂ + h·(m ± t_{n−1}·s·√(1 + 1/n)). No interval with fewer than :data:`MIN_ERRORS` errors.

The random walk with drift (:func:`~sitmon.analyse.projection.random_walk_drift`) is run on the same origins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import stats

from .projection import DEFAULT, GRID, Z80, Z95, Projection, combined, observed, random_walk_drift

POOL = ("revenue_total", "profit_total", "exports_usd")
MIN_HISTORY = 5
CALIBRATION_HORIZON = 5
WINDOW = 10
MIN_ERRORS = 8
MAX_HORIZON = 10
MODEL = (
    "average of a damped trend and the 3-year drift on ln levels; (α, β, φ) and intervals from the "
    "rolling-origin record"
)


@dataclass(frozen=True)
class BacktestRow:
    """One forecast of the backtest: made at ``origin`` for ``target_year`` (``horizon`` years ahead), in the
    series' unit; ``outcome`` the published value (None for a gap or a year not yet published); ``rw_*`` the
    random walk with drift's forecast and intervals."""

    origin: int
    horizon: int
    target_year: int
    projection: float
    lo80: float | None
    hi80: float | None
    lo95: float | None
    hi95: float | None
    outcome: float | None
    rw_projection: float
    rw_lo80: float | None
    rw_hi80: float | None
    rw_lo95: float | None
    rw_hi95: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)


@dataclass(frozen=True)
class Summary:
    """Accuracy of one method over the rows with an outcome: ``cases`` rows, MAPE (mean |x̂ − x| / x × 100)
    over all of them, interval coverage (percent) over the ``calibrated`` rows that had intervals."""

    method: str
    horizon: str
    cases: int
    mape_pct: float | None
    calibrated: int
    covered80: int
    covered95: int
    coverage80_pct: float | None
    coverage95_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return asdict(self)


def _band(mean: float, sd: float | None, z: float) -> tuple[float | None, float | None]:
    """exp(mean ± z·sd), or (None, None) without a standard deviation."""
    if sd is None:
        return None, None
    return float(np.exp(mean - z * sd)), float(np.exp(mean + z * sd))


def _t_interval(errors: np.ndarray, level: float) -> tuple[float, float]:
    n = len(errors)
    m, s = float(errors.mean()), float(errors.std(ddof=1))
    q = float(stats.t.ppf(0.5 + level / 2, n - 1)) * s * np.sqrt(1 + 1 / n)
    return m - q, m + q


class Record:
    """The forecast record of a pool of series (indicator → {year: value}, one vintage) and the real-time
    forecasts made from it. Build once per pool; every method only reads."""

    def __init__(
        self, pool: Mapping[str, Mapping[int, float]], min_errors: int = MIN_ERRORS, window: int = WINDOW
    ) -> None:
        self.pool = {
            k: {int(y): float(v) for y, v in pts.items() if v is not None and np.isfinite(v) and v > 0}
            for k, pts in pool.items()
        }
        self.min_errors, self.window = min_errors, window
        self._chosen: dict[int, int] = {}
        self._errors: dict[int, np.ndarray] = {}

    def origins(self, indicator: str) -> list[int]:
        """Published years of ``indicator`` with at least :data:`MIN_HISTORY` published values up to them."""
        years = sorted(self.pool[indicator])
        return years[MIN_HISTORY - 1 :]

    @cached_property
    def _paths(self) -> dict[tuple[str, int], np.ndarray]:
        """(indicator, origin) → ln forecasts of every candidate, shape (len(GRID), CALIBRATION_HORIZON)."""
        out = {}
        for ind, pts in self.pool.items():
            for o in self.origins(ind):
                years, logs = observed(pts, o)
                out[(ind, o)] = combined(years, logs, CALIBRATION_HORIZON, GRID)
        return out

    @cached_property
    def _pairs(self) -> list[tuple[str, int, int, np.ndarray]]:
        """(indicator, origin, horizon, log errors of every candidate) for each forecast with an outcome."""
        out = []
        for (ind, o), path in self._paths.items():
            for h in range(1, CALIBRATION_HORIZON + 1):
                y = self.pool[ind].get(o + h)
                if y is not None:
                    out.append((ind, o, h, np.log(y) - path[:, h - 1]))
        return out

    def _known(self, at: int) -> list[tuple[str, int, int, np.ndarray]]:
        return [p for p in self._pairs if at - self.window < p[1] + p[2] <= at]

    def candidate(self, at: int) -> int:
        """Index in :data:`GRID` of the candidate with the smallest mean absolute log error on the record
        known at ``at`` (the default while fewer than :data:`MIN_ERRORS` errors are known)."""
        if at not in self._chosen:
            known = self._known(at)
            if len(known) < self.min_errors:
                self._chosen[at] = GRID.index(DEFAULT)
            else:
                self._chosen[at] = int(np.argmin(np.mean(np.abs(np.stack([p[3] for p in known])), axis=0)))
        return self._chosen[at]

    def _realised_errors(self, at: int) -> np.ndarray:
        """e / h of the forecasts actually made (candidate chosen at their own origin), known at ``at``."""
        if at not in self._errors:
            self._errors[at] = np.array([p[3][self.candidate(p[1])] / p[2] for p in self._known(at)])
        return self._errors[at]

    def forecast(self, indicator: str, origin: int, year: int) -> Projection:
        """The real-time projection of ``indicator`` for ``year`` made at ``origin`` (a published year): only
        values up to ``origin`` and the record known then are used."""
        years, logs = observed(self.pool[indicator], origin)
        if len(years) < 2 or years[-1] != origin or year <= origin:
            raise ValueError(f"cannot project {indicator} from {origin} to {year}")
        h = year - origin
        k = self.candidate(origin)
        point = float(combined(years, logs, h, (GRID[k],))[0, h - 1])
        errs = self._realised_errors(origin)
        params = dict(zip(("alpha", "beta", "phi"), GRID[k], strict=True))
        if len(errs) < max(self.min_errors, 2):
            return Projection(
                year, float(np.exp(point)), None, None, None, None, MODEL, origin, h, len(errs), params=params
            )
        lo80, hi80 = _t_interval(errs, 0.8)
        lo95, hi95 = _t_interval(errs, 0.95)
        return Projection(
            year,
            float(np.exp(point)),
            float(np.exp(point + h * lo80)),
            float(np.exp(point + h * hi80)),
            float(np.exp(point + h * lo95)),
            float(np.exp(point + h * hi95)),
            MODEL,
            origin,
            h,
            len(errs),
            float(errs.mean()),
            float(errs.std(ddof=1)),
            params,
        )

    def backtest(self, indicator: str, horizons: Sequence[int]) -> list[BacktestRow]:
        """One row per origin (:meth:`origins`) and horizon: the real-time projection, its intervals, the
        outcome, and the random walk with drift's forecast from the same origin."""
        rows = []
        pts = self.pool[indicator]
        for o in self.origins(indicator):
            years, logs = observed(pts, o)
            rw_mean, rw_sd = random_walk_drift(years, logs, max(horizons))
            for h in horizons:
                p = self.forecast(indicator, o, o + h)
                m = float(rw_mean[h - 1])
                sd = None if rw_sd is None else float(rw_sd[h - 1])
                (r80lo, r80hi), (r95lo, r95hi) = _band(m, sd, Z80), _band(m, sd, Z95)
                rows.append(
                    BacktestRow(
                        o,
                        h,
                        o + h,
                        p.value,
                        p.lo80,
                        p.hi80,
                        p.lo95,
                        p.hi95,
                        pts.get(o + h),
                        float(np.exp(m)),
                        r80lo,
                        r80hi,
                        r95lo,
                        r95hi,
                    )
                )
        return rows

    @cached_property
    def rows(self) -> list[BacktestRow]:
        """The backtest rows of every series of the pool at horizons 1…:data:`CALIBRATION_HORIZON`: the record
        against which a call is checked."""
        return [r for ind in self.pool for r in self.backtest(ind, range(1, CALIBRATION_HORIZON + 1))]


def summarise(rows: Sequence[BacktestRow]) -> list[Summary]:
    """Coverage and MAPE of the model and of the random walk with drift, over all horizons and per horizon."""
    out = []
    horizons = sorted({r.horizon for r in rows})
    for method in ("sitmon", "random_walk"):
        for hz in ["all", *horizons]:
            sel = [r for r in rows if r.outcome is not None and (hz == "all" or r.horizon == hz)]
            out.append(_summary(method, str(hz), sel))
    return out


def _summary(method: str, horizon: str, rows: Sequence[BacktestRow]) -> Summary:
    def get(r: BacktestRow, name: str) -> Any:
        return getattr(r, name if method == "sitmon" else f"rw_{name}")

    ape = [abs(get(r, "projection") - r.outcome) / r.outcome * 100 for r in rows if r.outcome]
    cal = [r for r in rows if get(r, "lo80") is not None]
    c80 = sum(get(r, "lo80") <= r.outcome <= get(r, "hi80") for r in cal)
    c95 = sum(get(r, "lo95") <= r.outcome <= get(r, "hi95") for r in cal)

    def pct(k: int) -> float | None:
        return round(100 * k / len(cal), 1) if cal else None

    return Summary(
        method,
        horizon,
        len(rows),
        round(float(np.mean(ape)), 2) if ape else None,
        len(cal),
        c80,
        c95,
        pct(c80),
        pct(c95),
    )


def pool_for(indicator: str) -> tuple[str, ...]:
    """The series whose record calibrates ``indicator``: the headline series and the indicator itself."""
    return POOL if indicator in POOL else (*POOL, indicator)
