"""Benchmark: importing one national month (about 40,000 rows) from CSV and from XLSX, validation included.

The month imported is February, with January already stored, so the year-to-date rule reads the store
as it does in production. Each format gets a fresh SQLite store (and PostgreSQL when SITMON_TEST_PG_URL
names a server). Goal (issue 2): under 5 s for the CSV month on SQLite.

    .venv/bin/python benchmarks/bench_intake.py [--enterprises 40000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.collect.synthetic import simulate, write
from sitmon.config import Settings
from sitmon.store.db import Database


def _xlsx(csv_path: Path, out: Path) -> Path:
    from openpyxl import Workbook

    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(df.columns))
    for row in df.itertuples(index=False):
        ws.append([v if i < 2 or v == "" else float(v) for i, v in enumerate(row)])
    wb.save(out)
    return out


def _store(url: str | None, home: Path) -> Database:
    db = Database(Settings(home=home, database_url=url))
    db.upgrade()
    return db


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=40000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sitmon-bench-intake-"))
    pop = simulate(args.enterprises, 2024, 2024, seed=1, missing_rate=0.02)
    pop.monthly = pop.monthly[pop.monthly.month <= 2]
    write(pop, work / "in", annual=False)
    jan, feb = (
        work / "in/reports/synthetic-monthly-2024-01.csv",
        work / "in/reports/synthetic-monthly-2024-02.csv",
    )
    feb_xlsx = _xlsx(feb, work / "feb.xlsx")
    rows = len(pd.read_csv(feb, usecols=[0]))
    targets = [("sqlite", None)]
    if os.environ.get("SITMON_TEST_PG_URL"):
        import sqlalchemy as sa

        base = os.environ["SITMON_TEST_PG_URL"].rstrip("/")
        for fmt in ("csv", "xlsx"):
            name = f"bench_{fmt}_{uuid.uuid4().hex[:6]}"
            with sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT").connect() as c:
                c.exec_driver_sql(f'CREATE DATABASE "{name}"')
            targets.append((f"postgresql-{fmt}", f"{base}/{name}"))
    print(f"one month: {rows:,} rows (synthetic, {args.enterprises:,} enterprises)")
    print(f"{'store':<16}{'format':<8}{'seconds':>10}{'rows/s':>12}  status")
    results = {}
    for label, url in targets:
        for fmt, path in (("csv", feb), ("xlsx", feb_xlsx)):
            if label.startswith("postgresql") and not label.endswith(fmt):
                continue
            db = _store(url, work / f"home-{label}-{fmt}")
            import_enterprises(db, work / "in/enterprises.csv")
            assert import_file(db, jan).status == "stored"
            t0 = time.perf_counter()
            res = import_file(db, path)
            dt = time.perf_counter() - t0
            results[(label.split("-")[0], fmt)] = dt
            print(
                f"{label.split('-')[0]:<16}{fmt:<8}{dt:>10.2f}{rows / dt:>12,.0f}  {res.status}, "
                f"{res.new_reports:,} stored, {len(res.warnings)} warnings"
            )
            db.dispose()
    ok = results[("sqlite", "csv")] < 5.0
    print(
        f"goal: CSV month on SQLite under 5 s -> {'met' if ok else 'NOT met'} ({results[('sqlite', 'csv')]:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
