"""The peers a growth outlier is judged against: every enterprise of the same sector with a stored report of the
same period that is not in the file being imported, with its values for the previous month and the same period
last year (from the store). So a report filed alone is judged exactly as it would be in a national batch."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..catalog.rules import RuleSet
from ..domain import Period, PeriodError
from ..store.reports import StoredValues
from .rules import Batch, hb_reference


def _reference(period: str, prefix: str) -> str | None:
    p = Period.parse(period)
    if prefix == "prev_":
        return None if p.previous_in_year is None else str(p.previous_in_year)
    try:
        return str(p.same_period_last_year)
    except PeriodError:
        return None


def add_peers(
    batch: Batch,
    keys: list[int | None],
    rules: RuleSet,
    stored: Mapping[tuple[int, str], StoredValues],
    sectors: Mapping[int, str],
) -> None:
    """Fill ``batch.peers``: per period of the file, the arrays ``sector``, ``<code>`` and ``<prefix><code>`` of
    the stored current reports of enterprises not in the file, for every growth-outlier rule's field and
    reference (``stored`` holds the current values of the file's periods and their reference periods)."""
    wanted = {
        (hb_reference(r), r.field or "revenue_total")
        for r in rules.for_form(batch.form.code)
        if r.kind == "hb_outlier"
    }
    if not wanted:
        return
    ok = batch.period_ok
    in_file = {(k, p) for k, p, good in zip(keys, batch.period, ok, strict=True) if k is not None and good}
    periods = {p for p, good in zip(batch.period, ok, strict=True) if good}
    by_period: dict[str, list[int]] = {p: [] for p in periods}
    for key, period in stored:
        if period in by_period and (key, period) not in in_file:
            by_period[period].append(key)
    for period, ids in by_period.items():
        ids.sort()
        arrays: dict[str, np.ndarray] = {"sector": np.array([sectors.get(i, "") for i in ids], dtype=object)}
        for prefix, code in wanted:
            arrays[code] = np.array([_number(stored[(i, period)], code) for i in ids], dtype=float)
            ref = _reference(period, prefix)
            arrays[prefix + code] = np.array(
                [_number(stored.get((i, ref)) if ref else None, code) for i in ids], dtype=float
            )
        batch.peers[period] = arrays


def _number(found: StoredValues | None, code: str) -> float:
    if found is None:
        return np.nan
    v = found.values.get(code)
    return np.nan if v is None else float(v)
