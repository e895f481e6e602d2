"""Benchmark: publishing one month, and computing the bulletin table set of one period, by sitmon (Ibis on
DuckDB, warm), by one hand-written DuckDB SQL script over the same Parquet, and by a plain pandas pipeline.

The releases are built by the fastest honest path: the synthetic generator's in-memory population is
written straight into the warehouse layout (one Parquet file per period), skipping CSV intake — the intake
has its own benchmark. Publishing is timed separately through the real path (accepted reports in SQLite).

    .venv/bin/python benchmarks/bench_analyse.py [--sizes 40000,400000] [--years 5]
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sitmon.analyse.bulletin import BREAKDOWNS, bulletin_tables
from sitmon.collect.synthetic import simulate
from sitmon.config import Settings
from sitmon.store.warehouse import Warehouse, release_dir

CACHE = Path(__file__).resolve().parent / ".data"
PERIOD_MONTH = 6


def build(n: int, years: int) -> tuple[Settings, str]:
    """Write (or reuse) a warehouse with ``n`` enterprises × ``years`` of monthly releases."""
    home = CACHE / f"analyse-{n}-{years}"
    end = 2024
    period = f"{end}-{PERIOD_MONTH:02d}"
    settings = Settings(home=home)
    if (home / "warehouse").exists():
        return settings, period
    t0 = time.perf_counter()
    pop = simulate(n, end - years + 1, end, seed=3)
    ents = pop.enterprises.rename(
        columns={"province_code": "province", "city_code": "city", "macro_region": "region"}
    )
    m = pop.monthly.merge(
        ents[["enterprise_key", "province", "city", "region", "sector"]], on="enterprise_key"
    )
    del pop
    m["imputed"] = False
    m["revision"] = np.int32(1)
    m["year"] = m["year"].astype("int32")
    m["month"] = m["month"].astype("Int32")
    cols = [
        "enterprise_key",
        "uscc",
        "period",
        "year",
        "month",
        "province",
        "city",
        "region",
        "sector",
        "imputed",
        "revision",
    ]
    rest = [c for c in m.columns if c not in cols]
    for period_value, df in m.groupby("period", sort=True):
        folder = release_dir(settings, "monthly", str(period_value), 1)
        folder.mkdir(parents=True, exist_ok=True)
        df[cols + rest].astype({c: "float64" for c in rest}).to_parquet(folder / "data.parquet", index=False)
        (folder / "release.json").write_text('{"synthetic": true}', encoding="utf-8")
    print(f"  built {len(m):,} rows in {time.perf_counter() - t0:.0f} s -> {home}")
    return settings, period


def sitmon_run(settings: Settings, period: str, wh: Warehouse) -> dict:
    return wh.run(("bulletin", period), lambda: bulletin_tables(wh.table("monthly"), period))


def sql_run(settings: Settings, period: str, con: duckdb.DuckDBPyConnection) -> dict:
    files = sorted(
        str(p) for p in (settings.warehouse_dir / "monthly").glob("period=*/release=1/data.parquet")
    )
    y, mth = int(period[:4]), int(period[5:7])
    prev, ly = f"{y}-{mth - 1:02d}", f"{y - 1}-{mth:02d}"
    con.execute(f"CREATE OR REPLACE TEMP VIEW r AS SELECT * FROM read_parquet({files!r})")
    out = {}
    for name, by in BREAKDOWNS.items():
        keys = ", ".join(by)
        sel = (keys + ", ") if by else ""
        grp = f"GROUP BY {keys}" if by else ""
        on = " AND ".join(f"c.{k} IS NOT DISTINCT FROM x.{k}" for k in by) or "TRUE"
        q = f"""
        WITH cur AS (SELECT {sel} sum(revenue_total) ytd FROM r WHERE period = '{period}' {grp}),
             pm AS (SELECT {sel} sum(revenue_total) v FROM r WHERE period = '{prev}' {grp}),
             ly AS (SELECT {sel} sum(revenue_total) v FROM r WHERE period = '{ly}' {grp}),
             cmp AS (SELECT {", ".join("a." + k for k in by) + ", " if by else ""} sum(a.revenue_total) n, sum(b.revenue_total) d
                     FROM r a JOIN r b ON a.enterprise_key = b.enterprise_key
                     WHERE a.period = '{period}' AND b.period = '{ly}' AND NOT a.imputed AND NOT b.imputed
                     {("GROUP BY " + ", ".join("a." + k for k in by)) if by else ""})
        SELECT {", ".join("c." + k for k in by) + ", " if by else ""} c.ytd, c.ytd - coalesce(p.v, 0) AS month,
               (c.ytd / l.v - 1) * 100 AS yoy, (k.n / k.d - 1) * 100 AS yoy_comparable
        FROM cur c LEFT JOIN pm p ON {on.replace("x.", "p.")} LEFT JOIN ly l ON {on.replace("x.", "l.")}
             LEFT JOIN cmp k ON {on.replace("x.", "k.")}"""
        out[name] = con.execute(q).df()
    out["concentration"] = con.execute(f"""
        WITH d AS (SELECT revenue_total v, row_number() OVER (ORDER BY revenue_total DESC) rk,
                          sum(revenue_total) OVER () tot FROM r WHERE period = '{period}')
        SELECT sum(v) FILTER (WHERE rk <= 4) / any_value(tot) * 100 cr4, sum(v) FILTER (WHERE rk <= 10) / any_value(tot) * 100 cr10,
               sum(v) FILTER (WHERE rk <= 100) / any_value(tot) * 100 cr100, sum(pow(v / tot * 100, 2)) hhi FROM d""").df()
    return out


def pandas_run(settings: Settings, period: str) -> dict:
    files = sorted((settings.warehouse_dir / "monthly").glob("period=*/release=1/data.parquet"))
    df = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    y, mth = int(period[:4]), int(period[5:7])
    prev, ly = f"{y}-{mth - 1:02d}", f"{y - 1}-{mth:02d}"
    cur, pm, lyd = df[df.period == period], df[df.period == prev], df[df.period == ly]
    both = cur[~cur.imputed].merge(
        lyd[~lyd.imputed][["enterprise_key", "revenue_total"]], on="enterprise_key", suffixes=("", "_ly")
    )
    out = {}
    for name, by in BREAKDOWNS.items():
        by = list(by)

        def agg(d, col="revenue_total", by=by):
            return d.groupby(by, dropna=False)[col].sum() if by else pd.Series({0: d[col].sum()})

        c, p, last = agg(cur), agg(pm), agg(lyd)
        n, d = agg(both), agg(both, "revenue_total_ly")
        out[name] = pd.DataFrame(
            {
                "ytd": c,
                "month": c - p.reindex(c.index).fillna(0),
                "yoy": (c / last.reindex(c.index) - 1) * 100,
                "yoy_comparable": (n / d - 1) * 100,
            }
        )
    v = cur.revenue_total.sort_values(ascending=False).to_numpy()
    s = v / v.sum() * 100
    out["concentration"] = pd.DataFrame(
        [{"cr4": s[:4].sum(), "cr10": s[:10].sum(), "cr100": s[:100].sum(), "hhi": (s**2).sum()}]
    )
    return out


def timed(fn, *args, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best


def publish_one_month(n: int) -> float:
    """Time the real publishing path for one month of ``n`` enterprises (accepted reports in SQLite)."""
    import tempfile

    from sitmon.collect.intake import import_file
    from sitmon.collect.registry import import_enterprises
    from sitmon.collect.synthetic import write
    from sitmon.process.publish import publish
    from sitmon.process.review import accept_period
    from sitmon.store.db import Database

    work = Path(tempfile.mkdtemp(prefix="sitmon-bench-publish-"))
    pop = simulate(n, 2024, 2024, seed=1)
    pop.monthly = pop.monthly[pop.monthly.month <= 2]
    write(pop, work / "in", annual=False)
    db = Database(Settings(home=work / "home"))
    db.upgrade()
    import_enterprises(db, work / "in/enterprises.csv")
    for m in ("01", "02"):
        import_file(db, work / f"in/reports/synthetic-monthly-2024-{m}.csv")
        accept_period(db, f"2024-{m}")
    publish(db, "2024-01")
    t0 = time.perf_counter()
    publish(db, "2024-02")
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="40000,400000")
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--skip-publish", action="store_true", help="do not time publishing")
    args = ap.parse_args()
    if not args.skip_publish:
        print(
            f"publish one month (40,000 enterprises, imputation from the previous release): "
            f"{publish_one_month(40000):.2f} s"
        )
    print(
        f"{'enterprises':>12}{'rows':>12}{'sitmon ms':>11}{'SQL ms':>9}{'pandas ms':>11}{'vs SQL':>8}{'pandas/sitmon':>15}"
    )
    print("(sitmon and SQL: best of 3 warm runs; pandas: one run, reading the same Parquet)")
    for n in (int(x) for x in args.sizes.split(",")):
        settings, period = build(n, args.years)
        wh = Warehouse(settings)
        con = duckdb.connect()
        sitmon_run(settings, period, wh)  # warm
        t_s = timed(sitmon_run, settings, period, wh)
        t_q = timed(sql_run, settings, period, con)
        peak_engine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
        t_p = timed(pandas_run, settings, period, repeat=1)
        a, b = sitmon_run(settings, period, wh), pandas_run(settings, period)
        assert np.isclose(a["national"].ytd.iloc[0], b["national"].ytd.iloc[0])
        assert np.isclose(a["concentration"].hhi.iloc[0], b["concentration"].hhi.iloc[0])
        rows = sum(1 for _ in (settings.warehouse_dir / "monthly").glob("period=*")) * n
        print(
            f"{n:>12,}{rows:>12,}{t_s * 1000:>11.0f}{t_q * 1000:>9.0f}{t_p * 1000:>11.0f}"
            f"{t_s / t_q:>8.2f}{t_p / t_s:>15.1f}   peak RSS before pandas: {peak_engine:.2f} GB"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"peak memory of this process including the pandas pipeline (and any data building): {peak:.2f} GB")
    print(
        "goals: at 400,000 within 2x of SQL and >= 10x faster than pandas, peak < 4 GB; at 40,000 < 100 ms warm"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
