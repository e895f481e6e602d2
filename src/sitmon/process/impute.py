"""Imputation of non-respondents (缺报推算): previous value × growth of respondents of the same
sector and province, falling back to the sector nationally, then to no growth."""

from __future__ import annotations

import numpy as np
import pandas as pd

BASIS = "revenue_total"


def respondent_growth(current: pd.DataFrame, previous: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Growth of software business revenue Σx_t / Σx_{t−1} over enterprises that responded in both periods.

    Returns the factors by (sector, province) and by sector nationally (NaN where the previous sum is 0).
    """
    prev = previous[~previous["imputed"]]
    both = current[~current["imputed"]].merge(
        prev[["enterprise_key", BASIS]], on="enterprise_key", suffixes=("", "_prev")
    )
    local = both.groupby(["sector", "province"])[[BASIS, f"{BASIS}_prev"]].sum()
    national = both.groupby("sector")[[BASIS, f"{BASIS}_prev"]].sum()
    return (
        local[BASIS] / local[f"{BASIS}_prev"].replace(0, np.nan),
        national[BASIS] / national[f"{BASIS}_prev"].replace(0, np.nan),
    )


def impute(
    current: pd.DataFrame, previous: pd.DataFrame, expected: set[int], flows: list[str]
) -> pd.DataFrame:
    """Rows for enterprises expected now that responded in the previous period but not in this one.

    Every flow is the previous value × one factor — the revenue growth of respondents in the same sector
    and province, else of the sector nationally, else 1 (``imputation_basis`` says which) — so the
    sub-sectors still add up to the total; stocks (employees) are carried forward unchanged. For monthly
    YTD forms the previous period of January is December: the respondents' January/December ratio carries
    the year-to-date reset along.
    """
    prev_resp = previous[~previous["imputed"]]
    missing = prev_resp[prev_resp.enterprise_key.isin(expected - set(current.enterprise_key))].copy()
    if missing.empty:
        return missing.assign(imputation_basis=pd.Series(dtype=str))
    local, national = respondent_growth(current, previous)
    f_local = pd.Series(
        [local.get((s, p), np.nan) for s, p in zip(missing.sector, missing.province, strict=True)],
        index=missing.index,
    )
    f_nat = missing.sector.map(national)
    factor = f_local.where(np.isfinite(f_local), f_nat)
    basis = np.where(np.isfinite(f_local), "sector×province", np.where(np.isfinite(f_nat), "sector", "none"))
    factor = factor.where(np.isfinite(factor), 1.0)
    for c in flows:
        missing[c] = missing[c] * factor
    missing["imputed"] = True
    missing["revision"] = 0
    missing["imputation_basis"] = basis
    return missing
