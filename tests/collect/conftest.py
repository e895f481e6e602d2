"""Fixtures for intake tests: a small registry and a writer of report files."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from sitmon.catalog import load_catalog
from sitmon.collect.registry import import_enterprises
from sitmon.domain.uscc import make_uscc

MONTHLY = list(load_catalog().forms["monthly"].indicators)

# Three registered enterprises: Beijing IT services, Shenzhen software products, Chengdu embedded.
ENTERPRISES = [
    (make_uscc("110108", 1), "测试企业甲", "110108", "it_services"),
    (make_uscc("440305", 2), "测试企业乙", "440305", "software_products"),
    (make_uscc("510100", 3), "测试企业丙", "510100", "embedded"),
]


def good_values(scale: float = 1.0) -> dict[str, float]:
    """A consistent monthly row (万元): sub-sectors sum to the total, parts below parents."""
    v = {
        "revenue_software_products": 400.0,
        "revenue_industrial_software": 50.0,
        "revenue_it_services": 500.0,
        "revenue_cloud_services": 100.0,
        "revenue_bigdata_services": 60.0,
        "revenue_info_security": 40.0,
        "revenue_embedded": 60.0,
        "exports_usd": 10.0,
        "profit_total": 80.0,
        "employees": 50,
    }
    v = {k: (round(x * scale, 2) if k != "employees" else x) for k, x in v.items()}
    v["revenue_total"] = round(
        v["revenue_software_products"]
        + v["revenue_it_services"]
        + v["revenue_info_security"]
        + v["revenue_embedded"],
        2,
    )
    return v


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", header: list[str] | None = None) -> Path:
    cols = header or ["uscc", "period", *MONTHLY, "note"]
    keys = ["uscc", "period", *MONTHLY, "note"]
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rows:
            w.writerow(["" if r.get(k) is None else r.get(k) for k in keys])
    return path


@pytest.fixture
def registered(db, tmp_path) -> list[str]:
    """The three test enterprises, imported into the registry of ``db``."""
    path = tmp_path / "enterprises.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded", "closed"])
        for u, n, r, s in ENTERPRISES:
            w.writerow([u, n, r, s, "2010-01-01", ""])
    res = import_enterprises(db, path)
    assert res.status == "stored", res.errors
    return [e[0] for e in ENTERPRISES]


@pytest.fixture
def row() -> Callable[..., dict]:
    def make(uscc: str, period: str, scale: float = 1.0, **changes) -> dict:
        return {"uscc": uscc, "period": period, **good_values(scale), **changes}

    return make
