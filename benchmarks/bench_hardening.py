"""What the hardening costs: publish time, public-table latency (and import time, with the SQLite DB now
flushed at every commit) before and after, in one run.

The "before" side is the code of a base commit, checked out with ``git worktree`` into a temporary folder and
imported instead of ``src/`` (same interpreter, same libraries); the "after" side is this checkout. Each side
builds its own data directory from the same synthetic population (generated once): the registry and two months
imported through the real intake, accepted, then

- ``import``: the second month's file (seconds, median of ``--repeat`` fresh imports is not possible — one run);
- ``publish``: publishing the second month (imputation included; after: lock, staging, fsync, recovery scan);
- ``public cold``: the first public table of the month (the disclosure pattern is computed and stored);
- ``public warm``: the same table again, median of 20 calls.

    .venv/bin/python benchmarks/bench_hardening.py [--enterprises 10000] [--base main]

Figures depend on the machine's load: ``uptime`` is printed beside them.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from before_after import before_and_after

ROOT = Path(__file__).resolve().parents[1]
SIDE = r"""
import json, statistics, sys, time
from datetime import date
from pathlib import Path
from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.disseminate.tables import published_table
from sitmon.process.publish import publish
from sitmon.process.review import accept_period
from sitmon.store.db import Database

gen, home = Path(sys.argv[1]), Path(sys.argv[2])
settings = Settings(home=home)
db = Database(settings)
db.upgrade()
assert import_enterprises(db, gen / "enterprises.csv").status == "stored"
jan, feb = sorted((gen / "reports").glob("synthetic-monthly-2024-0[12].csv"))
today = date(2026, 11, 22)
assert import_file(db, jan, today=today).status == "stored"
t = time.perf_counter(); res = import_file(db, feb, today=today); t_import = time.perf_counter() - t
assert res.status == "stored", res.errors[:3]
accept_period(db, "2024-01"); accept_period(db, "2024-02")
publish(db, "2024-01")
t = time.perf_counter(); publish(db, "2024-02"); t_publish = time.perf_counter() - t
t = time.perf_counter(); published_table(settings, "revenue_total", ["region"], "2024-02", public=True)
t_cold = time.perf_counter() - t
warm = []
for _ in range(20):
    t = time.perf_counter(); published_table(settings, "revenue_total", ["region"], "2024-02", public=True)
    warm.append(time.perf_counter() - t)
print(json.dumps({"import": t_import, "publish": t_publish, "public cold": t_cold,
                  "public warm": statistics.median(warm), "rows": res.rows}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--enterprises", type=int, default=10_000)
    ap.add_argument("--base", default="main", help="the commit of the 'before' side (default: main)")
    args = ap.parse_args()
    from sitmon.collect.synthetic import simulate, write

    with tempfile.TemporaryDirectory(prefix="sitmon-bench-hardening-") as tmp:
        tmp_path = Path(tmp)
        gen = tmp_path / "gen"
        write(simulate(args.enterprises, 2023, 2024, seed=7, missing_rate=0.04), gen, annual=False)
        before, after = before_and_after(SIDE, gen, tmp_path, args.base)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{args.enterprises:,} synthetic enterprises, February 2024 ({after['rows']:,} rows); load: {load}")
    print(f"{'':14}{'before':>12}{'after':>12}{'after/before':>14}")
    for key in ("import", "publish", "public cold", "public warm"):
        b, a = before[key], after[key]
        print(f"{key:14}{b * 1000:>10.1f}ms{a * 1000:>10.1f}ms{a / b:>14.2f}")


if __name__ == "__main__":
    main()
