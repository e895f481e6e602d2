"""Benchmark: the rolling-origin backtest of revenue, profit and exports (both vintages) — sitmon's calibrated
projection beside the random walk with drift (the benchmark the issue names) and beside the strongest
off-the-shelf alternative written here, statsmodels' damped-trend ETS(A,Ad,N) on ln levels (fitted by
likelihood at every origin on the published years, gaps filled by log-linear interpolation because ETS
needs a complete series, with its own model-based prediction intervals). Also the time to build the record
and to answer the plan status of all plans.

Goals of issue 17: 80 % intervals cover 70–90 % of outcomes, 95 % intervals at least 88 %, MAPE below the
random walk's.

    .venv/bin/python benchmarks/bench_projection.py [--vintage latest|first|both] [--sensitivity]

``--sensitivity`` also reruns the backtest with the neighbouring choices (drift over 5 years, a 6-year
calibration window, the damped trend alone, the recent drift alone), to show how much the coverage figures
depend on them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
import warnings

import numpy as np
import pandas as pd

from sitmon.analyse import projection
from sitmon.analyse.backtest import MIN_HISTORY, POOL, WINDOW, Record, summarise
from sitmon.catalog.series import load_series
from sitmon.config import Settings
from sitmon.disseminate import projections
from sitmon.disseminate.plans import plan_status

HORIZONS = range(1, 6)


def ets_backtest(points: dict[int, float]) -> tuple[float | None, float | None, float | None, int]:
    """MAPE, 80 % and 95 % coverage (percent) and cases of statsmodels' ETS(A,Ad,N) on ln levels."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    years = sorted(points)
    ape, c80, c95 = [], 0, 0
    for o in years[MIN_HISTORY - 1 :]:
        ys = np.array([y for y in years if y <= o])
        grid = np.arange(ys[0], o + 1)
        logs = pd.Series(np.interp(grid, ys, np.log([points[y] for y in ys])))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = ETSModel(logs, error="add", trend="add", damped_trend=True).fit(disp=False)
            pred = fit.get_prediction(start=len(logs), end=len(logs) + max(HORIZONS) - 1)
            f80, f95 = pred.summary_frame(alpha=0.2), pred.summary_frame(alpha=0.05)
        for h in HORIZONS:
            y = points.get(o + h)
            if y is None:
                continue
            mean = float(np.exp(f80["mean"].iloc[h - 1]))
            ape.append(abs(mean - y) / y * 100)
            ly = np.log(y)
            c80 += f80["pi_lower"].iloc[h - 1] <= ly <= f80["pi_upper"].iloc[h - 1]
            c95 += f95["pi_lower"].iloc[h - 1] <= ly <= f95["pi_upper"].iloc[h - 1]
    n = len(ape)
    return (float(np.mean(ape)) if n else None, 100 * c80 / n if n else None, 100 * c95 / n if n else None, n)


def sensitivity(s) -> None:  # type: ignore[no-untyped-def]
    """The summary (latest vintage) under neighbouring choices of the model."""
    print("\nsensitivity (latest vintage): MAPE % / 80 % coverage / 95 % coverage")
    variants = (
        ("as shipped", {}, WINDOW),
        ("drift over 5 years", {"RECENT_YEARS": 5}, WINDOW),
        ("calibration window 6", {}, 6),
        ("damped trend alone", {"RECENT_WEIGHT": 0.0}, WINDOW),
        ("recent drift alone", {"RECENT_WEIGHT": 1.0}, WINDOW),
    )
    for label, change, window in variants:
        saved = {k: getattr(projection, k) for k in change}
        for k, v in change.items():
            setattr(projection, k, v)
        try:
            rec = Record({i: s.values(i) for i in POOL}, window=window)
            cells = []
            for ind in POOL:
                x = next(
                    x
                    for x in summarise(rec.backtest(ind, HORIZONS))
                    if x.method == "sitmon" and x.horizon == "all"
                )
                cells.append(
                    f"{ind.split('_')[0]:8s} {fmt(x.mape_pct, 1):>5s} / {fmt(x.coverage80_pct):>5s} / "
                    f"{fmt(x.coverage95_pct):>5s}"
                )
            print(f"  {label:22s} " + "   ".join(cells))
        finally:
            for k, v in saved.items():
                setattr(projection, k, v)


def fmt(x: float | None, nd: int = 1) -> str:
    return "—" if x is None else f"{x:.{nd}f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vintage", default="both", choices=["latest", "first", "both"])
    ap.add_argument("--sensitivity", action="store_true")
    args = ap.parse_args()
    print(
        f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()} (cores: {os.cpu_count()})"
    )
    s = load_series()
    vintages = ["latest", "first"] if args.vintage == "both" else [args.vintage]
    for vintage in vintages:
        t0 = time.perf_counter()
        rec = Record({i: s.values(i, vintage=vintage) for i in POOL})
        rows = {ind: rec.backtest(ind, HORIZONS) for ind in POOL}
        t_record = time.perf_counter() - t0
        print(f"\nvintage {vintage}: record and backtest of the three series in {t_record * 1000:.0f} ms")
        print(
            f"{'series':14s} {'method':22s} {'cases':>5s} {'MAPE %':>7s} {'with PI':>7s} {'cov80 %':>8s} {'cov95 %':>8s}"
        )
        for ind in POOL:
            summ = {x.method: x for x in summarise(rows[ind]) if x.horizon == "all"}
            for name, label in (("sitmon", "sitmon (calibrated)"), ("random_walk", "random walk + drift")):
                x = summ[name]
                print(
                    f"{ind:14s} {label:22s} {x.cases:5d} {fmt(x.mape_pct, 2):>7s} {x.calibrated:7d} "
                    f"{fmt(x.coverage80_pct):>8s} {fmt(x.coverage95_pct):>8s}"
                )
            t1 = time.perf_counter()
            mape, c80, c95, n = ets_backtest(s.values(ind, vintage=vintage))
            t_ets = time.perf_counter() - t1
            print(
                f"{ind:14s} {'statsmodels ETS(A,Ad,N)':22s} {n:5d} {fmt(mape, 2):>7s} {n:7d} {fmt(c80):>8s} "
                f"{fmt(c95):>8s}   ({t_ets * 1000:.0f} ms)"
            )
            ratio = (
                summ["sitmon"].mape_pct / summ["random_walk"].mape_pct
                if summ["random_walk"].mape_pct
                else None
            )
            print(f"{'':14s} {'MAPE sitmon / RW':22s} {'':5s} {fmt(ratio, 2):>7s}")
    if args.sensitivity:
        sensitivity(s)
    projections.record.cache_clear()
    t0 = time.perf_counter()
    plan_status(Settings(home=os.environ.get("SITMON_HOME", "/tmp/sitmon-bench-projection")))
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    plan_status(Settings(home=os.environ.get("SITMON_HOME", "/tmp/sitmon-bench-projection")))
    warm = time.perf_counter() - t0
    print(
        f"\nplan status of all plans (projections and calls included): cold {cold * 1000:.0f} ms, "
        f"warm {warm * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
