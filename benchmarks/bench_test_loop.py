"""How long the test loops take: the fast loop (`pytest -m "not slow"`) beside the whole suite
(`scripts/test.sh`: ruff, mypy, pytest on SQLite + PostgreSQL + Spark + live server), wall and CPU seconds,
with the machine's load printed beside them (shared machines make wall time noisy; CPU time is steadier).

    .venv/bin/python benchmarks/bench_test_loop.py            # both
    .venv/bin/python benchmarks/bench_test_loop.py --fast     # the fast loop only
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_FAST_S = 30.0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run(name: str, cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd`` in the repository; returns (wall seconds, CPU seconds of it and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = [line for line in res.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
    print(
        f"{name:<12} wall {wall:7.1f} s   cpu {cpu:7.1f} s   exit {res.returncode}   {last[0]}   load {_load()}"
    )
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-4000:] + res.stderr[-4000:])
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fast", action="store_true", help="time the fast loop only")
    args = ap.parse_args()
    print(f"load before: {_load()} ({os.cpu_count()} cores)")
    fast = run(
        "fast loop", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow"]
    )
    print(
        f"goal: fast loop under {GOAL_FAST_S:.0f} s -> {'met' if fast[0] < GOAL_FAST_S else 'NOT met'} (wall)"
    )
    if not args.fast:
        full = run("full suite", ["scripts/test.sh", "-q", "-p", "no:cacheprovider"])
        print(f"fast / full: wall {fast[0] / full[0]:.2f}, cpu {fast[1] / full[1]:.2f}")


if __name__ == "__main__":
    main()
