"""Confidential figures — per-enterprise values, rankings and unsuppressed tables — for the roles whose
scope covers the enterprises: a reviewer their province, analysts and admins the whole country. Filers and
anonymous readers are refused. Every result is marked confidential; none may be published.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.concentration import ranking as rank_enterprises
from ..catalog import load_catalog
from ..config import Settings
from ..domain import Message, Period, PeriodError
from ..security import NotFound, OutsideScope, Principal, Role
from ..store.warehouse import Warehouse
from .tables import QueryError, TableResult, published_table, split_list

MICRODATA_ROLES = (Role.reviewer, Role.analyst, Role.admin)


@dataclass
class MicroTable:
    """Confidential per-enterprise rows, in the form's units, from the latest release of each period."""

    indicator: str | None
    period: str
    unit: str | None
    province: str | None
    rows: list[dict[str, Any]]
    releases: dict[str, int] = field(default_factory=dict)
    synthetic: bool = False
    confidential: bool = True


def _form_of(period: str, indicator: str | None) -> str:
    try:
        form = Period.parse(period).form
    except PeriodError as exc:
        raise QueryError(exc.message) from exc
    if indicator is not None and indicator not in load_catalog().forms[form].indicators:
        raise QueryError(
            Message("query.not_on_form", form=Message(f"terms.form.{form}"), indicator=indicator)
        )
    return form


def _release_table(
    settings: Settings, form: str, period: str, backend: Any
) -> tuple[Any, dict[str, int], bool]:
    wh = Warehouse(settings, backend)
    files = wh.files(form, [period])
    if not files:
        raise QueryError(Message("query.not_published", period=period))
    return wh.table(form, [period]), {period: files[0].number}, bool(files[0].manifest.get("synthetic"))


def ranking(
    settings: Settings,
    principal: Principal,
    indicator: str,
    period: str,
    n: int = 100,
    province: str | None = None,
    backend: Any = None,
) -> MicroTable:
    """The ``n`` largest enterprises by ``indicator`` in ``period`` within the caller's scope (a reviewer's
    province; national roles: all or ``province``): rank, USCC, province, sector, value."""
    principal.require(*MICRODATA_ROLES)
    province = principal.province_filter(province)
    cat = load_catalog()
    if indicator not in cat.indicators:
        raise QueryError(Message("query.unknown_indicator", indicator=indicator))
    form = _form_of(period, indicator)
    t, releases, synthetic = _release_table(settings, form, period, backend)
    if province is not None:
        t = t.filter(t.province == province)
    df = rank_enterprises(t, indicator, period, n).execute()
    rows = [
        {
            "rank": int(r["rank"]),
            "uscc": r["uscc"],
            "province": r["province"],
            "sector": r["sector"],
            "value": None if r["value"] != r["value"] else float(r["value"]),
        }
        for r in df.to_dict("records")
    ]
    return MicroTable(indicator, period, cat.indicators[indicator].unit, province, rows, releases, synthetic)


def enterprise_figures(
    settings: Settings, principal: Principal, uscc: str, period: str, backend: Any = None
) -> MicroTable:
    """One enterprise's published row of ``period`` (every indicator, whether imputed, its revision).
    :class:`NotFound` when it is not in the release or outside the caller's scope (the same answer)."""
    principal.require(*MICRODATA_ROLES)
    form = _form_of(period, None)
    t, releases, synthetic = _release_table(settings, form, period, backend)
    df = t.filter(t.uscc == uscc.strip().upper()).execute()
    rows = df.to_dict("records")
    if not rows or not principal.covers(rows[0]["uscc"], rows[0]["province"]):
        raise NotFound(Message("errors.no_enterprise_in_release", period=period, uscc=uscc))
    codes = load_catalog().forms[form].indicators
    row = rows[0]
    out = {
        "uscc": row["uscc"],
        "province": row["province"],
        "city": row["city"],
        "region": row["region"],
        "sector": row["sector"],
        "imputed": bool(row["imputed"]),
        "revision": int(row["revision"]),
        "values": {c: None if row[c] != row[c] else float(row[c]) for c in codes},
    }
    return MicroTable(None, period, None, row["province"], [out], releases, synthetic)


def confidential_table(
    settings: Settings,
    principal: Principal,
    indicator: str,
    by: str | Sequence[str],
    period: str | Sequence[str],
    measure_name: str | Sequence[str] = "level",
    release: int | None = None,
    unit: str | None = None,
    backend: Any = None,
    total: bool = False,
) -> TableResult:
    """A table WITHOUT disclosure control for the caller's scope: national roles get every cell (and, with
    ``total``, the national total row); a reviewer must break down by ``province`` and gets the rows of their
    province only, without a national total."""
    principal.require(*MICRODATA_ROLES)
    if principal.role is Role.reviewer and "province" not in split_list(by):
        raise OutsideScope(Message("errors.reviewer_by_province"))
    res = published_table(
        settings,
        indicator,
        by,
        period,
        measure_name,
        release=release,
        unit=unit,
        public=False,
        backend=backend,
        total=total and principal.province is None,
    )
    if principal.province is not None:
        res.rows = [r for r in res.rows if r.get("province") == principal.province]
        res.total_rows = []
    return res
