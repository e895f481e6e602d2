"""Projection of an annual series to a target year with prediction intervals (statsmodels)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Projection:
    """Projected value for ``year`` (the series' unit) with 80 % and 95 % prediction intervals."""

    year: int
    value: float
    lo80: float
    hi80: float
    lo95: float
    hi95: float
    model: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready mapping."""
        return asdict(self)


def project_log_linear(points: dict[int, float], year: int, window: int = 8) -> Projection | None:
    """Projection of ``points`` (year → positive value) to ``year`` by an OLS trend on the logarithm,
    fitted on the last ``window`` published years (gaps stay gaps: only published years enter the fit).

    ln x_t = a + b·t + e_t; the 80/95 % intervals are statsmodels' prediction intervals, transformed back,
    so they widen with the horizon. Returns None with fewer than 3 positive points.
    """
    import statsmodels.api as sm

    years = sorted(y for y, v in points.items() if v is not None and v > 0)[-window:]
    if len(years) < 3:
        return None
    last = years[-1]
    x = np.array(years, dtype=float) - last
    y = np.log([points[k] for k in years])
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    exog = np.array([[1.0, float(year - last)]])
    f80 = fit.get_prediction(exog).summary_frame(alpha=0.20).iloc[0]
    f95 = fit.get_prediction(exog).summary_frame(alpha=0.05).iloc[0]
    model = f"statsmodels OLS log-linear trend fitted on {years[0]}–{last} (n={len(years)})"
    return Projection(year=year, value=float(np.exp(f80["mean"])), lo80=float(np.exp(f80["obs_ci_lower"])),
                      hi80=float(np.exp(f80["obs_ci_upper"])), lo95=float(np.exp(f95["obs_ci_lower"])),
                      hi95=float(np.exp(f95["obs_ci_upper"])), model=model)
