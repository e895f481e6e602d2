"""Benchmark: how long the ``sitmon`` command takes to start when it touches no data (help pages, the version),
as a person typing it sees it (a new process each time). Goal: under 0.5 s. Besides the wall-clock time it prints
the CPU time of the process (user + system), which a busy machine does not inflate.

    .venv/bin/python benchmarks/bench_cli_start.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SITMON = Path(sys.executable).with_name("sitmon")
COMMANDS = (
    ["--help"],
    ["query", "--help"],
    ["publish", "--help"],
    ["plans", "status", "--help"],
    ["version"],
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(
        f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; {args.repeat} runs each; goal < 0.5 s"
    )
    bare = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - t0)
    print(f"  {'python -c pass (the floor)':<32} median {statistics.median(bare):.3f} s")
    for cmd in COMMANDS:
        times, cpu = [], []
        for _ in range(args.repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([str(SITMON), *cmd], check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(
            f"  sitmon {' '.join(cmd):<25} median {statistics.median(times):.3f} s wall, "
            f"{statistics.median(cpu):.3f} s CPU; max {max(times):.3f} s wall"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
