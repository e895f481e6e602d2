"""The listings of the monthly round as people read them — the problems of report files (by row), the review
queue, one report against last month and last year, the reports bulk acceptance skipped, the late filers with
their contacts, the response rates — built once here for the CLI (console or ``--out FILE``) and the API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..catalog import load_catalog
from ..collect.intake import ImportResult
from ..domain import Label, Message, term, text
from ..process.compare import ReportComparison
from ..process.filings import ReportView
from ..process.monitoring import LateFiler, ProvinceRate
from ..process.review import Skipped, unexplained
from .round_files import Listing, Text, both

SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}


def _columns(keys: Sequence[str]) -> list[tuple[str, Text]]:
    return [(k, both(f"review.col_{k}")) for k in keys]


def _say(key: str, lang: str) -> str:
    return text(key, lang)


def _sector(code: str | None, lang: str) -> str | None:
    if not code:
        return None
    s = load_catalog().sectors.get(code)
    return code if s is None else s.name(lang)


def problem_rows(results: Iterable[ImportResult], lang: str) -> list[dict[str, Any]]:
    """Every error, warning and notice of ``results``, by file, row, then severity (errors first) and column."""
    rows = []
    for r in results:
        issues = [*r.errors, *r.warnings, *r.notices]
        for i in sorted(issues, key=lambda i: (i.row, SEVERITY_ORDER.get(i.severity, 3), i.column)):
            rows.append(
                {
                    "file": i.file,
                    "row": i.row,
                    "column": i.column,
                    "value": i.value,
                    "rule": i.rule,
                    "severity": term("severity", i.severity, lang),
                    "message": i.message(lang),
                    "message_zh": i.message_zh,
                    "message_en": i.message_en,
                }
            )
    return rows


def problems_listing(results: Sequence[ImportResult], lang: str) -> Listing:
    """The problems found in report files, one row each, by file and row, for sending back to the enterprises."""
    files = ", ".join(r.file for r in results)
    return Listing(
        both("intake_files.title_errors", files=files),
        _columns(["file", "row", "column", "value", "severity", "rule", "message_zh", "message_en"]),
        problem_rows(results, lang),
        [both("intake_files.note_errors")],
        lang,
        name="sitmon-problems",
    )


def queue_rows(items: Sequence[ReportView], lang: str) -> list[dict[str, Any]]:
    """The reports waiting for review as flat rows, with their unexplained warnings."""
    return [
        {
            "id": r.id,
            "uscc": r.uscc,
            "name": r.enterprise_name,
            "province": r.province,
            "period": r.period,
            "revision": r.revision,
            "revenue_total": r.values.get("revenue_total"),
            "warnings": len(r.warnings),
            "unexplained": ", ".join(unexplained(r.warnings)) or None,
            "note": r.note,
            "filed_at": r.filed_at,
            "filed_by": r.filed_by,
        }
        for r in items
    ]


def queue_listing(items: Sequence[ReportView], lang: str, period: str | None) -> Listing:
    """The review queue (internal: enterprise-level)."""
    return Listing(
        both("review.title_queue", period=period or ""),
        _columns(
            [
                "id",
                "uscc",
                "name",
                "province",
                "period",
                "revision",
                "revenue_total",
                "warnings",
                "unexplained",
                "note",
                "filed_at",
                "filed_by",
            ]
        ),
        queue_rows(items, lang),
        [both("review.note_confidential")],
        lang,
        name=f"sitmon-review-queue-{period or 'all'}",
    )


def late_rows(rows: Sequence[LateFiler], lang: str) -> list[dict[str, Any]]:
    """Late filers as flat rows (sector and status in ``lang``)."""
    return [
        {
            "uscc": r.uscc,
            "name": r.name,
            "province": r.province,
            "city": r.city,
            "sector": _sector(r.sector, lang),
            "status": term("status", r.status, lang),
            "last_period": r.last_period,
            "contact": r.contact,
            "phone": r.phone,
            "return_reason": r.return_reason,
        }
        for r in rows
    ]


def late_listing(rows: Sequence[LateFiler], lang: str, period: str) -> Listing:
    """The enterprises to chase for ``period`` with their contacts (internal)."""
    return Listing(
        both("review.title_late", period=period),
        _columns(
            [
                "uscc",
                "name",
                "province",
                "city",
                "sector",
                "status",
                "last_period",
                "contact",
                "phone",
                "return_reason",
            ]
        ),
        late_rows(rows, lang),
        [both("review.note_confidential")],
        lang,
        name=f"sitmon-late-{period}",
    )


def rates_rows(rows: Sequence[ProvinceRate], lang: str) -> list[dict[str, Any]]:
    """Response rates as flat rows (province name and sector in ``lang``)."""
    cat = load_catalog()
    return [
        {
            "province": r.province,
            "name": cat.region_name(r.province, lang),
            "sector": _sector(r.sector, lang),
            "period": r.period,
            "expected": r.expected,
            "filed": r.filed,
            "accepted": r.accepted,
            "returned": r.returned,
            "response_rate_pct": r.response_rate_pct,
        }
        for r in rows
    ]


def rates_listing(
    rows: Sequence[ProvinceRate], lang: str, periods: Sequence[str], by_sector: bool
) -> Listing:
    """Response rates by province (and sector)."""
    keys = [
        "province",
        "name",
        *(["sector"] if by_sector else []),
        "period",
        "expected",
        "filed",
        "accepted",
        "returned",
        "response_rate_pct",
    ]
    cols = _columns(keys)
    cols[1] = ("name", both("review.col_province_name"))
    return Listing(
        both("review.title_rates", period=", ".join(periods)),
        cols,
        rates_rows(rows, lang),
        [both("review.note_rates")],
        lang,
        decimals={"response_rate_pct": 1},
        name=f"sitmon-response-rates-{periods[0] if len(periods) == 1 else 'periods'}",
    )


def skipped_listing(skipped: Sequence[Skipped], lang: str, period: str) -> Listing:
    """The reports bulk acceptance skipped, with the rules of their unexplained warnings."""
    rows = [
        {
            "id": s.id,
            "uscc": s.uscc,
            "name": s.name,
            "province": s.province,
            "period": s.period,
            "rules": ", ".join(s.rules),
        }
        for s in skipped
    ]
    return Listing(
        both("review.title_skipped", period=period),
        _columns(["id", "uscc", "name", "province", "period", "rules"]),
        rows,
        [both("review.note_confidential")],
        lang,
        name=f"sitmon-review-skipped-{period}",
    )


def comparison_listing(c: ReportComparison, lang: str) -> Listing:
    """One report's indicators against last month and the same period last year, with its warnings (explained
    or not), the enterprise's explanation and the review decisions as notes."""
    v = c.report
    rows = [
        {
            "indicator": Label(r.name_zh, r.name_en).render(lang),
            "value": r.value,
            "last_month": r.last_month,
            "vs_last_month_pct": r.vs_last_month_pct,
            "last_year": r.last_year,
            "yoy_pct": r.yoy_pct,
        }
        for r in c.rows
    ]
    cols = _columns(["indicator", "value", "last_month", "vs_last_month_pct", "last_year", "yoy_pct"])
    cols[2] = (
        "last_month",
        (
            f"{both('review.col_last_month')[0]} {c.last_month_period or ''}".strip(),
            f"{both('review.col_last_month')[1]} {c.last_month_period or ''}".strip(),
        ),
    )
    cols[4] = (
        "last_year",
        (
            f"{both('review.col_last_year')[0]} {c.last_year_period or ''}".strip(),
            f"{both('review.col_last_year')[1]} {c.last_year_period or ''}".strip(),
        ),
    )
    notes: list[Text] = [both("review.note_growth")]
    for w in v.warnings:
        mark = both("review.explained_yes" if w.get("explained") else "review.explained_no")
        head = both("review.warnings_heading")
        notes.append(
            (
                f"{head[0]}：{w.get('message_zh', w.get('rule'))}（{mark[0]}）",
                f"{head[1]}: {w.get('message_en', w.get('rule'))} ({mark[1]})",
            )
        )
    if v.note:
        head = both("review.note_heading")
        notes.append((f"{head[0]}：{v.note}", f"{head[1]}: {v.note}"))
    for e in v.reviews:
        head = both("review.reviews_heading")
        said = [
            f"{e.at:%Y-%m-%d %H:%M} {term('actor', e.actor, lang)} {term('review', e.action, lang)}"
            + (f": {e.reason}" if e.reason else "")
            for lang in ("zh", "en")
        ]
        notes.append((f"{head[0]}：{said[0]}", f"{head[1]}: {said[1]}"))
    fields = {
        "report_id": v.id,
        "uscc": v.uscc,
        "name": v.enterprise_name,
        "period": v.period,
        "revision": v.revision,
    }
    title = both("review.title_compare", status=Message(f"terms.status.{v.status}"), **fields)
    return Listing(
        title,
        cols,
        rows,
        notes,
        lang,
        decimals={"vs_last_month_pct": 1, "yoy_pct": 1},
        name=f"sitmon-report-{v.id}",
    )
