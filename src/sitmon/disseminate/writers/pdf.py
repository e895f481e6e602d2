"""PDF through WeasyPrint from the HTML of :mod:`.html`: A4 pages, the banner (synthetic data) at the top of every
page, page numbers, Chinese in Noto CJK (Debian fonts-noto-cjk) embedded as a subset, charts as vector graphics.
Nothing is fetched: the page has no external resource and URLs are refused."""

from __future__ import annotations

from typing import Any, BinaryIO

from .document import Document, Report
from .html import render


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"reports load nothing from outside: {url[:80]}")


def write(doc: Document | Report, out: BinaryIO) -> None:
    """Write ``doc`` as a PDF onto ``out``."""
    from weasyprint import HTML

    HTML(string=render(doc), url_fetcher=_no_fetch).write_pdf(out)
