"""Acceptance and publishing on SQLite and PostgreSQL: releases, immutability, revisions, imputation."""

from __future__ import annotations

import csv
import hashlib
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import select

from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.domain.uscc import make_uscc
from sitmon.process.publish import publish
from sitmon.process.review import ReviewError, accept, accept_period, return_report
from sitmon.store import models
from sitmon.store.reports import current_reports
from sitmon.store.warehouse import Warehouse

from ..collect.conftest import good_values, write_csv

TODAY = date(2026, 11, 22)
# four IT-services enterprises in Hangzhou, one in Nanjing; E closes in February
CODES = {
    k: make_uscc(r, i)
    for i, (k, r) in enumerate(
        [("A", "330100"), ("B", "330100"), ("C", "330102"), ("D", "320100"), ("E", "330100")], start=1
    )
}


@pytest.fixture
def world(db, tmp_path):
    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded", "closed"])
        for k, u in CODES.items():
            w.writerow(
                [
                    u,
                    f"企业{k}",
                    "330100" if k != "D" else "320100",
                    "it_services",
                    "2015-01-01",
                    "2024-02-10" if k == "E" else "",
                ]
            )
    assert import_enterprises(db, reg).status == "stored"

    def file(name, period, scales):
        rows = [{"uscc": CODES[k], "period": period, **good_values(s)} for k, s in scales.items()]
        res = import_file(db, write_csv(tmp_path / name, rows), today=TODAY)
        assert res.status == "stored", res.errors

    # January: all five file; February: A, B, D file (C is missing, E has closed)
    file("jan.csv", "2024-01", {"A": 1.0, "B": 2.0, "C": 3.0, "D": 1.0, "E": 1.0})
    file("feb.csv", "2024-02", {"A": 2.2, "B": 4.4, "D": 2.0})
    return db, file


def test_accept_by_region_is_audited(world):
    db, _ = world
    assert accept_period(db, "2024-01", region="320000").accepted == 1
    assert accept_period(db, "2024-01", region="east").accepted == 4
    assert accept_period(db, "2024-01").accepted == 0
    with db.session() as s:
        assert {r.status for r in current_reports(s, "monthly", ["2024-01"])} == {"accepted"}
        actions = [e.action for e in s.scalars(select(models.AuditEvent))]
    assert actions.count("report.accepted") == 3
    with pytest.raises(ReviewError):
        accept_period(db, "2024-01", region="990000")


@pytest.mark.slow
def test_publish_imputes_the_missing_filer_and_not_the_closed_one(world):
    db, _ = world
    accept_period(db, "2024-01")
    accept_period(db, "2024-02")
    jan = publish(db, "2024-01")
    assert (jan.number, jan.respondents, jan.imputed, jan.expected) == (1, 5, 0, 5)
    feb = publish(db, "2024-02")
    # expected in February: A, B, C, D (E closed on 10 Feb); C is imputed
    assert (feb.respondents, feb.imputed, feb.expected, feb.response_rate_pct) == (3, 1, 4, 75.0)
    rel = pd.read_parquet(Warehouse(db.settings).files("monthly", ["2024-02"])[0].path)
    c = rel[rel.uscc == CODES["C"]].iloc[0]
    # growth of respondents in the same sector and province (Zhejiang IT services: A and B): (2.2+4.4)/(1+2)
    assert bool(c.imputed) and c.revision == 0
    assert c.revenue_total == pytest.approx(3000.0 * (2200 + 4400) / (1000 + 2000))
    assert c.employees == 50  # a stock: carried forward
    assert CODES["E"] not in set(rel.uscc)
    assert list(rel.columns[:11]) == [
        "enterprise_key",
        "uscc",
        "period",
        "year",
        "month",
        "province",
        "city",
        "region",
        "sector",
        "imputed",
        "revision",
    ]
    data = Warehouse(db.settings).files("monthly", ["2024-02"])[0].path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == feb.checksum


@pytest.mark.slow
def test_republishing_keeps_the_old_release_and_latest_accepted_revision_wins(world):
    db, file = world
    accept_period(db, "2024-01")
    first = publish(db, "2024-01")
    path1 = Warehouse(db.settings).files("monthly", ["2024-01"])[0].path
    before = path1.read_bytes()
    file("jan-fix.csv", "2024-01", {"A": 1.5})  # revision 2, submitted only
    second = publish(db, "2024-01")
    assert second.number == 2 and path1.read_bytes() == before
    wh = Warehouse(db.settings)
    t = wh.table("monthly", ["2024-01"]).execute()
    assert t[t.uscc == CODES["A"]].revenue_total.iloc[0] == 1000.0  # revision 1 is still the accepted one
    with db.session() as s:
        rep = next(r for r in current_reports(s, "monthly", ["2024-01"]) if r.uscc == CODES["A"])
        with pytest.raises(ReviewError):
            return_report(s, rep.report_id, " ", "reviewer")
        accept(s, rep.report_id, "reviewer")
    assert publish(db, "2024-01").number == 3
    latest = Warehouse(db.settings).table("monthly", ["2024-01"]).execute()
    assert latest[latest.uscc == CODES["A"]].revenue_total.iloc[0] == 1500.0
    pinned = Warehouse(db.settings).table("monthly", release=1).execute()
    assert pinned[pinned.uscc == CODES["A"]].revenue_total.iloc[0] == 1000.0
    assert first.checksum != ""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("recorded", "name"), [(False, "合成企业000001（synthetic）"), (True, "杭州某软件公司")]
)
def test_a_release_is_synthetic_when_its_registry_was_recorded_so(db, tmp_path, recorded, name):
    """What the registry import recorded decides, not what the enterprise names say."""
    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(
            [["uscc", "name", "region_code", "sector"], [CODES["A"], name, "330100", "it_services"]]
        )
    assert import_enterprises(db, reg, synthetic=recorded).status == "stored"
    rows = [{"uscc": CODES["A"], "period": "2024-01", **good_values(1.0)}]
    assert import_file(db, write_csv(tmp_path / "jan.csv", rows), today=TODAY).status == "stored"
    accept_period(db, "2024-01")
    rel = publish(db, "2024-01")
    assert rel.synthetic is recorded
    assert Warehouse(db.settings).files("monthly", ["2024-01"])[0].manifest["synthetic"] is recorded
