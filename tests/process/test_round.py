"""The monthly round below the interfaces (issue 14): acceptance rules for warnings, one report against last month
and last year, late filers and response rates by the forms' populations, the publish guard (refused, dry run,
forced — nothing visible unless published), the release calendar and the revision notice's rules.
All enterprises and figures are SYNTHETIC."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from sitmon.collect.intake import import_file
from sitmon.collect.registry import import_enterprises
from sitmon.domain import Conflict
from sitmon.domain.uscc import make_uscc
from sitmon.process.compare import compare_report
from sitmon.process.monitoring import expected_filers, late_filers, response_rates
from sitmon.process.publish import publish
from sitmon.process.publish_guard import GuardPolicy, PublishRefused, publish_guarded
from sitmon.process.release_calendar import release_calendar, status_of
from sitmon.process.review import ReviewError, accept, accept_period, accept_reports, review_report
from sitmon.process.revision_notice import compare, flags_of, stored_notice
from sitmon.security import Principal, Role
from sitmon.store import models
from sitmon.store.reports import current_reports
from sitmon.store.warehouse import release_files

from ..collect.conftest import good_values, write_csv

TODAY = date(2026, 11, 22)
ADMIN = Principal(username="tester", role=Role.admin, via="cli")
PANEL = [make_uscc("330100", 900 + i) for i in range(5)]
ANNUAL_ONLY = make_uscc("330100", 950)


@pytest.fixture
def world(db, tmp_path):
    reg = tmp_path / "registry.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded", "monthly_panel", "contact", "phone"])
        for i, u in enumerate(PANEL):
            w.writerow(
                [
                    u,
                    f"企业{i}（synthetic）",
                    "330100",
                    ("it_services", "embedded")[i % 2],
                    "2015-01-01",
                    "是",
                    f"王{i}",
                    f"1380000000{i}",
                ]
            )
        w.writerow(
            [ANNUAL_ONLY, "年报企业（synthetic）", "330100", "it_services", "2015-01-01", "否", "", ""]
        )
    assert import_enterprises(db, reg).status == "stored"

    def file(name, rows):
        res = import_file(db, write_csv(tmp_path / name, rows), today=TODAY)
        assert res.status == "stored", res.errors
        return res

    return db, file


def _ids(db, period):
    with db.session() as s:
        return {r.uscc: r.report_id for r in current_reports(s, "monthly", [period])}


def test_warnings_need_an_explanation_or_the_reviewers_reason(world):
    db, file = world
    file("ly.csv", [{"uscc": u, "period": "2023-03", **good_values()} for u in PANEL[:3]])
    file(
        "m.csv",
        [
            {"uscc": PANEL[0], "period": "2024-03", **good_values(1.9)},
            {"uscc": PANEL[1], "period": "2024-03", **good_values(1.9), "note": "新签合同"},
            {"uscc": PANEL[2], "period": "2024-03", **good_values(1.1)},
        ],
    )
    done = accept_period(db, "2024-03")
    assert done.accepted == 2 and [(s.uscc, s.rules) for s in done.skipped] == [(PANEL[0], ["yoy_change"])]
    rid = _ids(db, "2024-03")[PANEL[0]]
    with pytest.raises(ReviewError) as err, db.session() as s:
        accept(s, rid, "tester")
    assert err.value.detail == {"unexplained": ["yoy_change"]}
    with pytest.raises(Conflict):
        review_report(db, ADMIN, rid, "accept")
    assert accept_reports(db, [rid], "电话核实：大额合同") == 1
    assert accept_reports(db, [rid], "again") == 0  # already decided: left as it is
    with db.session() as s:
        (rep,) = current_reports(
            s,
            "monthly",
            ["2024-03"],
            enterprise_ids=[s.scalar(select(models.Enterprise.id).where(models.Enterprise.uscc == PANEL[0]))],
        )
        events = list(s.scalars(select(models.AuditEvent).where(models.AuditEvent.object_id == str(rid))))
        reason = s.scalar(select(models.ReviewEvent.reason).where(models.ReviewEvent.report_id == rid))
    assert rep.status == "accepted" and reason == "电话核实：大额合同"
    assert events[-1].detail == {"reason": "电话核实：大额合同", "unexplained": ["yoy_change"]}


def test_one_report_against_last_month_and_last_year(world):
    db, file = world
    file("a.csv", [{"uscc": PANEL[0], "period": "2023-02", **good_values(1.0)}])
    file(
        "b.csv",
        [
            {"uscc": PANEL[0], "period": "2024-01", **good_values(0.8), "note": "x"},
            {"uscc": PANEL[0], "period": "2024-02", **good_values(1.2), "note": "x"},
        ],
    )
    feb = compare_report(db, ADMIN, _ids(db, "2024-02")[PANEL[0]])
    rev = next(r for r in feb.rows if r.indicator == "revenue_total")
    assert (feb.last_month_period, feb.last_year_period) == ("2024-01", "2023-02")
    assert (rev.value, rev.last_month, rev.vs_last_month_pct, rev.last_year, rev.yoy_pct) == (
        1200.0,
        800.0,
        50.0,
        1000.0,
        20.0,
    )
    jan = compare_report(db, ADMIN, _ids(db, "2024-01")[PANEL[0]])
    rev = next(r for r in jan.rows if r.indicator == "revenue_total")
    assert jan.last_month_period is None and rev.last_month is None and rev.last_year is None


def test_the_forms_populations_decide_who_is_late_and_the_rates(world):
    db, file = world
    file("m.csv", [{"uscc": u, "period": "2024-03", **good_values()} for u in PANEL[:3]])
    rid = _ids(db, "2024-03")[PANEL[2]]
    review_report(db, ADMIN, rid, "return", "请核实从业人员")
    with db.session() as s:
        assert len(expected_filers(s, "2024-03")) == 5 and len(expected_filers(s, "2024", "annual")) == 6
    late = {r.uscc: r for r in late_filers(db, ADMIN, form="monthly", period="2024-03")}
    assert set(late) == {PANEL[2], PANEL[3], PANEL[4]} and ANNUAL_ONLY not in late
    assert (late[PANEL[3]].status, late[PANEL[3]].contact, late[PANEL[3]].phone) == (
        "missing",
        "王3",
        "13800000003",
    )
    assert (late[PANEL[2]].status, late[PANEL[2]].return_reason) == ("returned", "请核实从业人员")
    rates = response_rates(db, ADMIN, form="monthly", periods=["2024-03"], by_sector=True)
    assert [(r.sector, r.expected, r.filed, r.returned, r.response_rate_pct) for r in rates] == [
        ("it_services", 3, 2, 1, 66.67),
        ("embedded", 2, 1, 0, 50.0),
    ]  # the bulletin's order of sectors


def _releases(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(models.Release))


@pytest.mark.slow
def test_the_guard_refuses_previews_and_is_forced(world):
    db, file = world
    file("m.csv", [{"uscc": u, "period": "2024-03", **good_values()} for u in PANEL[:3]])
    accept_period(db, "2024-03")
    with pytest.raises(PublishRefused) as err:
        publish_guarded(db, "2024-03", policy=GuardPolicy(80.0))
    p = err.value.preview
    assert (p.expected, p.respondents, p.response_rate_pct, p.unexplained) == (5, 3, 60.0, 0)
    assert [x.key for x in p.problems] == ["publish_guard.low_response"]
    assert _releases(db) == 0 and release_files(db.settings, "monthly") == []
    assert not list(db.settings.warehouse_dir.rglob("*.parquet"))
    dry = publish_guarded(db, "2024-03", policy=GuardPolicy(50.0, dry_run=True))
    assert dry.release is None and dry.preview.problems == [] and _releases(db) == 0
    done = publish_guarded(
        db, "2024-03", actor="tester", policy=GuardPolicy(80.0, force=True, reason="已核实")
    )
    assert done.release is not None and done.preview.forced and _releases(db) == 1
    folder = release_files(db.settings, "monthly", ["2024-03"])[0].path.parent
    assert (folder / "guard.json").exists() and (folder / "revision_notice.json").exists()
    with db.session() as s:
        event = s.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == "period.published")
        ).one()
    assert (event.actor, event.detail["forced"], event.detail["reason"]) == ("tester", True, "已核实")
    assert stored_notice(db.settings, "monthly", "2024-03").previous is None


@pytest.mark.slow
def test_unexplained_warnings_block_publishing(world):
    db, file = world
    file("ly.csv", [{"uscc": u, "period": "2023-03", **good_values()} for u in PANEL])
    file(
        "m.csv",
        [{"uscc": u, "period": "2024-03", **good_values(1.9 if u == PANEL[0] else 1.1)} for u in PANEL],
    )
    accept_period(db, "2024-03")
    with pytest.raises(PublishRefused) as err:
        publish_guarded(db, "2024-03", policy=GuardPolicy(0.0))
    assert [x.key for x in err.value.preview.problems] == ["publish_guard.unexplained"]
    assert err.value.preview.unexplained == 1
    accept_reports(db, [_ids(db, "2024-03")[PANEL[0]]], "已电话核实")
    assert publish_guarded(db, "2024-03", policy=GuardPolicy(0.0)).release is not None


@pytest.mark.slow
def test_an_unguarded_publish_is_unchanged_and_records_its_notice(world):
    db, file = world
    file("m.csv", [{"uscc": u, "period": "2024-03", **good_values()} for u in PANEL])
    accept_period(db, "2024-03")
    assert publish(db, "2024-03").number == 1
    assert publish(db, "2024-03").number == 2
    notice = stored_notice(db.settings, "monthly", "2024-03")
    assert (notice.number, notice.previous) == (2, 1)
    assert stored_notice(db.settings, "monthly", "2024-03", 1).previous is None


def test_the_notice_shows_published_cells_only():
    old = {
        ("revenue_total", "national", ()): 100.0,
        ("revenue_total", "province", ("330000",)): 60.0,
        ("revenue_total", "province", ("110000",)): 40.0,
        ("revenue_total", "province", ("440000",)): 5.0,
        ("employees", "national", ()): 10.0,
    }
    new = {
        ("revenue_total", "national", ()): 110.0,
        ("revenue_total", "province", ("330000",)): 70.0,
        ("revenue_total", "province", ("110000",)): 40.0,
        ("revenue_total", "province", ("440000",)): 6.0,
        ("employees", "national", ()): 12.0,
    }
    old_flags = {"revenue_total": {("province", ("440000",)): "threshold"}, "employees": None}
    new_flags = {"revenue_total": {("province", ("330000",)): "dominance"}, "employees": {}}
    n = compare(old, new, old_flags, new_flags, "monthly", "2024-03", 2, 1)
    cells = {(c.table, tuple(c.key)): c for c in n.cells}
    assert cells[("national", ())].status == "revised" and (
        cells[("national", ())].old,
        cells[("national", ())].new,
        cells[("national", ())].change_pct,
    ) == (100.0, 110.0, 10.0)
    hidden = cells[("province", ("330000",))]
    assert (hidden.status, hidden.old, hidden.new) == ("newly_suppressed", None, None)
    shown = cells[("province", ("440000",))]
    assert (shown.status, shown.old, shown.new) == ("newly_published", None, 6.0)
    assert ("province", ("110000",)) not in cells  # unchanged
    assert n.missing_patterns == ["employees"] and not n.complete  # no pattern: nothing of it shown
    assert all(c.indicator == "revenue_total" for c in n.cells)
    assert flags_of({"cells": [], "failsafe": "ValueError: x"}) is None  # a fail-safe pattern suppresses all
    assert flags_of(
        {"cells": [{"table": "province", "key": ["330000"], "flag": "threshold"}], "failsafe": False}
    ) == {("province", ("330000",)): "threshold"}


@pytest.mark.slow
def test_the_calendar_says_late_and_overdue(world):
    db, file = world
    assert status_of(date(2024, 7, 20), date(2024, 7, 20), TODAY) == ("on_time", None)
    assert status_of(date(2024, 7, 20), date(2024, 7, 25), TODAY) == ("late", 5)
    assert status_of(date(2024, 7, 20), None, date(2024, 7, 19)) == ("due", None)
    assert status_of(date(2024, 7, 20), None, date(2024, 8, 1)) == ("overdue", 12)
    file("m.csv", [{"uscc": u, "period": "2024-03", **good_values()} for u in PANEL])
    accept_period(db, "2024-03")
    publish(db, "2024-03")
    entries = {e.period: e for e in release_calendar(db, year=2024, today=date(2024, 4, 1))}
    published_on = datetime.now(UTC).date()
    assert entries["2024-03"].planned == date(2024, 4, 20) and entries["2024-03"].releases == 1
    assert entries["2024-03"].status == ("late" if published_on > date(2024, 4, 20) else "on_time")
    assert entries["2024-02"].status == "overdue" and entries["2024-04"].status == "due"
    assert entries["2024-01"].planned == date(2024, 3, 20)  # January is published with February
    assert len(entries) == 12 and [e.period for e in release_calendar(db, form="annual", year=2024)] == [
        "2024"
    ]
