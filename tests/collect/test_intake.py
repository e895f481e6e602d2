"""Report intake on SQLite and PostgreSQL: storing, revisions, every hard rule, every warning."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sitmon.collect.intake import import_file
from sitmon.store import models
from sitmon.store.reports import current_reports, revisions

from .conftest import MONTHLY, write_csv

TODAY = date(2026, 11, 22)


def snapshot(db) -> dict:
    """Row counts of every table and the archive's files: what a rejected import must not change."""
    with db.session() as s:
        counts = {
            t.name: s.scalar(select(func.count()).select_from(t)) for t in models.Base.metadata.sorted_tables
        }
    archive = (
        sorted(p.name for p in db.settings.archive_dir.rglob("*")) if db.settings.archive_dir.exists() else []
    )
    return {"counts": counts, "archive": archive}


def test_clean_file_is_stored_archived_and_listed(db, registered, row, tmp_path):
    a, b, c = registered
    path = write_csv(tmp_path / "m.csv", [row(a, "2024-01"), row(b, "2024-01", 2), row(c, "2024-01", 3)])
    res = import_file(db, path, today=TODAY)
    assert res.status == "stored", res.errors
    assert (res.new_reports, res.new_revisions, res.form) == (3, 0, "monthly")
    archived = list(db.settings.archive_dir.rglob(f"{res.sha256}.csv"))
    assert len(archived) == 1 and archived[0].read_bytes() == path.read_bytes()
    with db.session() as s:
        reps = current_reports(s, "monthly", ["2024-01"])
        assert sorted(r.values["revenue_total"] for r in reps) == [1000.0, 2000.0, 3000.0]
        assert all(r.status == "submitted" and r.revision == 1 for r in reps)
        assert s.scalar(select(func.count()).select_from(models.AuditEvent)) >= 1


def test_reimport_changes_nothing_and_a_changed_value_makes_a_revision(db, registered, row, tmp_path):
    a, b, _ = registered
    first = write_csv(tmp_path / "m1.csv", [row(a, "2024-01"), row(b, "2024-01")])
    assert import_file(db, first, today=TODAY).status == "stored"
    before = snapshot(db)
    again = import_file(db, first, today=TODAY)
    assert again.status == "unchanged"
    assert snapshot(db) == before
    changed = write_csv(tmp_path / "m2.csv", [row(a, "2024-01"), row(b, "2024-01", 1.1)])
    res = import_file(db, changed, today=TODAY)
    assert (res.status, res.new_reports, res.new_revisions, res.unchanged_rows) == ("stored", 0, 1, 1)
    with db.session() as s:
        ent = s.scalar(select(models.Enterprise.id).where(models.Enterprise.uscc == b))
        revs = revisions(s, ent, "monthly", "2024-01")
        assert [r.revision for r in revs] == [1, 2]
        assert revs[0].values["revenue_total"] == 1000.0 and revs[1].values["revenue_total"] == 1100.0


HARD_CASES = [
    ("uscc", {"uscc": "91110108MA00000010"}, "uscc"),
    ("registered", {"uscc": "91110000802100433B"}, "uscc"),
    ("period", {"period": "2024-13"}, "period"),
    ("period", {"period": "2027-01"}, "period"),
    ("required", {"revenue_embedded": ""}, "revenue_embedded"),
    ("number", {"profit_total": "十万"}, "profit_total"),
    ("integer", {"employees": "12.5"}, "employees"),
    ("nonnegative", {"revenue_info_security": -5, "revenue_total": 990}, "revenue_info_security"),
    ("sector_sum", {"revenue_total": 1100}, "revenue_total"),
    ("industrial_within_products", {"revenue_industrial_software": 401}, "revenue_industrial_software"),
    ("cloud_within_it_services", {"revenue_cloud_services": 501}, "revenue_cloud_services"),
    ("bigdata_within_it_services", {"revenue_bigdata_services": 500.5}, "revenue_bigdata_services"),
]


@pytest.mark.parametrize(
    ("rule", "change", "column"), HARD_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(HARD_CASES)]
)
def test_each_hard_rule_rejects_the_whole_file(db, registered, row, tmp_path, rule, change, column):
    a, b, _ = registered
    path = write_csv(tmp_path / "bad.csv", [row(b, "2024-01"), {**row(a, "2024-01"), **change}])
    before = snapshot(db)
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected"
    hit = [e for e in res.errors if e.rule == rule]
    assert hit, [e.rule for e in res.errors]
    assert (hit[0].row, hit[0].column, hit[0].file) == (3, column, "bad.csv")
    assert hit[0].message_zh and hit[0].message_en
    assert snapshot(db) == before


def test_duplicate_rows_and_decreasing_ytd(db, registered, row, tmp_path):
    a, b, _ = registered
    dup = write_csv(tmp_path / "dup.csv", [row(a, "2024-01"), row(b, "2024-01"), row(a, "2024-01")])
    res = import_file(db, dup, today=TODAY)
    assert [(e.rule, e.row) for e in res.errors] == [("duplicate", 4)]
    assert "第 2 行" in res.errors[0].message_zh
    assert (
        import_file(db, write_csv(tmp_path / "jan.csv", [row(a, "2024-01", 2)]), today=TODAY).status
        == "stored"
    )
    before = snapshot(db)
    res = import_file(db, write_csv(tmp_path / "feb.csv", [row(a, "2024-02", 1.5)]), today=TODAY)
    assert [(e.rule, e.column) for e in res.errors] == [("ytd_not_decreasing", "revenue_total")]
    assert snapshot(db) == before
    # the previous month in the same file counts too
    res = import_file(
        db, write_csv(tmp_path / "mar.csv", [row(b, "2024-02", 3), row(b, "2024-03", 2.5)]), today=TODAY
    )
    assert [(e.rule, e.row) for e in res.errors] == [("ytd_not_decreasing", 3)]


def test_unknown_and_missing_columns_are_reported_on_row_1(db, registered, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("uscc,收入合计\n", encoding="utf-8")
    res = import_file(db, path, form="monthly", today=TODAY)
    assert res.status == "rejected"
    assert {(e.rule, e.row) for e in res.errors} == {("header", 1)}
    assert any("收入合计" in e.message_zh for e in res.errors)
    assert any("period" in e.message_en for e in res.errors)


def test_warnings_are_stored_with_the_revision_and_notes_explain_them(db, registered, row, tmp_path):
    a, b, c = registered
    assert (
        import_file(
            db, write_csv(tmp_path / "y1.csv", [row(a, "2023-03"), row(b, "2023-03")]), today=TODAY
        ).status
        == "stored"
    )
    rows = [
        row(a, "2024-03", 2.0, note="新签大额合同 large new contract"),  # +100 % -> yoy_change
        row(b, "2024-03", 1.0, employees=5000),  # revenue per employee too low
        row(c, "2024-03", 1.0, exports_usd=200),
    ]  # exports above revenue
    res = import_file(db, write_csv(tmp_path / "y2.csv", rows), today=TODAY)
    assert res.status == "stored"
    assert {(w.rule, w.row) for w in res.warnings} == {
        ("yoy_change", 2),
        ("revenue_per_employee", 3),
        ("exports_within_revenue", 4),
    }
    with db.session() as s:
        reps = {r.uscc: r for r in current_reports(s, "monthly", ["2024-03"])}
    assert reps[a].warnings[0]["rule"] == "yoy_change" and reps[a].warnings[0]["explained"] is True
    assert reps[a].note.startswith("新签大额合同")
    assert reps[b].warnings[0]["explained"] is False


def test_growth_outlier_among_the_sector(db, tmp_path):
    """25 IT-services enterprises grow ~10 %; one grows five-fold: only it is flagged (Hidiroglou–Berthelot)."""
    import csv

    from sitmon.collect.registry import import_enterprises
    from sitmon.domain.uscc import make_uscc

    from .conftest import good_values

    codes = [make_uscc("330100", 100 + i) for i in range(25)]
    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector"])
        w.writerows([u, f"企业{i}", "330100", "it_services"] for i, u in enumerate(codes))
    assert import_enterprises(db, reg).status == "stored"
    scales = [1 + 0.3 * (i % 5) for i in range(25)]
    last = [{"uscc": u, "period": "2023-06", **good_values(s)} for u, s in zip(codes, scales, strict=True)]
    this = [
        {"uscc": u, "period": "2024-06", **good_values(s * (1.08 + 0.01 * (i % 4)))}
        for i, (u, s) in enumerate(zip(codes, scales, strict=True))
    ]
    this[3] = {"uscc": codes[3], "period": "2024-06", **good_values(scales[3] * 1.45)}
    assert import_file(db, write_csv(tmp_path / "a.csv", last), today=TODAY).status == "stored"
    res = import_file(db, write_csv(tmp_path / "b.csv", this), today=TODAY)
    flagged = [w.row for w in res.warnings if w.rule == "growth_outlier"]
    assert flagged == [5]


@pytest.mark.parametrize("kind", ["gbk", "bom", "xlsx", "template-names"])
def test_file_variants(db, registered, row, tmp_path, kind):
    from sitmon.collect.templates import template_header

    a, b, _ = registered
    rows = [row(a, "2024-01", note="说明"), row(b, "2024-01")]
    if kind == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.append(template_header("monthly"))
        for r in rows:
            ws.append([r["uscc"], r["period"], *[r[k] for k in MONTHLY], r.get("note")])
        path = tmp_path / "m.xlsx"
        wb.save(path)
    elif kind == "template-names":
        path = write_csv(tmp_path / "m.csv", rows, header=template_header("monthly"))
    else:
        path = write_csv(tmp_path / "m.csv", rows, encoding="gbk" if kind == "gbk" else "utf-8-sig")
    res = import_file(db, Path(path), today=TODAY)
    assert res.status == "stored", res.errors
    with db.session() as s:
        reps = {r.uscc: r for r in current_reports(s, "monthly", ["2024-01"])}
    assert (
        reps[a].note == "说明"
        and reps[a].values["revenue_total"] == 1000.0
        and reps[a].values["employees"] == 50
    )


def test_dry_run_writes_nothing(db, registered, row, tmp_path):
    before = snapshot(db)
    res = import_file(
        db, write_csv(tmp_path / "m.csv", [row(registered[0], "2024-01")]), dry_run=True, today=TODAY
    )
    assert res.status == "dry_run" and not res.errors
    assert snapshot(db) == before
