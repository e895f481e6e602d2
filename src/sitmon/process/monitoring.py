"""Filing monitoring: who was expected to file a period, who did, and what they reported in total."""

from __future__ import annotations

from dataclasses import dataclass

from ..catalog import load_catalog
from ..domain import Period
from ..security import Principal, Role
from ..store.db import Database, Session
from ..store.enterprises import ActiveSpan, population_ids, spans
from ..store.reports import current_reports, filed_enterprise_ids, last_periods, status_counts


@dataclass(frozen=True)
class PeriodFiling:
    """One period's filing status: expected filers, filers, response rate (%), revenue reported, warnings."""

    period: str
    expected: int
    filed: int
    response_rate_pct: float
    revenue_total_100m_cny: float
    warnings: int
    accepted: int


def expected_filers(session: Session, period: str, form: str | None = None) -> set[int]:
    """Enterprises expected to file ``form`` (default: the period's) for ``period``: in the form's population
    (the monthly key-enterprise panel, or above designated size for the annual survey) and active at the end of
    the period — founded by then (or unknown) and not closed by then."""
    return expected_among(spans(session), period, form)


def expected_among(ents: list[ActiveSpan], period: str, form: str | None = None) -> set[int]:
    """:func:`expected_filers` among the registry entries ``ents``."""
    p = Period.parse(period)
    form = form or p.form
    _, last = p.bounds
    return {e.id for e in ents if e.files(form) and e.active_on(last)}


def population(session: Session, form: str) -> set[int]:
    """Enterprises in the population of ``form`` (active or not): whose reports a release of the form covers."""
    return population_ids(session, form)


def filing_summary(session: Session, form: str, periods: list[str] | None = None) -> list[PeriodFiling]:
    """Per period of ``form``: expected filers, current reports, response rate and the revenue they
    report in total (亿元, simple sum of the filed values: not a published estimate)."""
    reps = current_reports(session, form, periods)
    by_period: dict[str, list] = {}
    for r in reps:
        by_period.setdefault(r.period, []).append(r)
    out = []
    for period in sorted(by_period):
        rs = by_period[period]
        expected = expected_filers(session, period, form)
        filed = {r.enterprise_id for r in rs}
        out.append(
            PeriodFiling(
                period=period,
                expected=len(expected),
                filed=len(filed),
                response_rate_pct=round(100 * len(filed & expected) / len(expected), 2) if expected else 0.0,
                revenue_total_100m_cny=round(sum(r.values.get("revenue_total") or 0 for r in rs) / 1e4, 2),
                warnings=sum(len(r.warnings) for r in rs),
                accepted=sum(r.status == "accepted" for r in rs),
            )
        )
    return out


@dataclass(frozen=True)
class LateFiler:
    """An enterprise expected to file a period that has not (迟报/未报), with the last period it filed, its
    sector and the contacts to chase it (催报); ``status`` is ``missing`` (nothing filed) or ``returned`` (its
    report was returned and not filed again, ``return_reason`` says why)."""

    uscc: str
    name: str
    province: str
    city: str | None
    last_period: str | None
    sector: str = ""
    contact: str | None = None
    phone: str | None = None
    status: str = "missing"
    return_reason: str | None = None


@dataclass(frozen=True)
class ProvinceRate:
    """Filing of one province (and sector, when broken down by sector) and period: expected filers, filed,
    accepted, returned, response rate (%)."""

    province: str
    period: str
    expected: int
    filed: int
    accepted: int
    returned: int
    response_rate_pct: float
    sector: str | None = None


def late_filers(
    db: Database,
    principal: Principal,
    *,
    form: str,
    period: str,
    province: str | None = None,
    returned: bool = True,
) -> list[LateFiler]:
    """Enterprises of the caller's scope expected to file ``form`` for ``period`` (in the form's population,
    active at its end) without a report for it — and, with ``returned``, those whose current report was returned
    and not filed again — by USCC (a reviewer: their province; national roles: all, or ``province``)."""
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    province = principal.province_filter(province)
    _, last_day = Period.parse(period).bounds
    with db.session() as s:
        expected = [e for e in spans(s, province) if e.files(form) and e.active_on(last_day)]
        filed = filed_enterprise_ids(s, form, period)
        back = (
            {
                r.enterprise_id: r.return_reason
                for r in current_reports(s, form, [period], status="returned", province_code=province)
            }
            if returned
            else {}
        )
        late = [e for e in expected if e.id not in filed or e.id in back]
        last = last_periods(s, form, [e.id for e in late])
    return [
        LateFiler(
            e.uscc,
            e.name,
            e.province_code,
            e.city_code,
            last.get(e.id),
            e.sector or "",
            e.contact,
            e.phone,
            "returned" if e.id in back else "missing",
            back.get(e.id),
        )
        for e in late
    ]


def response_rates(
    db: Database,
    principal: Principal,
    *,
    form: str,
    periods: list[str],
    province: str | None = None,
    by_sector: bool = False,
) -> list[ProvinceRate]:
    """Per province (and sector, with ``by_sector``, in the bulletin order) and period: enterprises expected to
    file (in the form's population, active at the period's end), those with a current report, accepted and
    returned ones, and the response rate = filed ∩ expected / expected × 100."""
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    province = principal.province_filter(province)
    with db.session() as s:
        ents = spans(s, province)
        counts = status_counts(s, form, periods, province, by_sector=by_sector)
        filed_by_period = {p: filed_enterprise_ids(s, form, p) for p in periods}
    order = {code: i for i, code in enumerate(load_catalog().sectors)}
    by_key: dict[tuple[str, str | None, str], dict[str, int]] = {}
    for prov, sec, per, status, n in counts:
        by_key.setdefault((prov, sec, per), {})[status] = n
    groups: dict[tuple[str, str | None], list] = {}
    for e in ents:
        groups.setdefault((e.province_code, e.sector if by_sector else None), []).append(e)
    for prov, sector, _ in by_key:
        groups.setdefault((prov, sector), [])
    out = []
    for per in periods:
        _, last_day = Period.parse(per).bounds
        filed = filed_by_period[per]
        for (prov, sector), members in sorted(
            groups.items(), key=lambda g: (g[0][0], order.get(g[0][1] or "", 0))
        ):
            expected = [e.id for e in members if e.files(form) and e.active_on(last_day)]
            got = by_key.get((prov, sector, per), {})
            responded = sum(1 for i in expected if i in filed)
            out.append(
                ProvinceRate(
                    prov,
                    per,
                    len(expected),
                    sum(got.values()),
                    got.get("accepted", 0),
                    got.get("returned", 0),
                    round(100 * responded / len(expected), 2) if expected else 0.0,
                    sector,
                )
            )
    return out


@dataclass(frozen=True)
class SectorRate:
    """Filing of one sector in one period: expected filers, those that filed, response rate (%)."""

    sector: str
    period: str
    expected: int
    filed: int
    response_rate_pct: float


def sector_response_rates(
    db: Database, principal: Principal, *, form: str, period: str, province: str | None = None
) -> list[SectorRate]:
    """Per sector (of the caller's scope, as :func:`response_rates`): enterprises expected to file ``period`` (in
    the form's population, active at its end), those of them with a current report, and the response rate =
    filed / expected × 100."""
    principal.require(Role.reviewer, Role.analyst, Role.admin)
    province = principal.province_filter(province)
    _, last_day = Period.parse(period).bounds
    with db.session() as s:
        expected = [e for e in spans(s, province) if e.files(form) and e.active_on(last_day)]
        filed = filed_enterprise_ids(s, form, period)
    by_sector: dict[str, list[int]] = {}
    for e in expected:
        by_sector.setdefault(e.sector or "", []).append(e.id)
    return [
        SectorRate(
            sector,
            period,
            len(ids),
            sum(1 for i in ids if i in filed),
            round(100 * sum(1 for i in ids if i in filed) / len(ids), 2),
        )
        for sector, ids in sorted(by_sector.items())
    ]
