"""The Hidiroglou–Berthelot (1986) outlier test for period-to-period ratios, as statistical offices use it."""

from __future__ import annotations

import numpy as np


def hidiroglou_berthelot(
    current: np.ndarray, previous: np.ndarray, *, U: float = 0.5, A: float = 0.05, C: float = 7.0
) -> np.ndarray:
    """Boolean mask of outliers among units with ratio ``r = current / previous`` (both > 0).

    Centred ratio ``s = 1 − r_med/r`` if ``r < r_med`` else ``r/r_med − 1``; effect
    ``E = s · max(current, previous)^U``; outlier when ``E`` lies outside
    ``[E_med − C·max(E_med − E_Q1, |A·E_med|), E_med + C·max(E_Q3 − E_med, |A·E_med|)]``.
    Units without a positive pair are never flagged.
    """
    current = np.asarray(current, dtype=float)
    previous = np.asarray(previous, dtype=float)
    ok = (current > 0) & (previous > 0) & np.isfinite(current) & np.isfinite(previous)
    out = np.zeros(current.shape, dtype=bool)
    if ok.sum() < 3:
        return out
    r = current[ok] / previous[ok]
    r_med = np.median(r)
    s = np.where(r < r_med, 1 - r_med / r, r / r_med - 1)
    e = s * np.maximum(current[ok], previous[ok]) ** U
    q1, med, q3 = np.quantile(e, [0.25, 0.5, 0.75])
    d1 = max(med - q1, abs(A * med))
    d3 = max(q3 - med, abs(A * med))
    out[ok] = (e < med - C * d1) | (e > med + C * d3)
    return out
