"""Listings as documents for the writers — plan status, a published series, reports, the review queue and late
filers — built once here for the CLI (``--out``) and the API (``format=``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..analyse.plans import TargetStatus
from ..catalog.series import load_series
from ..process.filings import ReportView
from ..process.monitoring import LateFiler
from .layout import both, listing_document
from .writers import Document

PLAN_LEGEND = ("进度 = 实际年均增长 / 所需年均增长（Open SDG、加拿大统计局口径）：≥0.95 进度正常，0.6–0.95 存在风险，<0.6 进度滞后；"
               "目标年有公布数时按该年数据判定已实现/未实现。",
               "progress = realised / required average growth (as Open SDG and Statistics Canada publish it): ≥ 0.95 "
               "on track, 0.6–0.95 at risk, < 0.6 off track; once the target year has a published figure, it decides.")
QUEUE_COLUMNS = ["id", "uscc", "name", "province", "period", "revision", "revenue_total", "warnings", "note",
                 "filed_at", "filed_by"]
LATE_COLUMNS = ["uscc", "name", "province", "city", "last_period"]
SERIES_COLUMNS = ["year", "value", "unit", "used", "yoy_published", "yoy_from_levels", "why", "source", "quote"]


def plan_rows(results: Sequence[TargetStatus]) -> list[dict[str, Any]]:
    """One flat row per target: its evaluation, the projection's fields as ``projection_<field>``."""
    rows = []
    for r in results:
        d = r.to_dict()
        proj = d.pop("projection") or {}
        d.pop("extra", None)
        d.update({f"projection_{k}": v for k, v in proj.items()})
        rows.append(d)
    return rows


def plans_document(results: Sequence[TargetStatus], lang: str, plan: str | None = None) -> Document:
    """The status of the plans' targets, with the legend of the statuses."""
    rows = plan_rows(results)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return listing_document(both("listings.title_plans"), rows, cols, lang, notes=[PLAN_LEGEND],
                            name=f"sitmon-plans-{plan or 'all'}")


def series_rows(indicator: str, lang: str) -> list[dict[str, Any]]:
    """Every published figure of ``indicator`` by year (a missing year as a gap), with the growth as published
    and from the levels, whether it is the value used, why, the source and its wording."""
    s = load_series()
    obs = s.all_of(indicator)
    if not obs:
        return []
    used = s.of(indicator)
    growth = s.of(f"{indicator}_yoy")
    rows: list[dict[str, Any]] = []
    for y in range(obs[0].year, obs[-1].year + 1):
        here = [o for o in obs if o.year == y]
        if not here:
            rows.append({"year": y, "value": None, "used": "（空缺）" if lang == "zh" else "(gap)"})
            continue
        for o in here:
            prev = used.get(y - 1)
            ratio = (o.value / prev.value - 1) * 100 if prev and o.used and indicator.startswith("revenue") else None
            rows.append({"year": y, "value": o.value, "unit": o.unit,
                         "used": ("采用" if o.used else "未采用") if lang == "zh" else ("used" if o.used else "not used"),
                         "yoy_published": growth[y].value if y in growth and o.used else None,
                         "yoy_from_levels": None if ratio is None else round(ratio, 1),
                         "why": (o.why_zh if lang == "zh" else o.why_en) or None, "source": o.source,
                         "quote": o.quote})
    return rows


def series_document(indicator: str, lang: str) -> Document:
    """The published national series of ``indicator`` (real figures, each with its source)."""
    return listing_document(both("listings.title_series", indicator=indicator), series_rows(indicator, lang),
                            SERIES_COLUMNS, lang, notes=[both("listings.note_series")],
                            name=f"sitmon-series-{indicator}")


def queue_rows(items: Sequence[ReportView]) -> list[dict[str, Any]]:
    """The reports waiting for review as flat rows."""
    return [{"id": r.id, "uscc": r.uscc, "name": r.enterprise_name, "province": r.province, "period": r.period,
             "revision": r.revision, "revenue_total": r.values.get("revenue_total"), "warnings": len(r.warnings),
             "note": r.note, "filed_at": r.filed_at, "filed_by": r.filed_by} for r in items]


def queue_document(items: Sequence[ReportView], lang: str, period: str | None = None) -> Document:
    """The review queue (internal: enterprise-level)."""
    return listing_document(both("listings.title_queue"), queue_rows(items), QUEUE_COLUMNS, lang,
                            notes=[both("listings.note_confidential_list")],
                            name=f"sitmon-review-queue-{period or 'all'}")


def late_document(rows: Sequence[LateFiler], lang: str, period: str) -> Document:
    """The enterprises late to file ``period`` (internal: enterprise-level)."""
    return listing_document(both("listings.title_late", period=period), [dict(r.__dict__) for r in rows],
                            LATE_COLUMNS, lang, notes=[both("listings.note_confidential_list")],
                            name=f"sitmon-late-{period}")
