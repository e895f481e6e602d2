"""Simulation of a synthetic enterprise population and its monthly and annual reports.

Sizes are heavy-tailed (lognormal) and persistent with enterprise-specific growth; enterprises enter and
exit; each year the December year-to-date revenue is raked (:mod:`.revenue`) to the published levels of the
nation, the macro regions and the sectors, and the enterprises present in both years to the published
comparable-basis growth by region, by the five largest provinces and by sector (derived values where nothing
is published, :mod:`.targets`). Everything is vectorised over enterprises × months. All of it is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ...catalog import load_catalog
from ...domain import Period
from ...domain.regions import city_of
from ...domain.uscc import make_uscc
from .calibration import PROVINCE_WEIGHTS, SECTOR_INDICATORS, nearest_shares, published_series, yearly
from .report import calibration_table
from .revenue import MACROS, Layout, calibrate, item_factors
from .targets import year_targets

#: Share of each month in the year's revenue before noise (a December peak, as the real series shows).
MONTH_PROFILE = np.array([6.2, 6.4, 8.0, 7.8, 8.0, 8.8, 7.8, 8.0, 8.6, 8.2, 8.6, 13.6])
MONTH_PROFILE = MONTH_PROFILE / MONTH_PROFILE.sum()
SECTORS = ("software_products", "it_services", "info_security", "embedded")
#: least entrants and exits of each macro region in a year, so that the calibration has someone to rake
MIN_PER_REGION = 3


@dataclass
class Population:
    """A synthetic population: registry, monthly YTD reports (long), annual reports, calibration table."""

    enterprises: pd.DataFrame
    monthly: pd.DataFrame
    annual: pd.DataFrame
    calibration: pd.DataFrame
    seed: int
    injected: list[dict[str, object]] = field(default_factory=list)


def _cities_by_province() -> dict[str, list[str]]:
    cat = load_catalog()
    out: dict[str, list[str]] = {p: [] for p in PROVINCE_WEIGHTS}
    for c in cat.cities.values():
        if c.province_code in out:
            out[c.province_code].append(c.code)
    return out


def simulate(
    enterprises: int,
    start: int,
    end: int,
    seed: int = 0,
    missing_rate: float = 0.02,
    calibrate_growth: bool = True,
) -> Population:
    """Simulate ``enterprises`` active enterprises a year from ``start`` to ``end`` (inclusive).

    Returns monthly values as year-to-date cumulative (本年累计) in 万元 (exports 万美元, employees
    persons) for every enterprise-month that files (a ``missing_rate`` share does not).
    ``calibrate_growth=False`` rakes the levels only (for comparison: every region then grows alike).
    """
    if end < start:
        raise ValueError("end year before start year")
    rng = np.random.default_rng(seed)
    cat = load_catalog()
    years = list(range(start, end + 1))
    ny, nm = len(years), len(years) * 12
    series = published_series()

    # -- registry: initial population + entrants each year; exits ------------------------------------
    exit_rate, n0 = 0.05, enterprises
    entrants = [int(round(n0 * exit_rate)) for _ in years[1:]]
    total = n0 + sum(entrants)
    founded_t = np.empty(total, dtype=np.int64)  # month index relative to January of `start`
    founded_t[:n0] = -rng.integers(1, 12 * 25, n0)
    pos = n0
    for k, n_new in enumerate(entrants, start=1):
        founded_t[pos : pos + n_new] = 12 * k + rng.integers(0, 12, n_new)
        pos += n_new
    base_size = rng.lognormal(0.0, 1.6, total)
    base_size[n0:] *= 0.3  # entrants start small
    prov_codes = np.array(list(PROVINCE_WEIGHTS))
    w = np.array(list(PROVINCE_WEIGHTS.values()))
    province = prov_codes[rng.choice(len(prov_codes), size=total, p=(w**0.8) / (w**0.8).sum())]
    macro_of = np.array([cat.provinces[p].macro for p in province], dtype=object)
    pos = n0
    for (
        n_new
    ) in entrants:  # every macro region gets entrants each year (the calibration fills levels with them)
        _at_least(province, macro_of, np.arange(pos, pos + n_new), prov_codes, w, rng)
        pos += n_new
    closed_t = np.full(total, np.iinfo(np.int64).max)
    for k in range(ny - 1):  # exits during year k+1, chosen among the smaller enterprises alive then
        alive = np.flatnonzero((founded_t < 12 * (k + 1)) & (closed_t == np.iinfo(np.int64).max))
        p = 1 / np.sqrt(base_size[alive])
        leave = rng.choice(alive, size=int(round(len(alive) * exit_rate)), replace=False, p=p / p.sum())
        for m in MACROS:  # …and exits in every macro region that has enterprises to lose
            here = alive[macro_of[alive] == m]
            short = MIN_PER_REGION - int(np.isin(here, leave).sum())
            if short > 0 and len(here) > 2 * MIN_PER_REGION:
                pool = np.setdiff1d(here, leave)
                q = 1 / np.sqrt(base_size[pool])
                leave = np.concatenate([leave, rng.choice(pool, size=short, replace=False, p=q / q.sum())])
        closed_t[leave] = 12 * (k + 1) + rng.integers(0, 12, len(leave))
    cities = _cities_by_province()
    region = np.empty(total, dtype=object)
    for pc in prov_codes:
        idx = np.flatnonzero(province == pc)
        options = cities[pc] or [pc]
        region[idx] = np.array(options, dtype=object)[rng.integers(0, len(options), len(idx))]
        county = idx[rng.random(len(idx)) < 0.3]
        if not cat.provinces[pc].municipality:  # some sit in a district of their city
            region[county] = [f"{c[:4]}{rng.integers(2, 9):02d}" for c in region[county]]
        else:
            region[county] = [f"{pc[:2]}01{rng.integers(1, 16):02d}" for _ in county]
    macro = macro_of
    sector_shares, _ = nearest_shares(SECTOR_INDICATORS, end, series)
    primary = rng.choice(4, size=total, p=sector_shares)

    # -- revenue: persistent sizes and growth, raked each year to the published levels and growth ------------
    growth = rng.normal(0.0, 0.06, total)[:, None] + rng.normal(0.0, 0.10, (total, ny))
    raw = np.exp(np.log(base_size)[:, None] + np.cumsum(growth, axis=1) - growth[:, :1])
    t = np.arange(nm)
    active = (founded_t[:, None] <= t[None, :]) & (t[None, :] < closed_t[:, None])  # enterprise × month
    prof = MONTH_PROFILE[None, :] * rng.lognormal(0, 0.08, (total, 12))
    prof /= prof.sum(axis=1, keepdims=True)
    split = np.full((total, 4), 0.15 / 3)
    split[np.arange(total), primary] = 0.85
    split *= rng.lognormal(0, 0.2, (total, 4))
    split /= split.sum(axis=1, keepdims=True)
    provinces = list(PROVINCE_WEIGHTS)
    lay = Layout(
        dec=active[:, 11::12],
        part=np.stack([(prof * active[:, 12 * k : 12 * k + 12]).sum(axis=1) for k in range(ny)], axis=1),
        province=np.array([provinces.index(p) for p in province]),
        macro=np.array([MACROS.index(m) for m in macro]),
        provinces=provinces,
    )
    targets = year_targets(years)
    values, residual = calibrate(targets, years, lay, raw, split, rng, calibrate_growth)
    shares = {
        "revenue_industrial_software": rng.uniform(0.0, 0.3, total),
        "cloud": rng.uniform(0.0, 0.45, total),
        "bigdata": rng.uniform(0.0, 0.35, total),
    }
    factors = {
        "revenue_industrial_software": item_factors(
            targets,
            years,
            "revenue_industrial_software",
            values[:, :, 0],
            shares["revenue_industrial_software"],
            lay.dec,
        ),
        "cloud_bigdata": item_factors(
            targets, years, "cloud_bigdata", values[:, :, 1], shares["cloud"] + shares["bigdata"], lay.dec
        ),
    }
    ents = _registry_frame(total, province, region, macro, primary, founded_t, closed_t, start, seed)
    monthly, annual_df = _reports(
        rng, ents, years, active, prof, values, shares, factors, series, missing_rate
    )
    calibration = calibration_table(targets, years, ents, annual_df)
    calibration.attrs["raking_residual"] = residual
    return Population(enterprises=ents, monthly=monthly, annual=annual_df, calibration=calibration, seed=seed)


def _at_least(
    province: np.ndarray,
    macro_of: np.ndarray,
    block: np.ndarray,
    prov_codes: np.ndarray,
    w: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Moves entrants of ``block`` (one year's) from the best-served macro region into any with fewer than
    :data:`MIN_PER_REGION` (a province drawn by weight), in place."""
    for m in MACROS:
        have = block[macro_of[block] == m]
        short = MIN_PER_REGION - len(have)
        if short <= 0:
            continue
        counts = {r: int((macro_of[block] == r).sum()) for r in MACROS}
        donor = max(counts, key=lambda r: counts[r])
        if counts[donor] <= 2 * MIN_PER_REGION:
            continue
        moved = rng.choice(block[macro_of[block] == donor], size=short, replace=False)
        here = np.array([load_catalog().provinces[p].macro == m for p in prov_codes])
        province[moved] = rng.choice(prov_codes[here], size=short, p=w[here] / w[here].sum())
        macro_of[moved] = m


def _month_date(t: np.ndarray, start: int, day: int = 1) -> list[date | None]:
    out: list[date | None] = []
    for v in t:
        if v >= np.iinfo(np.int64).max // 2:
            out.append(None)
        else:
            y, m = divmod(int(v), 12)
            out.append(date(start + y, m + 1, day))
    return out


def _registry_frame(
    total: int,
    province: np.ndarray,
    region: np.ndarray,
    macro: np.ndarray,
    primary: np.ndarray,
    founded_t: np.ndarray,
    closed_t: np.ndarray,
    start: int,
    seed: int,
) -> pd.DataFrame:
    serial0 = (seed % 1000) * 10_000_000
    uscc = [make_uscc(r, serial0 + i) for i, r in enumerate(region)]
    cat = load_catalog()
    city = [city_of(str(r), cat.provinces[p].municipality) for r, p in zip(region, province, strict=True)]
    return pd.DataFrame(
        {
            "enterprise_key": np.arange(1, total + 1, dtype=np.int64),
            "uscc": uscc,
            "name": [f"合成企业{i:06d}（synthetic）" for i in range(1, total + 1)],
            "region_code": region.astype(str),
            "province_code": province.astype(str),
            "city_code": city,
            "macro_region": macro.astype(str),
            "sector": np.array(SECTORS, dtype=object)[primary],
            "founded": _month_date(founded_t, start, 1),
            "closed": _month_date(closed_t, start, 15),
            "founded_t": founded_t,
            "closed_t": closed_t,
        }
    )


def _reports(
    rng: np.random.Generator,
    ents: pd.DataFrame,
    years: list[int],
    active: np.ndarray,
    prof: np.ndarray,
    values: np.ndarray,
    shares: dict[str, np.ndarray],
    factors: dict[str, dict[int, float]],
    series: dict,
    missing_rate: float,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    cat = load_catalog()
    total = len(ents)
    exporter = rng.random(total) < 0.2
    export_share = np.where(exporter, rng.lognormal(-2.5, 1.0, total), 0.0)
    margin_noise = rng.normal(0, 0.07, total)
    productivity = rng.lognormal(0, 0.45, total)
    rd_share = np.clip(rng.lognormal(np.log(0.06), 0.5, total), 0, 0.6)
    exports_t = yearly("exports_usd", years, series)
    profit_t = yearly("profit_total", years, series)
    rev_t = yearly("revenue_total", years, series)
    emp_t = yearly("employees", years, series)
    monthly_parts, annual_parts = [], []
    keys, usccs = ents["enterprise_key"].to_numpy(), ents["uscc"].to_numpy()
    for k, y in enumerate(years):
        dec = active[:, 12 * k + 11]
        rev = values[:, k].sum(axis=1)
        industrial = np.minimum(
            shares["revenue_industrial_software"] * factors["revenue_industrial_software"][y], 0.95
        )
        cloud = np.minimum(shares["cloud"] * factors["cloud_bigdata"][y], 0.95)
        bigdata = np.minimum(shares["bigdata"] * factors["cloud_bigdata"][y], 0.95)
        rate = cat.usd_rate(y)
        share = np.minimum(export_share, 0.9)
        scale_x = exports_t[k].value * 1e4 * rate / max((rev * share)[dec].sum(), 1e-9)
        exports_cny = np.minimum(rev * share * scale_x, 0.95 * rev)
        margin = profit_t[k].value / rev_t[k].value + margin_noise
        emp = rev / productivity
        emp *= emp_t[k].value * 1e4 / max(emp[dec].sum(), 1e-9)
        employees = np.maximum(1, np.round(emp)).astype(np.int64)
        parts = values[:, k]
        cum = np.cumsum(prof * active[:, 12 * k : 12 * k + 12], axis=1) / np.maximum(
            (prof * active[:, 12 * k : 12 * k + 12]).sum(axis=1, keepdims=True), 1e-12
        )
        for m in range(12):
            rows = np.flatnonzero(active[:, 12 * k + m] & (rng.random(total) >= missing_rate))
            c = cum[rows, m]
            sec = np.round(parts[rows] * c[:, None], 2)
            monthly_parts.append(
                _frame(
                    keys[rows],
                    usccs[rows],
                    str(Period(y, m + 1)),
                    y,
                    m + 1,
                    sec,
                    industrial[rows],
                    cloud[rows],
                    bigdata[rows],
                    exports_cny[rows] * c / rate,
                    rev[rows] * c * margin[rows],
                    employees[rows],
                )
            )
        rows = np.flatnonzero(dec)
        sec = np.round(parts[rows], 2)
        df = _frame(
            keys[rows],
            usccs[rows],
            str(Period(y)),
            y,
            None,
            sec,
            industrial[rows],
            cloud[rows],
            bigdata[rows],
            exports_cny[rows] / rate,
            rev[rows] * margin[rows],
            employees[rows],
        )
        df["rd_expense"] = np.round(rev[rows] * rd_share[rows], 2)
        annual_parts.append(df)
    return pd.concat(monthly_parts, ignore_index=True), pd.concat(annual_parts, ignore_index=True)


def _frame(
    keys: np.ndarray,
    uscc: np.ndarray,
    period: str,
    year: int,
    month: int | None,
    sec: np.ndarray,
    industrial: np.ndarray,
    cloud: np.ndarray,
    bigdata: np.ndarray,
    exports_usd: np.ndarray,
    profit: np.ndarray,
    employees: np.ndarray,
) -> pd.DataFrame:
    total = np.round(sec.sum(axis=1), 2)
    return pd.DataFrame(
        {
            "enterprise_key": keys,
            "uscc": uscc,
            "period": period,
            "year": year,
            "month": month if month is not None else pd.NA,
            "revenue_total": total,
            "revenue_software_products": sec[:, 0],
            "revenue_industrial_software": np.floor(sec[:, 0] * industrial * 100) / 100,
            "revenue_it_services": sec[:, 1],
            "revenue_cloud_services": np.floor(sec[:, 1] * cloud * 100) / 100,
            "revenue_bigdata_services": np.floor(sec[:, 1] * bigdata * 100) / 100,
            "revenue_info_security": sec[:, 2],
            "revenue_embedded": sec[:, 3],
            "exports_usd": np.round(exports_usd, 2),
            "profit_total": np.round(profit, 2),
            "employees": employees,
        }
    )
