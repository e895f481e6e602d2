"""A small synthetic population taken through the real intake, acceptance and publishing once per session,
and an independent pandas model of what the releases must hold."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sitmon.catalog import load_catalog
from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.collect.synthetic import simulate, write
from sitmon.config import Settings
from sitmon.process.publish import publish
from sitmon.process.review import accept_period, accept_reports
from sitmon.store.db import Database

TODAY = date(2026, 11, 22)
REVISED_PERIOD = "2024-06"


@dataclass
class Published:
    settings: Settings
    expected: pd.DataFrame  # independent pandas model of every release (all periods)
    periods: list[str]


def _previous(p: str) -> str:
    y, m = int(p[:4]), int(p[5:7])
    return f"{y - 1}-12" if m == 1 else f"{y}-{m - 1:02d}"


def _month_end(p: str) -> pd.Timestamp:
    return pd.Timestamp(f"{p}-01") + pd.offsets.MonthEnd(0)


def pandas_releases(src: Path, revised: dict[str, dict]) -> pd.DataFrame:
    """Recompute every monthly release from the generated files with plain pandas (no sitmon code)."""
    cat = load_catalog()
    ents = pd.read_csv(src / "enterprises.csv", dtype=str, keep_default_na=False)
    ents["founded"] = pd.to_datetime(ents.founded.replace("", None))
    ents["closed"] = pd.to_datetime(ents.closed.replace("", None))
    ents["province"] = ents.region_code.str[:2] + "0000"
    macro = {p.code: p.macro for p in cat.provinces.values()}
    ents["region"] = ents.province.map(macro)
    municipalities = {p.code for p in cat.provinces.values() if p.municipality}
    ents["city"] = [
        None if c.endswith("0000") or p in municipalities else c[:4] + "00"
        for c, p in zip(ents.region_code, ents.province, strict=True)
    ]
    files = sorted((src / "reports").glob("synthetic-monthly-*.csv"))
    codes = list(cat.forms["monthly"].indicators)
    out, prev = [], None
    for f in files:
        df = pd.read_csv(f, dtype={"uscc": str, "note": str})
        p = df.period.iloc[0]
        for uscc, vals in revised.items():
            if p == REVISED_PERIOD:
                for k, v in vals.items():
                    df.loc[df.uscc == uscc, k] = v
        df = df.merge(ents[["uscc", "sector", "province", "city", "region", "founded", "closed"]], on="uscc")
        df["imputed"] = False
        if prev is not None and prev.period.iloc[0] == _previous(p):
            end = _month_end(p)
            active = ents[
                (ents.founded.isna() | (ents.founded <= end)) & (ents.closed.isna() | (ents.closed > end))
            ]
            resp_prev = prev[~prev.imputed]
            miss = resp_prev[resp_prev.uscc.isin(active.uscc) & ~resp_prev.uscc.isin(df.uscc)].copy()
            both = df.merge(resp_prev[["uscc", "revenue_total"]], on="uscc", suffixes=("", "_q"))
            sums = both.groupby(["sector", "province"])[["revenue_total", "revenue_total_q"]].sum()
            loc = sums.revenue_total / sums.revenue_total_q.replace(0, np.nan)
            nsum = both.groupby("sector")[["revenue_total", "revenue_total_q"]].sum()
            nat = nsum.revenue_total / nsum.revenue_total_q.replace(0, np.nan)
            fac = []
            for _, r in miss.iterrows():
                v = loc.get((r.sector, r.province), np.nan)
                if not np.isfinite(v):
                    v = nat.get(r.sector, np.nan)
                fac.append(v if np.isfinite(v) else 1.0)
            fac = np.array(fac)
            for c in codes:
                if c != "employees":
                    miss[c] = miss[c].to_numpy() * fac
            miss["imputed"] = True
            miss["period"] = p
            df = pd.concat([df, miss], ignore_index=True)
        out.append(df)
        prev = df
    return pd.concat(out, ignore_index=True)


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Published:
    base = tmp_path_factory.mktemp("published")
    src = base / "gen"
    write(simulate(300, 2023, 2024, seed=21, missing_rate=0.06), src, annual=False)
    settings = Settings(home=base / "home")
    db = Database(settings)
    db.upgrade()
    assert import_enterprises(db, src / "enterprises.csv").status == "stored"
    files = sorted((src / "reports").glob("*.csv"))
    for f in files:
        assert import_file(db, f, today=TODAY).status == "stored"
    # a revision: one enterprise corrects June; first the original is accepted, then the revision
    rows = list(
        csv.DictReader((src / "reports" / f"synthetic-monthly-{REVISED_PERIOD}.csv").open(encoding="utf-8"))
    )
    target = rows[5]
    fixed = dict(target)
    for k in ("revenue_total", "revenue_it_services"):
        fixed[k] = f"{float(target[k]) + 100:.2f}"
    periods = [f.name.removeprefix("synthetic-monthly-").removesuffix(".csv") for f in files]
    for (
        p
    ) in periods:  # every report accepted: the unexplained warnings one by one, with the reviewer's reason
        accept_reports(db, [r.id for r in accept_period(db, p).skipped], "test fixture: checked")
    revision_file = base / "revision.csv"
    with revision_file.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(target))
        w.writeheader()
        w.writerow(fixed)
    res = import_file(db, revision_file, today=TODAY)
    assert (res.status, res.new_revisions) == ("stored", 1), res.errors
    accept_reports(db, [r.id for r in accept_period(db, REVISED_PERIOD).skipped], "test fixture: checked")
    for p in periods:
        publish(db, p)
    db.dispose()
    revised = {
        target["uscc"]: {
            "revenue_total": float(fixed["revenue_total"]),
            "revenue_it_services": float(fixed["revenue_it_services"]),
        }
    }
    return Published(settings=settings, expected=pandas_releases(src, revised), periods=periods)
