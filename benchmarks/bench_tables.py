"""Benchmark: published tables from the aggregates materialised at publish time, side by side with the strongest
hand-written DuckDB statement over the micro-data.

The releases are written through the real store path (``write_release`` with the cube materialised in the staging
folder, as ``sitmon publish`` does), from the synthetic generator's in-memory population (the intake has its own
benchmark). For one period (June of the last year) it times, best of N:

- the bulletin table set (national, macro region, province, city, sector × YTD, single month, YoY, comparable YoY,
  plus CR4/CR10/CR100 and HHI) by ONE hand-written DuckDB statement: the three releases (this month, last month,
  same month last year) read once, every enterprise lined up once with its own cell in each period, the finest
  cells aggregated once, one GROUPING SETS rollup for every table;
- the same table set from the materialised cubes, warm (cubes and rolled-up tables in memory) and cold (read from
  disk by a fresh process state), and by today's Ibis expressions (``analyse.bulletin``) for reference;
- building the cube of one release (what publishing adds), warm (compiled SQL kept, as a server publishing month
  after month) and cold (first in the process);
- the first public province × sector table after publishing, with the release's disclosure patterns stored (the
  cached warehouse is written without them: they are computed here first, as publishing would, then the table is
  read by a fresh process state, which only reads them), and publishing one month through the real path, whose
  derive steps compute the patterns first and then the cube that carries them.

Every answer is checked equal to the engine's before it is timed.

    .venv/bin/python benchmarks/bench_tables.py [--sizes 40000,400000] [--repeat 7] [--skip-publish]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from sitmon.analyse.bulletin import BREAKDOWNS, bulletin_tables
from sitmon.collect.synthetic import simulate
from sitmon.config import Settings
from sitmon.disseminate.materialised import Materialised, forget_tables
from sitmon.process.materialise import materialise
from sitmon.store.cubes import forget_cubes
from sitmon.store.warehouse import Warehouse, release_files, write_release

CACHE = Path(__file__).resolve().parent / ".data"
PERIOD = "2024-06"


def build(n: int) -> Settings:
    """Write (or reuse) a warehouse of ``n`` enterprises × 2023–2024 monthly releases, each with its cube."""
    home = CACHE / f"tables-{n}"
    settings = Settings(home=home)
    if (home / "warehouse" / "monthly" / "period=2024-12").exists():
        return settings
    shutil.rmtree(home, ignore_errors=True)
    t0 = time.perf_counter()
    pop = simulate(n, 2023, 2024, seed=3)
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
    wh = Warehouse(settings)
    for period, df in m.groupby("period", sort=True):
        data = df[cols + rest].astype({c: "float64" for c in rest}).reset_index(drop=True)
        write_release(
            settings,
            "monthly",
            str(period),
            1,
            data,
            {"synthetic": True},
            derived=lambda folder, p=str(period): materialise(settings, "monthly", p, folder, wh.backend),
        )
    print(f"  built {len(m):,} rows with their cubes in {time.perf_counter() - t0:.0f} s -> {home}")
    return settings


def statement(settings: Settings, period: str) -> str:
    """The strongest single DuckDB statement we could write for the bulletin table set of ``period``."""
    y, mth = int(period[:4]), int(period[5:7])
    path = {
        p: str(release_files(settings, "monthly", [p])[0].path)
        for p in (period, f"{y}-{mth - 1:02d}", f"{y - 1}-{mth:02d}")
    }
    cur, pm, ly = path.values()
    return f"""
    WITH cur AS (SELECT enterprise_key, region, province, city, sector, imputed, revenue_total v FROM '{cur}'),
         pm AS (SELECT region, province, city, sector, revenue_total v FROM '{pm}'),
         ly AS (SELECT enterprise_key, region, province, city, sector, imputed, revenue_total v FROM '{ly}'),
         lined AS (  -- each enterprise of the three releases once, in its own cell of each period
           SELECT region, province, city, sector, v cur, NULL::DOUBLE pm, NULL::DOUBLE ly, NULL::DOUBLE num,
                  NULL::DOUBLE den FROM cur
           UNION ALL SELECT region, province, city, sector, NULL, v, NULL, NULL, NULL FROM pm
           UNION ALL SELECT region, province, city, sector, NULL, NULL, v, NULL, NULL FROM ly
           UNION ALL SELECT c.region, c.province, c.city, c.sector, NULL, NULL, NULL, c.v, l.v
                     FROM cur c JOIN ly l USING (enterprise_key) WHERE NOT c.imputed AND NOT l.imputed),
         atoms AS (  -- the finest cells, aggregated once
           SELECT region, province, city, sector, sum(cur) cur, count(cur) n, sum(pm) pm, sum(ly) ly,
                  sum(num) num, sum(den) den FROM lined GROUP BY ALL),
         conc AS (
           SELECT sum(v) FILTER (WHERE rk <= 4) / any_value(tot) * 100 cr4,
                  sum(v) FILTER (WHERE rk <= 10) / any_value(tot) * 100 cr10,
                  sum(v) FILTER (WHERE rk <= 100) / any_value(tot) * 100 cr100,
                  sum(pow(v / tot * 100, 2)) hhi, count(*) enterprises
           FROM (SELECT v, row_number() OVER (ORDER BY v DESC) rk, sum(v) OVER () tot FROM cur))
    SELECT GROUPING(region) gr, GROUPING(province) gp, GROUPING(city) gc, GROUPING(sector) gs,
           region, province, city, sector, sum(cur) ytd, sum(cur) - coalesce(sum(pm), 0) AS month,
           CASE WHEN sum(ly) > 0 THEN (sum(cur) / sum(ly) - 1) * 100 END yoy,
           CASE WHEN sum(den) > 0 THEN (sum(num) / sum(den) - 1) * 100 END yoy_comparable,
           any_value(conc.cr4) cr4, any_value(conc.cr10) cr10, any_value(conc.cr100) cr100, any_value(conc.hhi) hhi,
           any_value(conc.enterprises) enterprises
    FROM atoms, conc
    GROUP BY GROUPING SETS ((), (region), (province), (city), (sector))
    HAVING sum(n) > 0"""


def sql_tables(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, pd.DataFrame]:
    """Run the statement and split its rows into the named tables."""
    df = con.execute(sql).df()
    flags = {
        "national": (1, 1, 1, 1),
        "region": (0, 1, 1, 1),
        "province": (1, 0, 1, 1),
        "city": (1, 1, 0, 1),
        "sector": (1, 1, 1, 0),
    }
    out = {}
    for name, g in flags.items():
        sel = df[(df.gr == g[0]) & (df.gp == g[1]) & (df.gc == g[2]) & (df.gs == g[3])]
        by = list(BREAKDOWNS[name])
        if name == "city":
            sel = sel[sel.city.notna()]
        out[name] = sel[[*by, "ytd", "month", "yoy", "yoy_comparable"]].reset_index(drop=True)
    out["concentration"] = df[["cr4", "cr10", "cr100", "hhi", "enterprises"]].iloc[:1].reset_index(drop=True)
    return out


def same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    """Assert two bulletin table sets hold the same figures (any row order)."""
    for name, by in [*BREAKDOWNS.items(), ("concentration", ())]:
        x, y = a[name], b[name]
        if by:
            x, y = (
                x.sort_values(list(by)).reset_index(drop=True),
                y.sort_values(list(by)).reset_index(drop=True),
            )
            assert (x[list(by)].astype(str).to_numpy() == y[list(by)].astype(str).to_numpy()).all(), name
        for c in (c for c in x.columns if c not in by):
            assert np.allclose(x[c].astype(float), y[c].astype(float), rtol=1e-9, equal_nan=True), (name, c)


def best(fn, repeat: int, before=None) -> float:  # type: ignore[no-untyped-def]
    out = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def cold() -> None:
    forget_cubes()
    forget_tables()


def cube_build(settings: Settings, repeat: int) -> tuple[float, float]:
    """(cold, warm) seconds to materialise the cube of PERIOD's release again, into a scratch folder."""
    src = release_files(settings, "monthly", [PERIOD])[0].path
    scratch = Path(tempfile.mkdtemp(prefix="sitmon-bench-cube-"))
    try:
        shutil.copy(src, scratch / "data.parquet")
        code = (
            "import sys,time;from pathlib import Path;from sitmon.config import Settings;"
            "from sitmon.process.materialise import materialise;from sitmon.store.warehouse import Warehouse;"
            "s=Settings(home=Path(sys.argv[1]));wh=Warehouse(s);wh.backend;t=time.perf_counter();"
            "materialise(s,'monthly',sys.argv[2],Path(sys.argv[3]),wh.backend);print(time.perf_counter()-t)"
        )
        first = float(
            subprocess.run(
                [sys.executable, "-c", code, str(settings.home), PERIOD, str(scratch)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        wh = Warehouse(settings)
        materialise(settings, "monthly", PERIOD, scratch, wh.backend)
        warm = best(lambda: materialise(settings, "monthly", PERIOD, scratch, wh.backend), repeat)
        return first, warm
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def public_first(settings: Settings) -> float:
    """Seconds of the first public province × sector table of the release, read by a fresh process (its modules
    imported, as a running server has them), the release's pattern stored."""
    from sitmon.process.disclosure import ensure_patterns

    ensure_patterns(settings, "monthly", PERIOD)  # what publishing stores (January to June, once)
    code = (
        "import sys,time;from pathlib import Path;from sitmon.config import Settings;"  # modules imported, as in
        "import sitmon.disseminate.disclosure;"  # a running server; nothing of the release read yet
        "from sitmon.disseminate.tables import published_table;s=Settings(home=Path(sys.argv[1]));"
        "t=time.perf_counter();published_table(s,'revenue_total',['province','sector'],sys.argv[2],public=True);"
        "print(time.perf_counter()-t)"
    )
    return min(
        float(
            subprocess.run(
                [sys.executable, "-c", code, str(settings.home), PERIOD],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    )


def publish_with_pattern(n: int) -> tuple[float, float]:
    """(publish, pattern) seconds for one month of ``n`` enterprises through the real path (SQLite): publishing
    with its derive steps (the patterns, then the cube), and the part of it the patterns took."""
    from sitmon.collect.intake import import_file
    from sitmon.collect.registry import import_enterprises
    from sitmon.collect.synthetic import write
    from sitmon.process.publish import publish
    from sitmon.process.review import accept_period
    from sitmon.store.db import Database

    work = Path(tempfile.mkdtemp(prefix="sitmon-bench-publish-"))
    try:
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
        done = publish(db, "2024-02")
        t1 = time.perf_counter()
        docs = (
            json.loads(p.read_text(encoding="utf-8")) for p in (Path(done.path) / "disclosure").glob("*.json")
        )
        return t1 - t0, sum(float(d.get("seconds", 0.0)) for d in docs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="40000,400000")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--skip-publish", action="store_true", help="do not time publishing and the public table")
    args = ap.parse_args()
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1/5/15 min), "
        f"{os.cpu_count()} cores; best of {args.repeat}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        settings = build(n)
        con = duckdb.connect()
        sql = statement(settings, PERIOD)
        mat = Materialised(settings)
        wh = Warehouse(settings)
        engine = wh.run(("bulletin", PERIOD), lambda wh=wh: bulletin_tables(wh.table("monthly"), PERIOD))
        from_sql, from_cube = sql_tables(con, sql), mat.bulletin("monthly", PERIOD)
        assert from_cube is not None, "the releases have no cubes"
        same(engine, from_sql)
        same(engine, from_cube)
        t_sql = best(lambda con=con, sql=sql: sql_tables(con, sql), args.repeat)
        t_ibis = best(
            lambda wh=wh: wh.run(("bulletin", PERIOD), lambda: bulletin_tables(wh.table("monthly"), PERIOD)),
            args.repeat,
        )
        t_warm = best(lambda mat=mat: mat.bulletin("monthly", PERIOD), args.repeat)
        t_cold = best(lambda mat=mat: mat.bulletin("monthly", PERIOD), args.repeat, before=cold)
        b_cold, b_warm = cube_build(settings, args.repeat)
        print(f"\n{n:,} enterprises, {PERIOD}, bulletin table set (5 tables × 4 measures + concentration):")
        print(f"  one hand-written DuckDB statement (warm)   {t_sql * 1000:8.1f} ms")
        print(
            f"  sitmon Ibis on the micro-data (warm)       {t_ibis * 1000:8.1f} ms   {t_ibis / t_sql:5.2f}× the statement"
        )
        print(
            f"  sitmon from the cubes, warm                {t_warm * 1000:8.2f} ms   statement / cubes = "
            f"{t_sql / t_warm:6.1f}×   (goal ≥ 5×)"
        )
        print(
            f"  sitmon from the cubes, cold (read files)   {t_cold * 1000:8.2f} ms   statement / cubes = "
            f"{t_sql / t_cold:6.1f}×"
        )
        print(
            f"  building one release's cube at publish     {b_warm * 1000:8.1f} ms warm, {b_cold * 1000:.1f} ms first "
            f"in a process   cube / statement = {b_warm / t_sql:.2f}× warm, {b_cold / t_sql:.2f}× first (goal ≤ 2×)"
        )
        if not args.skip_publish and n <= 40000:
            print(
                f"  first public province × sector table of the release, pattern stored (new process state): "
                f"{public_first(settings) * 1000:.0f} ms (goal < 200 ms)"
            )
            pub, pat = publish_with_pattern(n)
            print(
                f"  publishing one month through the real path: {pub:.2f} s, of which its disclosure patterns "
                f"{pat:.2f} s (goal < 5 s)"
            )
    print(f"load at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
