"""Benchmark: one monthly bulletin (June of the last year) in all three formats — HTML, PDF, XLSX — on the
40,000-enterprise synthetic warehouse of ``bench_tables.py`` (releases with their materialised aggregates).

It prints, best of N:
- the figures of the bulletin (every one from the published-table function with disclosure control) and the
  paragraphs and tables written from them;
- each format rendered from them, and the three together (the goal: under 5 s for all three);
- the same PDF printed by headless Chromium (Playwright, Debian's chromium) from the same HTML: the strongest
  alternative to WeasyPrint on this machine, with the ratio;
- the open data of the same period as SDMX-ML and SDMX-CSV.

The disclosure patterns of the releases a bulletin reads are computed first, as publishing stores them (issue 12),
and timed apart; the first bulletin after that is printed as "cold" (cubes and patterns read from disk).

    .venv/bin/python benchmarks/bench_bulletin.py [--size 40000] [--repeat 3] [--no-chromium]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_tables import PERIOD, build  # noqa: E402

from sitmon.disseminate.bulletins import bulletin, bulletin_bytes  # noqa: E402
from sitmon.disseminate.sdmx import open_data  # noqa: E402
from sitmon.disseminate.writers import writer_for  # noqa: E402
from sitmon.disseminate.writers.html import render  # noqa: E402


def best(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """The best wall time of ``repeat`` calls of ``fn`` (seconds) and its last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


SPENT = {"disclosure": 0.0}


def _time_disclosure() -> None:
    """Count the time spent reading disclosure flags (stored patterns, or computed on demand before issue 12)."""
    from sitmon.disseminate import disclosure

    Disclosure = getattr(disclosure, "Disclosure", None)
    inner = getattr(Disclosure, "table_flags", None)
    if inner is None:  # the reading of stored patterns has moved: nothing to count
        return

    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return inner(self, *args, **kwargs)
        finally:
            SPENT["disclosure"] += time.perf_counter() - t0

    Disclosure.table_flags = timed  # type: ignore[method-assign]


def chromium_pdf(html: str) -> float:
    """Seconds for headless Chromium to print ``html`` to PDF (browser start excluded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            page.set_content(html)
            page.pdf(format="A4")
            times.append(time.perf_counter() - t0)
        browser.close()
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=40000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-chromium", action="store_true")
    a = ap.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")
    settings = build(a.size)
    _time_disclosure()
    from sitmon.process.disclosure import ensure_patterns

    t0 = time.perf_counter()
    for period in ("2023-06", PERIOD):  # each with the earlier months of its year
        ensure_patterns(settings, "monthly", period)
    print(
        f"patterns of 2023-01..06 and 2024-01..06 (what publishing stores, once): {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    bulletin(settings, PERIOD, lang="zh")
    print(f"cold: first bulletin (cubes and patterns read from disk): {time.perf_counter() - t0:.1f} s")
    SPENT["disclosure"] = 0.0
    t_data, report = best(lambda: bulletin(settings, PERIOD, lang="zh"), a.repeat)
    print(f"{a.size:,} enterprises, bulletin {PERIOD} (zh)")
    print(
        f"  figures + paragraphs + tables : {t_data:6.2f} s  (of which disclosure flags, mean per pass: "
        f"{SPENT['disclosure'] / a.repeat:.2f} s)"
    )
    total = t_data
    for fmt in ("html", "pdf", "xlsx"):
        t, body = best(lambda fmt=fmt: bulletin_bytes(report, fmt), a.repeat)  # type: ignore[misc]
        total += t
        print(f"  {fmt:5s} rendering              : {t:6.2f} s  ({len(body) / 1024:,.0f} KiB)")  # type: ignore[arg-type]
    print(
        f"  all three formats (one figure pass + three renderings): {total:.2f} s   goal < 5 s: "
        f"{'met' if total < 5 else 'NOT met'}"
    )
    if not a.no_chromium and Path("/usr/bin/chromium").exists():
        html = render(report)
        t_weasy, _ = best(lambda: bulletin_bytes(report, "pdf"), a.repeat)
        t_chrome = chromium_pdf(html)
        print(
            f"  PDF: WeasyPrint {t_weasy:.2f} s vs headless Chromium {t_chrome:.2f} s (browser already started); "
            f"ratio {t_weasy / t_chrome:.2f}"
        )
    t_open, doc = best(lambda: open_data(settings, PERIOD), a.repeat)
    print(f"  open data (every published cell): {t_open:.2f} s, {len(doc.rows):,} observations")  # type: ignore[attr-defined]
    for fmt in ("sdmx-ml", "sdmx-csv"):
        t, body = best(lambda fmt=fmt: writer_for(fmt).to_bytes(doc), a.repeat)  # type: ignore[misc,arg-type]
        print(f"  {fmt:8s} writing: {t:.2f} s ({len(body) / 1024:,.0f} KiB)")  # type: ignore[arg-type]
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")


if __name__ == "__main__":
    main()
