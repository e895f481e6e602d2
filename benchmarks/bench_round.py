"""What the monthly round (issue 14) costs: the intake with growth outliers judged against the store, one report
filed alone, and publishing through the guard (preview, revision notice), before and after, in one run.

The "before" side is the code of a base commit, checked out with ``git worktree`` into a temporary folder and
imported instead of ``src/`` (same interpreter, same libraries); the "after" side is this checkout. Each side builds
its own data directory from the same synthetic population (generated once): the registry, February 2023 and January
2024 imported through the real intake, then

- ``import month``: February 2024, the national month (before: outliers among the file's rows; after: among the
  file's rows and the stored reports of the period, year on year and month on month);
- ``import one``: one enterprise's revised February filed alone (before: no peers, no outlier check; after: judged
  against every stored report of the period);
- ``publish``: February's first release (after: through the guard — preview — and with its revision notice);
- ``republish``: February's second release, after one revision (after: the preview's largest revisions and the
  notice against release 1 as well).

    .venv/bin/python benchmarks/bench_round.py [--enterprises 10000] [--base main]

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
import csv, json, sys, time
from datetime import date
from pathlib import Path
from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.process.publish import publish
from sitmon.process.review import accept_period
from sitmon.store.db import Database

try:  # this branch: publishing goes through the guard
    from sitmon.process.publish_guard import GuardPolicy, publish_guarded
    def publish_it(db, period):
        return publish_guarded(db, period, policy=GuardPolicy(0.0, force=True, reason="benchmark")).release
except ImportError:
    publish_it = publish

def accept_all(db, period):
    done = accept_period(db, period)
    skipped = getattr(done, "skipped", [])
    if skipped:
        from sitmon.process.review import accept_reports
        accept_reports(db, [s.id for s in skipped], "benchmark")

gen, home = Path(sys.argv[1]), Path(sys.argv[2])
db = Database(Settings(home=home))
db.upgrade()
assert import_enterprises(db, gen / "enterprises.csv").status == "stored"
today = date(2026, 11, 22)
for name in ("2023-02", "2024-01"):
    assert import_file(db, gen / "reports" / f"synthetic-monthly-{name}.csv", today=today).status == "stored"
feb = gen / "reports" / "synthetic-monthly-2024-02.csv"
t = time.perf_counter(); res = import_file(db, feb, today=today); t_month = time.perf_counter() - t
assert res.status == "stored", res.errors[:3]
rows = list(csv.DictReader(feb.open(encoding="utf-8")))
one = dict(rows[7]); one["revenue_total"] = f"{float(one['revenue_total']) + 50:.2f}"
one["revenue_it_services"] = f"{float(one['revenue_it_services']) + 50:.2f}"; one["note"] = "更正"
alone = home / "one.csv"
with alone.open("w", newline="", encoding="utf-8") as fh:
    w = csv.DictWriter(fh, fieldnames=list(one)); w.writeheader(); w.writerow(one)
accept_all(db, "2024-01"); accept_all(db, "2024-02")
publish_it(db, "2024-01")
t = time.perf_counter(); publish_it(db, "2024-02"); t_publish = time.perf_counter() - t
t = time.perf_counter(); res1 = import_file(db, alone, today=today); t_one = time.perf_counter() - t
assert res1.status == "stored", res1.errors
accept_all(db, "2024-02")
t = time.perf_counter(); publish_it(db, "2024-02"); t_republish = time.perf_counter() - t
print(json.dumps({"import month": t_month, "import one": t_one, "publish": t_publish, "republish": t_republish,
                  "rows": res.rows, "warnings": len(res.warnings)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--enterprises", type=int, default=10_000)
    ap.add_argument("--base", default="main", help="the commit of the 'before' side (default: main)")
    args = ap.parse_args()
    from sitmon.collect.synthetic import simulate, write

    with tempfile.TemporaryDirectory(prefix="sitmon-bench-round-") as tmp:
        tmp_path = Path(tmp)
        gen = tmp_path / "gen"
        write(simulate(args.enterprises, 2023, 2024, seed=7, missing_rate=0.04), gen, annual=False)
        before, after = before_and_after(SIDE, gen, tmp_path, args.base)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(
        f"{args.enterprises:,} synthetic enterprises, February 2024 ({after['rows']:,} rows; warnings before "
        f"{before['warnings']:,}, after {after['warnings']:,}); load: {load}"
    )
    print(f"{'':14}{'before':>12}{'after':>12}{'after/before':>14}")
    for key in ("import month", "import one", "publish", "republish"):
        b, a = before[key], after[key]
        print(f"{key:14}{b * 1000:>10.1f}ms{a * 1000:>10.1f}ms{a / b:>14.2f}")


if __name__ == "__main__":
    main()
