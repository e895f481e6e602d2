"""Releases as the monthly round reads them: the preview of ``sitmon publish`` (what is about to be published,
and why it would be refused), the release calendar and the revision notice — as listings for the console, a
file (``--out``) or the API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..catalog import load_catalog
from ..domain import Message, term, text
from ..process.publish_guard import CellChange, ReleasePreview
from ..process.release_calendar import CalendarEntry
from ..process.revision_notice import RevisionNotice
from .round_files import Listing, Text, both


def _say(key: str, lang: str, **params: Any) -> str:
    return text(key, lang, **params)


def cell_label(table: str, key: Sequence[str], lang: str) -> str:
    """A cell of a linked table for people: its region, province, city, sector or size tier by name, parts joined
    by ×; the national cell is "全国" / "national"."""
    if not key:
        return _say("releases_round.national", lang)
    cat = load_catalog()
    names = []
    for code in key:
        sector = cat.sectors.get(code)
        if sector is not None:
            names.append(sector.name(lang))
        else:
            names.append(cat.region_name(code, lang))
    return " × ".join(names)


def _indicator(code: str, lang: str) -> str:
    ind = load_catalog().indicators.get(code)
    return code if ind is None else ind.name(lang)


def _columns(area: str, keys: Sequence[str]) -> list[tuple[str, Text]]:
    if area == "publish_guard":
        return [(k, both(f"publish_guard.col_{k}")) for k in keys]
    return [(k, both(f"releases_round.col_{k}")) for k in keys]


def preview_lines(p: ReleasePreview, lang: str, dry_run: bool = False) -> list[str]:
    """The preview's title, summary, calendar and problems as lines of text in ``lang``."""
    fields = {"form": Message(f"terms.form.{p.form}"), "period": p.period, "number": p.number}
    lines = [
        _say("publish_guard.title_dry_run" if dry_run else "publish_guard.title", lang, **fields),
        _say(
            "publish_guard.summary",
            lang,
            expected=f"{p.expected:,}",
            respondents=f"{p.respondents:,}",
            imputed=f"{p.imputed:,}",
            rate=p.response_rate_pct,
            minimum=p.minimum_pct,
            imputed_share=p.imputed_share_pct,
            imputed_revenue_share=p.imputed_revenue_share_pct,
        ),
        _say("publish_guard.unexplained_line", lang, count=p.unexplained),
    ]
    status = _say(f"releases_round.status_{p.calendar_status}", lang, days=p.days_late or 0)
    lines.append(_say("publish_guard.calendar_line", lang, planned=p.planned or "—", status=status))
    if p.previous is None:
        lines.append(_say("publish_guard.first_release", lang))
    elif not p.largest_revisions:
        lines.append(_say("publish_guard.no_revisions", lang))
    else:
        lines.append(_say("publish_guard.previous", lang, number=p.previous))
    if p.newly_suppressed is None:
        lines.append(_say("publish_guard.newly_suppressed_unknown", lang))
    elif p.previous is not None:
        cells = "; ".join(
            f"{_indicator(c.indicator, lang)} {cell_label(c.table, c.key, lang)}" for c in p.newly_suppressed
        )
        lines.append(
            _say("publish_guard.newly_suppressed", lang, cells=cells)
            if cells
            else _say("publish_guard.newly_suppressed_none", lang)
        )
    return lines


def provinces_listing(p: ReleasePreview, lang: str) -> Listing:
    """The response rate of every province of the release (those below the minimum marked)."""
    rows = [
        {
            "province": load_catalog().region_name(x.province, lang),
            "expected": x.expected,
            "respondents": x.respondents,
            "imputed": x.imputed,
            "response_rate_pct": x.response_rate_pct,
            "below": "✗" if x.below else "",
        }
        for x in p.provinces
    ]
    title = both(
        "publish_guard.title", form=Message(f"terms.form.{p.form}"), period=p.period, number=p.number
    )
    return Listing(
        title,
        _columns(
            "publish_guard", ["province", "expected", "respondents", "imputed", "response_rate_pct", "below"]
        ),
        rows,
        [],
        lang,
        decimals={"response_rate_pct": 1},
    )


def changes_rows(cells: Sequence[CellChange], lang: str) -> list[dict[str, Any]]:
    """Cell changes as flat rows (indicator and cell by name)."""
    return [
        {
            "indicator": _indicator(c.indicator, lang),
            "table": term("table", c.table, lang),
            "cell": cell_label(c.table, c.key, lang),
            "old": c.old,
            "new": c.new,
            "change": c.change,
            "change_pct": c.change_pct,
        }
        for c in cells
    ]


def revisions_listing(p: ReleasePreview, lang: str) -> Listing:
    """The cells that changed most since the previous release (internal)."""
    return Listing(
        both("publish_guard.previous", number=p.previous or 0),
        _columns("publish_guard", ["indicator", "table", "cell", "old", "new", "change", "change_pct"]),
        changes_rows(p.largest_revisions, lang),
        [],
        lang,
        decimals={"change_pct": 1},
    )


def calendar_listing(entries: Sequence[CalendarEntry], lang: str, form: str, year: int) -> Listing:
    """The release calendar of ``form`` and ``year``, late and overdue periods said so."""
    rows = [
        {
            "period": e.period,
            "planned": e.planned,
            "first_published": e.first_published,
            "releases": e.releases,
            "status": _say(f"releases_round.status_{e.status}", lang, days=e.days_late or 0),
        }
        for e in entries
    ]
    return Listing(
        both("releases_round.title_calendar", form=Message(f"terms.form.{form}"), year=year),
        _columns("releases_round", ["period", "planned", "first_published", "releases", "status"]),
        rows,
        [both("releases_round.note_calendar")],
        lang,
    )


def notice_listing(n: RevisionNotice, lang: str) -> Listing:
    """The revision notice: published cells only (see :mod:`sitmon.process.revision_notice`)."""
    fields = {"form": Message(f"terms.form.{n.form}"), "period": n.period, "number": n.number}
    title = (
        both("releases_round.title_notice", previous=n.previous, **fields)
        if n.previous
        else both("releases_round.notice_first", **fields)
    )
    rows = [
        {
            "indicator": _indicator(c.indicator, lang),
            "table": term("table", c.table, lang),
            "cell": cell_label(c.table, c.key, lang),
            "status": _say(f"releases_round.cell_status_{c.status}", lang),
            "old": c.old,
            "new": c.new,
            "change": c.change,
            "change_pct": c.change_pct,
        }
        for c in n.cells
    ]
    notes = [both("releases_round.note_notice")]
    if n.missing_patterns:
        notes.append(both("releases_round.notice_incomplete", indicators=", ".join(n.missing_patterns)))
    elif n.previous and not n.cells:
        notes.append(both("releases_round.notice_none"))
    return Listing(
        title,
        _columns(
            "releases_round", ["indicator", "table", "cell", "status", "old", "new", "change", "change_pct"]
        ),
        rows,
        notes,
        lang,
        decimals={"change_pct": 1},
    )
