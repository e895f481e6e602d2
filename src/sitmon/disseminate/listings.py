"""Listings as documents for the writers — plan status, a published series, reports, the review queue and late
filers, response rates — built once here for the CLI (``--out``) and the API (``format=``); the listings of the
monthly round come from :mod:`.round_listings`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analyse.plans import TargetStatus
from ..domain import text
from ..process.filings import ReportView
from ..process.monitoring import LateFiler, ProvinceRate
from .layout import both, listing_document
from .round_listings import late_listing, queue_listing, rates_listing
from .series import SeriesView
from .writers import Document

SERIES_COLUMNS = [
    "year",
    "value",
    "unit",
    "vintage",
    "used",
    "kind",
    "yoy_published",
    "yoy_from_levels",
    "official",
    "read_in",
    "quote",
    "why",
]


def plan_rows(results: Sequence[TargetStatus]) -> list[dict[str, Any]]:
    """One flat row per target: its evaluation, the projection's fields as ``projection_<field>`` (its model
    parameters left out) and the outlook's as ``outlook_<field>``."""
    rows = []
    for r in results:
        d = r.to_dict()
        proj = d.pop("projection") or {}
        d.update({f"projection_{k}": v for k, v in proj.items() if k != "params"})
        d.update({f"outlook_{k}": v for k, v in (d.pop("outlook") or {}).items()})
        d.pop("extra", None)
        rows.append(d)
    return rows


def plans_document(results: Sequence[TargetStatus], lang: str, plan: str | None = None) -> Document:
    """The status of the plans' targets, with the legend of the statuses."""
    rows = plan_rows(results)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return listing_document(
        both("listings.title_plans"),
        rows,
        cols,
        lang,
        notes=[both("cli_plans.legend")],
        name=f"sitmon-plans-{plan or 'all'}",
    )


def series_rows(view: SeriesView, lang: str) -> list[dict[str, Any]]:
    """A published series year by year (a gap as a row without value): the value, whether it is in force (and
    first or revised), growth as published and from the levels, the official citation, where it was read, the
    original wording and why it is used."""
    rows = []
    for r in view.rows:
        d = r.to_dict(lang)
        if r.value is None:
            d["used"] = text("citation.gap", lang)
        else:
            d["used"] = text("citation.in_force" if r.in_force else "citation.not_in_force", lang)
            if r.kind:
                d["used"] = text(
                    "cli_series.used_kind", lang, used=d["used"], kind=text(f"citation.kind_{r.kind}", lang)
                )
        d["official"] = r.citation.official_text(lang) if r.citation else None
        d["vintage"] = view.vintage
        rows.append(d)
    return rows


def series_document(view: SeriesView, lang: str) -> Document:
    """A published national series (real figures, each with its official citation) with its vintage note,
    how published growth is computed, and the public-data label."""
    notes = [
        (view.vintage_note("zh"), view.vintage_note("en")),
        both("citation.growth_note"),
        (view.label("zh"), view.label("en")),
    ]
    return listing_document(
        both("listings.title_series", indicator=view.indicator),
        series_rows(view, lang),
        SERIES_COLUMNS,
        lang,
        notes=notes,
        name=f"sitmon-series-{view.indicator}-{view.vintage}",
    )


def queue_document(items: Sequence[ReportView], lang: str, period: str | None = None) -> Document:
    """The review queue (internal: enterprise-level), with the warnings the enterprise has not explained: the
    listing of the monthly round (:func:`.round_listings.queue_listing`) as a document."""
    return queue_listing(items, lang, period).document()


def late_document(rows: Sequence[LateFiler], lang: str, period: str) -> Document:
    """The enterprises late to file ``period``, with their status and contacts (internal: enterprise-level):
    :func:`.round_listings.late_listing` as a document."""
    return late_listing(rows, lang, period).document()


def rates_document(
    rows: Sequence[ProvinceRate], lang: str, periods: Sequence[str], by_sector: bool
) -> Document:
    """Response rates by province (and sector): :func:`.round_listings.rates_listing` as a document."""
    return rates_listing(rows, lang, periods, by_sector).document()
