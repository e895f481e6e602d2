"""Hostile input that the intake must refuse with a clear error, storing nothing: non-finite and impossible
numbers, bad periods, broken text files, control characters, oversized and bomb-like files."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sitmon.collect.intake import import_bytes, import_file, import_records
from sitmon.collect.readers import MB, ReadLimits, UnreadableFile, read_table
from sitmon.store import models

from .conftest import MONTHLY, write_csv

TODAY = date(2026, 11, 22)


def _nothing_stored(db) -> None:
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(models.Report)) == 0
        assert (
            s.scalar(select(func.count()).select_from(models.Upload).where(models.Upload.kind == "reports"))
            == 0
        )
    archive = db.settings.archive_dir
    reports = (
        [p for p in archive.rglob("*") if p.is_file() and p.suffix in (".csv", ".xlsx")]
        if archive.exists()
        else []
    )
    assert len(reports) == 1  # the registry file only


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "-Infinity", "1e999", "NaN"])
def test_non_finite_numbers_are_refused_and_the_month_stays_importable(db, registered, row, tmp_path, value):
    a, b, _ = registered
    bad = write_csv(tmp_path / "bad.csv", [row(a, "2024-01", profit_total=value), row(b, "2024-01")])
    res = import_file(db, bad, today=TODAY)
    assert res.status == "rejected"
    hit = [e for e in res.errors if e.column == "profit_total"]
    assert hit and hit[0].rule in ("finite", "number") and hit[0].value == value and hit[0].row == 2
    if value != "NaN":
        assert hit[0].rule == "finite"
    _nothing_stored(db)
    # the month and the next stay importable (a stored Infinity used to break them with "malformed JSON")
    assert (
        import_file(db, write_csv(tmp_path / "jan.csv", [row(a, "2024-01")]), today=TODAY).status == "stored"
    )
    assert (
        import_file(db, write_csv(tmp_path / "feb.csv", [row(a, "2024-02", 2.0)]), today=TODAY).status
        == "stored"
    )


def test_non_finite_numbers_through_the_api_records(db, registered, row):
    a, _, _ = registered
    res = import_records(db, [row(a, "2024-01", revenue_total=float("inf"))], today=TODAY)
    assert res.status == "rejected"
    assert any(e.rule == "finite" and e.column == "revenue_total" for e in res.errors)


def test_strict_json_refuses_to_store_a_non_finite_value(db, registered):
    from sitmon.store.models import Report

    with pytest.raises(Exception, match="(?i)out of range float|nan|infinity"), db.session() as s:
        s.add(
            Report(
                enterprise_id=1,
                form="monthly",
                period="2024-01",
                revision=1,
                values={"revenue_total": float("inf")},
                content_hash="x",
            )
        )
        s.flush()


@pytest.mark.parametrize(
    ("column", "value"), [("revenue_total", "1.7e308"), ("employees", "1e19"), ("profit_total", "-5e12")]
)
def test_impossible_values_are_hard_errors(db, registered, row, tmp_path, column, value):
    a, _, _ = registered
    res = import_file(db, write_csv(tmp_path / "x.csv", [row(a, "2024-01", **{column: value})]), today=TODAY)
    assert res.status == "rejected"
    hit = [e for e in res.errors if e.rule == "plausible"]
    assert hit and hit[0].column == column and hit[0].value == value
    assert "indicators.yaml" in hit[0].message_en
    _nothing_stored(db)


def test_every_indicator_has_documented_finite_limits():
    from sitmon.catalog import load_catalog

    for ind in load_catalog().indicators.values():
        assert ind.lower_limit < ind.max < 1e12


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("March", "not a period"),
        ("2024", "annual period"),
        ("0000-01", "year of period"),
        ("2024/13", "month of period"),
        ("2030-01", "later than the current month"),
    ],
)
def test_a_bad_period_is_a_cell_error_naming_row_column_and_value(
    db, registered, row, tmp_path, value, reason
):
    a, b, _ = registered
    path = write_csv(tmp_path / "p.csv", [row(a, "2024-01"), row(b, value)])
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected"
    (err,) = [e for e in res.errors if e.rule == "period"]
    assert (err.row, err.column, err.value) == (3, "period", value)
    assert reason in err.message_en and value in err.message_en
    assert value in err.message_zh
    _nothing_stored(db)


def test_a_file_of_unreadable_periods_names_each_cell_not_the_form(db, registered, row, tmp_path):
    a, b, _ = registered
    path = write_csv(tmp_path / "p.csv", [row(a, "March"), row(b, "0000-01")])
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected"
    assert [(e.row, e.column, e.value) for e in res.errors] == [
        (2, "period", "March"),
        (3, "period", "0000-01"),
    ]
    assert "cannot tell the form" not in res.errors[0].message_en


def test_a_field_over_the_csv_limit_is_refused(db, registered, row, tmp_path):
    a, _, _ = registered
    path = write_csv(tmp_path / "big.csv", [row(a, "2024-01", note="x" * 200_000)])
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected" and res.errors[0].rule == "file"
    assert "line 2" in res.errors[0].message_en or "row 2" in res.errors[0].message_en
    _nothing_stored(db)


def test_utf8_cut_mid_character_is_refused_not_read_as_gb18030(db, registered, row, tmp_path):
    a, _, _ = registered
    full = write_csv(tmp_path / "u.csv", [row(a, "2024-01", note="说明文字")]).read_bytes().rstrip(b"\r\n")
    cut = tmp_path / "cut.csv"
    cut.write_bytes(full[:-1])  # the last character loses its last byte
    res = import_file(db, cut, today=TODAY)
    assert res.status == "rejected"
    assert "UTF-8" in res.errors[0].message_en and res.errors[0].row == 2
    _nothing_stored(db)


def test_gbk_files_still_read(tmp_path):
    path = tmp_path / "g.csv"
    path.write_bytes("uscc,note\nX,说明测试企业甲\n".encode("gbk"))
    assert read_table(path).encoding == "gb18030"


def test_nul_bytes_are_refused(db, registered, row, tmp_path):
    a, _, _ = registered
    path = tmp_path / "n.csv"
    path.write_bytes(
        write_csv(tmp_path / "ok.csv", [row(a, "2024-01", note="ab")]).read_bytes().replace(b"ab", b"a\x00b")
    )
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected" and "NUL" in res.errors[0].message_en
    _nothing_stored(db)


@pytest.mark.parametrize("note", ["\x1b[31mred", "line\x00", "a\u202eb", "x\x07"])
def test_control_characters_in_cells_are_refused(db, registered, row, note):
    a, _, _ = registered
    res = import_records(db, [row(a, "2024-01", note=note)], today=TODAY)
    assert res.status == "rejected"
    (err,) = res.errors
    assert err.rule == "control_character" and err.column == "note"


def _xlsx_bytes(build) -> bytes:
    wb = Workbook()
    build(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_declaring_the_whole_sheet_is_refused_before_iterating():
    def build(ws):
        ws.append(["uscc", "period"])
        ws["XFD1048576"] = 1

    data = _xlsx_bytes(build)
    assert len(data) < 10_000
    with pytest.raises(UnreadableFile, match="more than 300000 rows"):
        read_table(Path("big.xlsx"), data)


@pytest.mark.slow
def test_xlsx_zip_bomb_is_refused_from_its_declared_size():
    def build(ws):
        ws.append(["uscc", "period", "note"])
        for _ in range(20_000):
            ws.append(["x" * 10, "2024-01", "y" * 100])

    data = _xlsx_bytes(build)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        unpacked = sum(i.file_size for i in zf.infolist())
    limits = ReadLimits(max_unpacked_bytes=unpacked // 2)
    with pytest.raises(UnreadableFile, match="unpacks to"):
        read_table(Path("bomb.xlsx"), data, limits)
    assert read_table(Path("ok.xlsx"), data, ReadLimits(max_unpacked_bytes=unpacked + MB)).rows


def test_too_many_rows_and_columns_are_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("uscc,period\n" + "a,2024-01\n" * 101, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="more than 100 rows"):
        read_table(path, None, ReadLimits(max_rows=100))
    wide = tmp_path / "w.csv"
    buf = io.StringIO()
    csv.writer(buf).writerows([[f"c{i}" for i in range(70)], ["v"] * 70])
    wide.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(UnreadableFile, match="more than 64 columns"):
        read_table(wide)


def test_a_file_over_the_size_limit_is_refused_before_reading(db, tmp_path):
    db.settings.max_file_mb = 0.001
    path = tmp_path / "s.csv"
    path.write_text("uscc,period\n" + "a,2024-01\n" * 200, encoding="utf-8")
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected" and "over the limit" in res.errors[0].message_en


def test_unreadable_upload_bytes_name_the_file(db):
    res = import_bytes(db, "x.xlsx", b"PK\x03\x04 not really", today=TODAY)
    assert res.status == "rejected" and "XLSX" in res.errors[0].message_en


assert MONTHLY  # the monthly columns the writer uses
