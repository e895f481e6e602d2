"""Peak memory of the intake before and after the hardening: a valid year of monthly reports in one file (about
235,000 rows for 20,000 enterprises) stored, and a 1,000,000-row file (refused after, read whole before).

Each import runs in a fresh process; its peak resident memory comes from ``resource.getrusage``. The "before"
side is the code of a base commit (``git worktree``), the "after" side this checkout — same interpreter, same
libraries, same files, in one run.

    .venv/bin/python benchmarks/bench_intake_memory.py [--enterprises 20000] [--base main]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP = """
import sys
from pathlib import Path
from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.store.db import Database
db = Database(Settings(home=Path(sys.argv[1])))
db.upgrade()
assert import_enterprises(db, Path(sys.argv[2])).status == "stored"
"""
MEASURE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from sitmon.collect.intake import import_file
from sitmon.config import Settings
from sitmon.store.db import Database
db = Database(Settings(home=Path(sys.argv[1])))
t = time.perf_counter()
res = import_file(db, Path(sys.argv[2]), today=date(2026, 11, 22))
print(json.dumps({"status": res.status, "seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(src: Path, script: str, *args: str) -> dict:
    """Run ``script`` with the package of ``src``; its JSON line (or the error)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=3600
    )
    if out.returncode != 0:
        return {
            "status": "crashed",
            "seconds": float("nan"),
            "peak_mb": float("nan"),
            "error": out.stderr[-300:],
        }
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--enterprises", type=int, default=20_000)
    ap.add_argument("--base", default="main", help="the commit of the 'before' side (default: main)")
    args = ap.parse_args()
    from sitmon.collect.synthetic import simulate, write

    with tempfile.TemporaryDirectory(prefix="sitmon-bench-memory-") as tmp:
        tmp_path = Path(tmp)
        gen = tmp_path / "gen"
        write(simulate(args.enterprises, 2024, 2024, seed=5, missing_rate=0.02), gen, annual=False)
        year = tmp_path / "year.csv"
        lines: list[bytes] = []
        for i, f in enumerate(sorted((gen / "reports").glob("synthetic-monthly-*.csv"))):
            part = f.read_bytes().splitlines(keepends=True)
            lines += part if i == 0 else part[1:]
        year.write_bytes(b"".join(lines))
        million = tmp_path / "million.csv"
        with million.open("wb") as out:
            out.write(lines[0])
            n = 0
            while n < 1_000_000:
                chunk = lines[1 : 1 + min(len(lines) - 1, 1_000_000 - n)]
                out.writelines(chunk)
                n += len(chunk)
        base = tmp_path / "base"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.base],
            check=True,
            capture_output=True,
        )
        results = {}
        try:
            for side, src in (("before", base / "src"), ("after", ROOT / "src")):
                for name, path in (("valid year", year), ("1M rows", million)):
                    home = tmp_path / f"home-{side}-{name.replace(' ', '-')}"
                    run(src, SETUP, str(home), str(gen / "enterprises.csv"))
                    results[(side, name)] = run(src, MEASURE, str(home), str(path))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], capture_output=True
            )
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(
        f"valid year: {len(lines) - 1:,} rows; 1M rows: 1,000,000 rows; {time.strftime('%Y-%m-%d')}; load: {load}"
    )
    print(f"{'':12}{'before':>28}{'after':>28}")
    for name in ("valid year", "1M rows"):
        b, a = results[("before", name)], results[("after", name)]
        cell = lambda r: f"{r['status']} {r['peak_mb']:,.0f} MB {r['seconds']:.1f} s"  # noqa: E731
        print(f"{name:12}{cell(b):>28}{cell(a):>28}")


if __name__ == "__main__":
    main()
