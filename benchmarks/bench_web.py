"""Benchmark: the web pages in Debian's Chromium over loopback, on the 40,000-enterprise demo.

The data directory is made once by ``sitmon demo --enterprises 40000 --no-serve`` (kept in
``benchmarks/.data/demo-40000``); ``sitmon serve`` is started on 127.0.0.1 with anonymous reading on, and the
overview and the map are loaded once first (the first load of a release computes and stores its disclosure
patterns; the script prints how long that took). Then each page is loaded ``--runs`` times in a fresh browser
context (an empty cache: what a first visit costs) and once more in the same context (what a return visit
costs). Printed per page: time to first contentful paint, time to the rendered map (ECharts' ``finished``
event; the map page), bytes transferred and the bytes of all assets (page weight) — side by side with the
strongest alternative: the same map and figures as a static HTML file with the data inlined, served by
Python's ``http.server`` (no application code at all), with the ratio. Goal: under 1 s to a rendered map.

    .venv/bin/python benchmarks/bench_web.py [--enterprises 40000] [--runs 5] [--home DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".data"
SITMON = str(Path(sys.executable).parent / "sitmon")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
METRICS_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const map = performance.getEntriesByName('map-rendered')[0];
  return {fcp: fcp ? fcp.startTime : null, map: map ? map.startTime : null,
          transferred: nav.transferSize + res.reduce((a, r) => a + r.transferSize, 0),
          decoded: nav.decodedBodySize + res.reduce((a, r) => a + r.decodedBodySize, 0),
          encoded: nav.encodedBodySize + res.reduce((a, r) => a + r.encodedBodySize, 0), files: res.length + 1};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_home(n: int) -> Path:
    """The demo's data directory for ``n`` enterprises (made on the first run)."""
    home = CACHE / f"demo-{n}"
    if not (home / "demo-input" / "manifest.json").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [SITMON, "demo", "--enterprises", str(n), "--no-serve"],
            check=True,
            env={**os.environ, "SITMON_HOME": str(home)},
            stdout=subprocess.DEVNULL,
        )
        print(f"  demo of {n:,} enterprises built in {time.perf_counter() - t0:.0f} s -> {home}")
    return home


def start(cmd: list[str], env: dict[str, str], url: str, log: Path) -> subprocess.Popen:
    """Start a server and wait (bounded) until ``url`` answers."""
    proc = subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit(log.read_text())
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"{url} did not answer")


def static_alternative(base: str, folder: Path) -> Path:
    """The map page as one static HTML file with the data and the map inlined (same ECharts, same map file,
    same figures), plus ECharts itself: what a hand-made static page would cost."""
    folder.mkdir(parents=True, exist_ok=True)
    page = httpx.get(base + "/map").text
    data = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S).group(1)
    geo = httpx.get(base + "/map/china.json").text
    vendor = ROOT / "src/sitmon/disseminate/web/static/vendor/echarts/echarts.min.js"
    shutil.copy(vendor, folder / "echarts.min.js")
    (folder / "map.html").write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"><title>map</title></head>
<body><div id="m" style="width:1200px;height:560px"></div><script src="echarts.min.js"></script><script>
var d = {data}; var geo = {geo};
echarts.registerMap('china', geo);
var c = echarts.init(document.getElementById('m'));
c.on('finished', function () {{ if (!window.done) {{ window.done = 1; performance.mark('map-rendered'); }} }});
c.setOption({{animation: false, series: [{{type: 'map', map: 'china', data: d.rows.map(function (r) {{
  return {{name: r.code, value: r.value, itemStyle: {{areaColor: r.status === 'value' ? '#6b9fd1' : '#ccc'}}}}; }})}}]}});
</script></body></html>""",
        encoding="utf-8",
    )
    return folder


def measure(browser, url: str, wait_map: bool, runs: int) -> dict:
    """Cold loads (fresh context each) and one warm reload; medians in ms and bytes."""
    cold = []
    warm = None
    for i in range(runs):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(url, wait_until="load")
        if wait_map:
            page.wait_for_function("performance.getEntriesByName('map-rendered').length > 0", timeout=120_000)
        cold.append(page.evaluate(METRICS_JS))
        if i == runs - 1:
            page.goto(url, wait_until="load")
            if wait_map:
                page.wait_for_function(
                    "performance.getEntriesByName('map-rendered').length > 0", timeout=120_000
                )
            warm = page.evaluate(METRICS_JS)
        ctx.close()
    med = {k: statistics.median([c[k] for c in cold if c[k] is not None] or [float("nan")]) for k in cold[0]}
    return {"cold": med, "warm": warm}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--enterprises", type=int, default=40000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--home", type=Path, default=None, help="an existing data directory instead of the demo's"
    )
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    home = args.home or demo_home(args.enterprises)
    port, static_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SITMON_HOME": str(home), "SITMON_PUBLIC_READ": "true"}
    server = start(
        [SITMON, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env,
        base + "/api/v1/",
        CACHE / "bench_web-server.log",
    )
    static = None
    try:
        t0 = time.perf_counter()
        httpx.get(base + "/", timeout=3600)
        httpx.get(base + "/map", timeout=3600)
        print(
            f"first load of the overview and the map (computes the disclosure patterns not stored yet): "
            f"{time.perf_counter() - t0:.1f} s"
        )
        folder = static_alternative(base, CACHE / "bench_web-static")
        static = start(
            [
                sys.executable,
                "-m",
                "http.server",
                str(static_port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(folder),
            ],
            os.environ.copy(),
            f"http://127.0.0.1:{static_port}/map.html",
            CACHE / "bench_web-static.log",
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            results = {
                "overview": measure(browser, base + "/", False, args.runs),
                "map": measure(browser, base + "/map", True, args.runs),
                "static map (alternative)": measure(
                    browser, f"http://127.0.0.1:{static_port}/map.html", True, args.runs
                ),
            }
            browser.close()
        load = os.getloadavg()
        size = f"data directory {home}" if args.home else f"{args.enterprises:,} enterprises"
        print(
            f"\n{size}, {args.runs} cold loads each (median), Chromium "
            f"{'headless'}, loopback; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores)"
        )
        print(
            f"{'page':<26}{'FCP ms':>9}{'map ms':>9}{'sent KB':>10}{'assets KB':>11}{'files':>7}"
            f"{'return visit KB':>17}"
        )
        for name, r in results.items():
            c, w = r["cold"], r["warm"]
            print(
                f"{name:<26}{c['fcp']:>9.0f}{c['map']:>9.0f}{c['transferred'] / 1024:>10.0f}"
                f"{c['decoded'] / 1024:>11.0f}{c['files']:>7.0f}{w['transferred'] / 1024:>17.1f}"
            )
        m, s = results["map"]["cold"]["map"], results["static map (alternative)"]["cold"]["map"]
        print(
            f"\nrendered map: sitmon {m:.0f} ms, static page {s:.0f} ms, ratio {m / s:.2f}; goal < 1000 ms: "
            f"{'met' if m < 1000 else 'NOT met'}"
        )
        ov = results["overview"]["cold"]["decoded"] / 1024 / 1024
        print(
            f"overview page weight {ov:.2f} MB of assets on first load (goal < 1.5 MB: "
            f"{'met' if ov < 1.5 else 'NOT met'}); return visit sends "
            f"{results['overview']['warm']['transferred'] / 1024:.1f} KB"
        )
    finally:
        for proc in (server, static):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
