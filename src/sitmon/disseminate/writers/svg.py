"""Charts as SVG written here, for HTML and PDF reports.

Why SVG by hand rather than matplotlib or ECharts: the charts of a bulletin are three simple ones (a line, grouped
bars); SVG text stays text, set in the document's own fonts (Noto CJK, embedded in the PDF by WeasyPrint and
searchable with pdftotext), with no browser, no network and no plotting library to import (which would cost a
second of the five the bulletin may take). Values arrive already published (disclosure control applied); a
missing value is no point and no bar.
"""

from __future__ import annotations

import math
from html import escape

from .document import Chart

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 36, 48
COLOURS = ("#1f5c99", "#e08a2e", "#4f9a5b", "#a33d3d")


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    return [start + i * step for i in range(int(math.ceil((hi - start) / step)) + 1)]


def _label(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.1f}"


def render(chart: Chart, lang: str = "zh") -> str:
    """``chart`` as an inline SVG element (a string) with its title, axes, legend and values, in ``lang``."""
    pick = 0 if lang == "zh" else 1
    values = [v for _, vs in chart.series for v in vs if v is not None]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(chart.title[pick])}">',
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" class="chart-title">{escape(chart.title[pick])}</text>',
    ]
    if not values:
        out.append("</svg>")
        return "".join(out)
    lo = min(0.0, *values) if chart.kind == "bar" else min(values)
    hi = max(values)
    if chart.kind == "line":
        pad = max((hi - lo) * 0.15, 0.5)
        lo, hi = lo - pad, hi + pad
    ticks = _ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]

    def y(v: float) -> float:
        return TOP + plot_h - (v - lo) / (hi - lo) * plot_h

    for t in ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end" class="tick">{_label(t)}</text>'
        )
    n = max(1, len(chart.categories))
    band = plot_w / n
    for i, c in enumerate(chart.categories):
        out.append(
            f'<text x="{LEFT + band * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'class="tick">{escape(c[pick])}</text>'
        )
    k = len(chart.series)
    for s, (name, vs) in enumerate(chart.series):
        colour = COLOURS[s % len(COLOURS)]
        if chart.kind == "line":
            pts = [(LEFT + band * (i + 0.5), y(v)) for i, v in enumerate(vs) if v is not None]
            if len(pts) > 1:
                out.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
                    + " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
                    + '"/>'
                )
            for (a, b), shown in zip(pts, [v for v in vs if v is not None], strict=True):
                out.append(
                    f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/><text x="{a:.1f}" '
                    f'y="{b - 7:.1f}" text-anchor="middle" class="value">{_label(shown)}</text>'
                )
        else:
            w = band * 0.7 / k
            for i, v in enumerate(vs):
                if v is None:
                    continue
                x0 = LEFT + band * i + band * 0.15 + s * w
                top, base = y(max(v, 0)), y(min(v, 0))
                out.append(
                    f'<rect x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{max(base - top, 0.5):.1f}" '
                    f'fill="{colour}"/><text x="{x0 + w / 2:.1f}" y="{top - 3:.1f}" text-anchor="middle" '
                    f'class="value">{_label(v)}</text>'
                )
        lx = LEFT + s * 150
        out.append(
            f'<rect x="{lx}" y="{HEIGHT - 18}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{HEIGHT - 9}" class="legend">{escape(name[pick])}</text>'
        )
    unit = chart.unit[pick]
    if unit:
        out.append(f'<text x="{LEFT - 6}" y="{TOP - 8}" text-anchor="end" class="tick">{escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)
