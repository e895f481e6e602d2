"""The projection models and the rolling-origin backtest, against hand computations on short series."""

import math

import numpy as np
import pytest
from scipy import stats

from sitmon.analyse.backtest import MIN_HISTORY, BacktestRow, Record, summarise
from sitmon.analyse.outlook import call_of, held, outlook
from sitmon.analyse.projection import (
    DEFAULT,
    GRID,
    RECENT_WEIGHT,
    Projection,
    combined,
    damped_trend,
    random_walk_drift,
    recent_drift,
)


def test_damped_trend_by_hand():
    years, logs = np.array([2000, 2001, 2002]), np.array([0.0, 1.0, 3.0])
    # α = β = φ = 1: start l = 0, b = 1; 2001: l̂ = 1, e = 0; 2002: l̂ = 2, e = 1 -> l = 3, b = 2: forecasts 5, 7
    assert damped_trend(years, logs, 2, ((1.0, 1.0, 1.0),))[0] == pytest.approx([5.0, 7.0])
    # φ = 0.5: 2001: l̂ = 0.5, b̂ = 0.5, e = 0.5 -> l = 1, b = 1; 2002: l̂ = 1.5, b̂ = 0.5, e = 1.5 -> l = 3, b = 2;
    # h = 1: 3 + 0.5·2 = 4, h = 2: 3 + (0.5 + 0.25)·2 = 4.5
    assert damped_trend(years, logs, 2, ((1.0, 1.0, 0.5),))[0] == pytest.approx([4.0, 4.5])
    # a gap is stepped over without an update: 2000, 2002 (no 2001): b = (2 − 0) / 2 = 1, 2002 predicted exactly
    assert damped_trend(np.array([2000, 2002]), np.array([0.0, 2.0]), 1, ((0.5, 0.5, 1.0),))[
        0
    ] == pytest.approx([3.0])
    # every candidate at once, in GRID order
    assert damped_trend(years, logs, 3).shape == (len(GRID), 3) and DEFAULT in GRID


def test_recent_drift_random_walk_and_combination_by_hand():
    years = np.arange(2010, 2016)
    logs = np.log([100.0, 110.0, 121.0, 133.1, 146.41, 161.051])  # exactly 10 % a year
    d = math.log(1.1)
    # recent drift over 2012–2015 and the random walk over the whole history are both ln 1.1
    assert recent_drift(years, logs, 2) == pytest.approx(logs[-1] + d * np.array([1, 2]))
    mean, sd = random_walk_drift(years, logs, 3)
    assert np.exp(mean) == pytest.approx([161.051 * 1.1, 161.051 * 1.21, 161.051 * 1.331])
    assert sd == pytest.approx([0, 0, 0], abs=1e-12)  # no variation around the drift
    # growth 10 %, 20 %, 10 %, 20 %: d = ln(1.1·1.2·1.1·1.2)/4, σ² = Σ(Δ − d)² / 3, sd(h) = σ·√(h + h²/4)
    steps = np.log([1.1, 1.2, 1.1, 1.2])
    ly = np.concatenate([[0.0], np.cumsum(steps)])
    mean, sd = random_walk_drift(np.arange(5), ly, 2)
    dr = steps.sum() / 4
    sigma = math.sqrt(((steps - dr) ** 2).sum() / 3)
    assert mean == pytest.approx(ly[-1] + dr * np.array([1, 2]))
    assert sd == pytest.approx([sigma * math.sqrt(1 + 1 / 4), sigma * math.sqrt(2 + 4 / 4)])
    # a gap counts as k steps of variance σ²: years 0, 1, 3 with logs 0, 1, 3 -> d = 1, residuals 0
    assert random_walk_drift(np.array([0, 1, 3]), np.array([0.0, 1.0, 3.0]), 1)[1] == pytest.approx([0.0])
    # the combination: (1 − w)·damped + w·recent drift
    w = RECENT_WEIGHT
    assert combined(years, logs, 2, (DEFAULT,))[0] == pytest.approx(
        (1 - w) * damped_trend(years, logs, 2, (DEFAULT,))[0] + w * recent_drift(years, logs, 2)
    )


def _short_pool():
    """Seven years of a series growing 10 % then slowing by a point a year, with one gap (2004)."""
    growth = [0.10, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03]
    values = np.cumprod([100.0, *[1 + g for g in growth]])
    return {"x": {2000 + i: float(v) for i, v in enumerate(values) if 2000 + i != 2004}}


def _reference_forecast(pts, origin, h, params):
    """An independent scalar implementation of the combined model, for one candidate."""
    ys = sorted(y for y in pts if y <= origin)
    ls = [math.log(pts[y]) for y in ys]
    a, b_, phi = params
    level, growth = ls[0], (ls[1] - ls[0]) / (ys[1] - ys[0])
    for prev, year, v in zip(ys[:-1], ys[1:], ls[1:], strict=True):
        for _ in range(year - prev):
            level, growth = level + phi * growth, phi * growth
        e = v - level
        level, growth = level + a * e, growth + a * b_ * e
    damped = level + sum(phi**k for k in range(1, h + 1)) * growth
    start = next(y for y in ys if y >= ys[-1] - 3)
    start = min(start, ys[-2])
    drift = (ls[-1] - math.log(pts[start])) / (ys[-1] - start)
    return 0.5 * damped + 0.5 * (ls[-1] + h * drift)


def test_backtest_rows_by_hand_on_a_short_series():
    pool = _short_pool()
    rec = Record(pool, min_errors=2, window=10)
    pts = pool["x"]
    # origins: published years with at least five published values up to them (2004 is a gap)
    assert rec.origins("x") == sorted(pts)[MIN_HISTORY - 1 :] == [2005, 2006, 2007, 2008]
    rows = rec.backtest("x", [1, 2])
    assert [(r.origin, r.horizon, r.target_year) for r in rows] == [
        (o, h, o + h) for o in (2005, 2006, 2007, 2008) for h in (1, 2)
    ]
    assert [r.outcome for r in rows] == [pts.get(r.target_year) for r in rows]
    # 2005 knows no earlier forecast: the default candidate and no interval
    first = rows[0]
    assert first.projection == pytest.approx(math.exp(_reference_forecast(pts, 2005, 1, DEFAULT)))
    assert first.lo80 is None and first.hi95 is None
    # 2007 knows the forecasts made in 2005 for 2006 and 2007 and in 2006 for 2007: three errors (≥ 2)
    known = [(2005, 1), (2005, 2), (2006, 1)]
    k = int(
        np.argmin(
            [
                np.mean([abs(math.log(pts[o + h]) - _reference_forecast(pts, o, h, c)) for o, h in known])
                for c in GRID
            ]
        )
    )
    assert rec.candidate(2007) == k
    realised = np.array(
        [
            (math.log(pts[o + h]) - _reference_forecast(pts, o, h, GRID[rec.candidate(o)])) / h
            for o, h in known
        ]
    )
    n, m, s = len(realised), realised.mean(), realised.std(ddof=1)
    q80 = stats.t.ppf(0.9, n - 1) * s * math.sqrt(1 + 1 / n)
    point = _reference_forecast(pts, 2007, 2, GRID[k])
    row = next(r for r in rows if (r.origin, r.horizon) == (2007, 2))
    assert row.projection == pytest.approx(math.exp(point))
    assert (row.lo80, row.hi80) == pytest.approx(
        (math.exp(point + 2 * (m - q80)), math.exp(point + 2 * (m + q80)))
    )
    q95 = stats.t.ppf(0.975, n - 1) * s * math.sqrt(1 + 1 / n)
    assert row.hi95 == pytest.approx(math.exp(point + 2 * (m + q95)))
    # the random walk from 2007: drift over 2000–2007
    drift = (math.log(pts[2007]) - math.log(pts[2000])) / 7
    assert row.rw_projection == pytest.approx(pts[2007] * math.exp(2 * drift))


def test_summary_by_hand():
    def row(h, proj, lo, hi, outcome, rw):
        return BacktestRow(
            2000,
            h,
            2000 + h,
            proj,
            lo,
            hi,
            None if lo is None else lo * 0.9,
            None if hi is None else hi * 1.1,
            outcome,
            rw,
            rw * 0.9,
            rw * 1.1,
            rw * 0.8,
            rw * 1.2,
        )

    rows = [
        row(1, 100, 95, 105, 104, 110),
        row(1, 100, 95, 105, 106, 100),
        row(2, 100, None, None, 80, 90),
        row(2, 100, 90, 110, None, 100),
    ]
    s = {(x.method, x.horizon): x for x in summarise(rows)}
    allm = s[("sitmon", "all")]
    # three rows with an outcome; MAPE (4/104 + 6/106 + 20/80) / 3; two of them calibrated, one inside 80 %
    assert allm.cases == 3 and allm.mape_pct == pytest.approx(
        round(100 * (4 / 104 + 6 / 106 + 20 / 80) / 3, 2)
    )
    assert (allm.calibrated, allm.covered80, allm.covered95) == (2, 1, 2)
    assert (allm.coverage80_pct, allm.coverage95_pct) == (50.0, 100.0)
    rw = s[("random_walk", "all")]
    assert rw.mape_pct == pytest.approx(round(100 * (6 / 104 + 6 / 106 + 10 / 80) / 3, 2))
    # 104 in 99–121 and 106 in 90–110, but 80 is below 81–99 (inside 72–108 at 95 %)
    assert (rw.calibrated, rw.covered80, rw.covered95) == (3, 2, 3)
    assert s[("sitmon", "2")].cases == 1 and s[("sitmon", "2")].calibrated == 0


def test_probability_and_calls_follow_the_calibrated_distribution():
    p = Projection(2025, 100.0, 90.0, 110.0, 85.0, 118.0, "m", 2024, 1, errors=20, bias=0.0, spread=0.05)
    assert p.probability_at_least(100.0) == pytest.approx(0.5)
    assert p.probability_at_least(90.0) > 0.8 > p.probability_at_least(105.0) > p.probability_at_least(110.0)
    scale = 0.05 * math.sqrt(1 + 1 / 20)
    assert p.probability_at_least(95.0) == pytest.approx(stats.t.sf(math.log(0.95) / scale, 19))
    assert (call_of(p, 90.0), call_of(p, 100.0), call_of(p, 110.0)) == ("on_track", "at_risk", "off_track")
    assert call_of(Projection(2025, 100.0, None, None, None, None, "m", 2024, 1), 90.0) is None

    def r(outcome, h=1):
        return BacktestRow(2000, h, 2000 + h, 100, 90, 110, 85, 118, outcome, 100, None, None, None, None)

    record = [r(95), r(89), r(120), r(100, 2), r(None)]
    assert [held("on_track", x) for x in record[:3]] == [True, False, True]
    assert [held("off_track", x) for x in record[:3]] == [True, True, False]
    o = outlook(p, 90.0, record, as_of=2001)
    assert (o.call, o.horizon, o.hits, o.cases, o.kind) == ("on_track", 1, 2, 3, "outcome_at_least_lo80")
    assert outlook(p, 100.0, record, as_of=2001).hits == 1  # at risk: only 95 was inside 90–110
    assert outlook(p, 90.0, record, as_of=2000).cases == 0  # nothing was known before the first target year
