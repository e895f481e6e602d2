"""Operations bulletins (运行情况通报) of a release, in Chinese or English, as HTML, PDF or XLSX.

:func:`bulletin` assembles the figures (:mod:`.data`, every one from the published-table function with disclosure
control applied), writes the paragraphs from them (:mod:`.text`) and lays them out as a report (:mod:`.report`);
the writers of :mod:`sitmon.disseminate.writers` render it (``html``, ``pdf``, ``xlsx``).
"""

from __future__ import annotations

from ...config import Settings
from ...domain import Message
from ..writers import Report, WriterError, writer_for
from .data import BulletinData, bulletin_data
from .report import bulletin_report

FORMATS = ("html", "pdf", "xlsx")
LANGUAGES = ("zh", "en")


def bulletin(settings: Settings, period: str, release: int | None = None, lang: str = "zh") -> Report:
    """The bulletin of ``period`` (``YYYY-MM`` monthly, ``YYYY`` annual) from release ``release`` (default: the
    latest) in ``lang``; :class:`~sitmon.disseminate.tables.QueryError` when the period is not published."""
    if lang not in LANGUAGES:
        raise WriterError(Message("bulletins.unknown_language", language=str(lang)[:16]))
    return bulletin_report(bulletin_data(settings, period, release), lang)


def bulletin_bytes(report: Report, fmt: str) -> bytes:
    """``report`` rendered in ``fmt`` (html, pdf or xlsx)."""
    if fmt not in FORMATS:
        raise WriterError(Message("bulletins.unknown_format", name=str(fmt)[:16], formats=", ".join(FORMATS)))
    return writer_for(fmt).to_bytes(report)


__all__ = [
    "FORMATS",
    "LANGUAGES",
    "BulletinData",
    "bulletin",
    "bulletin_bytes",
    "bulletin_data",
    "bulletin_report",
]
