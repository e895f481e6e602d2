"""HTML: a report (a bulletin: sections, paragraphs, charts as inline SVG, tables) or a single table, as one
self-contained page (its stylesheet inline, no script, nothing loaded from the network). Text is escaped; a
suppressed cell shows the mark explained under its table."""

from __future__ import annotations

from functools import cache
from html import escape
from importlib import resources
from typing import Any, BinaryIO

from .document import Document, Report, Section
from .svg import render as render_svg


@cache
def _template() -> Any:
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(resources.files(__package__).joinpath("templates/report.html").read_text("utf-8"))


@cache
def stylesheet() -> str:
    """The reports' CSS (screen and A4 print)."""
    return resources.files(__package__).joinpath("templates/report.css").read_text("utf-8")


def table_html(doc: Document) -> str:
    """``doc`` as an HTML table with its title as caption and its notes under it."""
    head = "".join(f"<th>{escape(doc.header(c))}</th>" for c in doc.columns)
    body = []
    for i, row in enumerate(doc.rows):
        cells = []
        for c in doc.columns:
            v = doc.shown(c, row.get(c.key))
            if isinstance(v, float) and c.decimals is not None:
                v = f"{v:,.{c.decimals}f}"
            cls = ' class="number"' if c.kind == "number" else ""
            cells.append(f"<td{cls}>{'' if v is None else escape(str(v))}</td>")
        total = ' class="total"' if i < doc.total_rows else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    notes = "".join(f"<p>{escape(doc.text(n))}</p>" for n in doc.notes)
    return (
        f"<table><caption>{escape(doc.text(doc.title))}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>" + (f'<div class="notes">{notes}</div>' if notes else "")
    )


def as_report(doc: Document | Report) -> Report:
    """A report as it is; a table as a report of one section."""
    if isinstance(doc, Report):
        return doc
    return Report(
        title=doc.title,
        subtitle=("", ""),
        sections=[Section(("", ""), tables=[doc])],
        name=doc.name,
        lang=doc.lang,
        meta=doc.meta,
    )


def render(doc: Document | Report) -> str:
    """The page of ``doc`` as HTML text."""
    report = as_report(doc)
    return str(
        _template().render(
            report=report,
            t=report.text,
            css=stylesheet(),
            svg=lambda chart: render_svg(chart, report.lang),
            html_table=table_html,
        )
    )


def write(doc: Document | Report, out: BinaryIO) -> None:
    """Write ``doc`` as an HTML page (UTF-8) onto ``out``."""
    out.write(render(doc).encode("utf-8"))
