"""Benchmark: the published-aggregate endpoint of the HTTP API under 20 concurrent clients on loopback.

The 40,000-enterprise releases (2 years of months) are written straight into the warehouse from the
generator, as in ``bench_analyse.py``; ``sitmon serve`` is started on 127.0.0.1 with anonymous reading on;
20 clients (asyncio, one keep-alive connection each) send a fixed number of requests cycling over a set of
bulletin queries (national, by macro region, province, sector, region × sector; level, single month, YoY,
comparable YoY, share). Every query is sent once first (cold: computed and cached), then 20 requests per client
warm the connections, then the timed run starts. It stops after ``--requests`` requests or ``--time-limit``
seconds, whichever comes first.

    .venv/bin/python benchmarks/bench_api.py [--clients 20] [--requests 6000] [--time-limit 120] [--endpoint public]

``--endpoint confidential`` measures ``/api/v1/aggregates/confidential`` with an analyst token instead (the same
cache and rendering, plus a token check in the DB on every request). The first public query of a release also
computes and stores the release's disclosure pattern; the script prints how long that took.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_analyse import build

from sitmon.config import Settings
from sitmon.security import Conflict
from sitmon.security.tokens import create_token
from sitmon.security.users import add_user
from sitmon.store.db import Database

PERIOD = "2024-06"
QUERIES = [
    {"by": by, "measure": m}
    for by in ([], ["region"], ["province"], ["sector"], ["region", "sector"])
    for m in ("level", "month", "yoy", "yoy_comparable", "share")
]
FAST = {"SITMON_ARGON2_TIME_COST": "1", "SITMON_ARGON2_MEMORY_KIB": "64", "SITMON_ARGON2_PARALLELISM": "1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def path_of(endpoint: str, q: dict) -> str:
    params = [("indicator", "revenue_total"), ("period", PERIOD), ("measure", q["measure"])]
    params += [("by", b) for b in q["by"]]
    return f"/api/v1/{endpoint}?{urlencode(params)}"


class Connection:
    """One keep-alive HTTP/1.1 connection (a minimal client, so the client costs little CPU next to the server)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.extra}\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next(
            int(v) for k, _, v in (ln.partition(":") for ln in lines[1:]) if k.lower() == "content-length"
        )
        body = await self.reader.readexactly(length)
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_clients(
    port: int, headers: dict[str, str], paths: list[str], clients: int, total: int, time_limit: float
) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))
    deadline = time.perf_counter() + time_limit

    async def client(i: int) -> None:
        nonlocal errors
        conn = Connection(port, headers)
        try:
            for n in counter:
                if time.perf_counter() > deadline:
                    break
                t0 = time.perf_counter()
                status, _ = await conn.get(paths[(n + i) % len(paths)])
                latencies.append(time.perf_counter() - t0)
                errors += status != 200
        finally:
            conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, time.perf_counter() - t0, errors


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=40000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=6000)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument(
        "--endpoint",
        choices=["public", "confidential"],
        default="public",
        help="public: anonymous GET /aggregates; confidential: /aggregates/confidential as an analyst",
    )
    args = ap.parse_args()

    settings, _ = build(args.enterprises, 2)
    settings = Settings(home=settings.home, database_url=f"sqlite:///{settings.home / 'bench-api.db'}")
    db = Database(settings)
    db.upgrade()
    fast = settings.model_copy(
        update={"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}
    )
    with contextlib.suppress(Conflict):  # a second run reuses the user
        add_user(db, fast, "bench_analyst", "benchmark passphrase", "analyst")
    token = create_token(db, "bench_analyst", "bench").token
    db.dispose()

    port = free_port()
    env = {
        **os.environ,
        **FAST,
        "SITMON_HOME": str(settings.home),
        "SITMON_DATABASE_URL": settings.database_url or "",
        "SITMON_PUBLIC_READ": "true",
        "SITMON_SECRET_KEY": "b" * 48,
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "sitmon"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        endpoint, headers = "aggregates", {}
        if args.endpoint == "confidential":
            endpoint, headers = "aggregates/confidential", {"Authorization": f"Bearer {token}"}
        else:
            t0 = time.perf_counter()
            status, body = asyncio.run(Connection(port, {}).get(path_of(endpoint, QUERIES[0])))
            first = time.perf_counter() - t0
            if status != 200:
                reason = json.loads(body)["error"]["message"]
                print(f"GET /api/v1/aggregates answered {status} ({reason}):")
                print(
                    "  measuring /api/v1/aggregates/confidential with an analyst token instead (no disclosure "
                    "control)"
                )
                endpoint, headers = "aggregates/confidential", {"Authorization": f"Bearer {token}"}
            else:
                print(
                    f"first public query: {first * 1000:.0f} ms (includes the release's disclosure pattern, "
                    "computed once and stored unless it was already)"
                )
        paths = [path_of(endpoint, q) for q in QUERIES]

        async def cold() -> list[float]:
            conn, out = Connection(port, headers), []
            for p in paths:
                t0 = time.perf_counter()
                status, body = await conn.get(p)
                assert status == 200, body[:300]
                out.append(time.perf_counter() - t0)
            conn.close()
            return out

        cold_times = asyncio.run(cold())
        print(
            f"{args.enterprises:,} enterprises × 24 months; {len(paths)} distinct queries of {PERIOD}; "
            "one server process"
        )
        print(
            f"cold (computed, then cached): median {statistics.median(cold_times) * 1000:.0f} ms, "
            f"max {max(cold_times) * 1000:.0f} ms"
        )
        asyncio.run(
            run_clients(port, headers, paths, args.clients, 20 * args.clients, args.time_limit)
        )  # warm-up
        lat, wall, errors = asyncio.run(
            run_clients(port, headers, paths, args.clients, args.requests, args.time_limit)
        )
        print(
            f"{args.clients} concurrent clients, {len(lat):,} requests in {wall:.1f} s "
            f"({len(lat) / wall:,.0f} requests/s), non-200: {errors}"
        )
        print(
            f"latency ms: p50 {pct(lat, 50):.1f}  p95 {pct(lat, 95):.1f}  p99 {pct(lat, 99):.1f}  "
            f"max {max(lat) * 1000:.1f}"
        )
        print(
            f"goal: p95 < 50 ms — {'met' if pct(lat, 95) < 50 else 'NOT met'} (endpoint /api/v1/{endpoint})"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
