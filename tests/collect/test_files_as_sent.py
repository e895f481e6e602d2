"""Files as enterprises really send them (issue 14): extra columns, semicolons and tabs, old Excel, codes mangled
by Excel, plain messages for an empty code and a broken sector sum, and growth outliers judged against the store."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
import xlwt
from openpyxl import Workbook, load_workbook

from sitmon.collect.intake import import_file
from sitmon.collect.readers import ReadLimits, UnreadableFile, read_table
from sitmon.collect.templates import template_xlsx
from sitmon.store.reports import current_reports

from .conftest import MONTHLY, good_values, write_csv
from .test_intake import snapshot

TODAY = date(2026, 11, 22)
KEYS = ["uscc", "period", *MONTHLY, "note"]


def _rows(rows: list[dict]) -> list[list]:
    return [["" if r.get(k) is None else r.get(k) for k in KEYS] for r in rows]


def test_extra_columns_are_ignored_with_a_notice(db, registered, row, tmp_path):
    a, b, _ = registered
    path = tmp_path / "extra.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", *KEYS, "联系人", "填表人", "电话"])
        w.writerow(["测试企业甲", *_rows([row(a, "2024-01")])[0], "张三", "李四", "0571-88888888"])
        w.writerow(["测试企业乙", *_rows([row(b, "2024-01")])[0], "王五", "赵六", "13800000000"])
    res = import_file(db, path, today=TODAY)
    assert res.status == "stored", res.errors
    assert [(n.rule, n.column, n.severity) for n in res.notices] == [
        ("ignored_column", c, "notice") for c in ("企业名称", "联系人", "填表人", "电话")
    ]
    assert "已忽略" in res.notices[0].message_zh and "ignored" in res.notices[0].message_en
    assert res.to_dict()["notices"][1]["column"] == "联系人"
    with db.session() as s:
        assert {r.uscc for r in current_reports(s, "monthly", ["2024-01"])} == {a, b}


def test_an_unknown_column_is_still_an_error(db, registered, row, tmp_path):
    """A misspelt indicator must never be dropped silently: only the catalog's extra columns are ignored."""
    path = write_csv(
        tmp_path / "typo.csv",
        [row(registered[0], "2024-01")],
        header=["uscc", "period", "revenue_totl", *MONTHLY[1:], "note"],
    )
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected"
    assert [(e.rule, e.column) for e in res.errors if e.column == "revenue_totl"] == [
        ("header", "revenue_totl")
    ]


@pytest.mark.parametrize(("sep", "word"), [(";", "分号"), ("\t", "制表符")])
def test_semicolon_and_tab_separators_are_detected(db, registered, row, tmp_path, sep, word):
    a, b, _ = registered
    path = tmp_path / "sep.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh, delimiter=sep)
        w.writerow(["统一社会信用代码", "报告期", *MONTHLY, "备注"])
        w.writerows(_rows([row(a, "2024-01", note="说明, 含逗号"), row(b, "2024-01", 2)]))
    res = import_file(db, path, today=TODAY)
    assert res.status == "stored", res.errors
    assert [n.rule for n in res.notices] == ["separator"] and word in res.notices[0].message_zh
    with db.session() as s:
        reps = {r.uscc: r for r in current_reports(s, "monthly", ["2024-01"])}
    assert reps[a].note == "说明, 含逗号" and reps[b].values["revenue_total"] == 2000.0


def test_a_comma_in_a_number_of_a_semicolon_file_is_refused(db, registered, row, tmp_path):
    """1234,5 (a decimal comma) and 1,234 (thousands) cannot be told apart: refused, never guessed."""
    path = tmp_path / "eu.csv"
    r = _rows([row(registered[0], "2024-01")])[0]
    r[KEYS.index("profit_total")] = "80,5"
    path.write_text(";".join(KEYS) + "\n" + ";".join(str(v) for v in r) + "\n", encoding="utf-8")
    before = snapshot(db)
    res = import_file(db, path, today=TODAY)
    assert res.status == "rejected"
    assert [(e.rule, e.row, e.column, e.value) for e in res.errors] == [
        ("decimal_comma", 2, "profit_total", "80,5")
    ]
    assert "小数点" in res.errors[0].message_zh
    assert snapshot(db) == before


def _xls(path, header, rows, date_style=False):
    wb = xlwt.Workbook()
    ws = wb.add_sheet("月报")
    style = xlwt.easyxf(num_format_str="YYYY-MM-DD") if date_style else None
    for j, h in enumerate(header):
        ws.write(0, j, h)
    for i, r in enumerate(rows, start=1):
        for j, v in enumerate(r):
            if v == "":
                continue
            if isinstance(v, date) and style is not None:
                ws.write(i, j, v, style)
            else:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def test_old_excel_xls_is_read(db, registered, row, tmp_path):
    a, b, _ = registered
    rows = _rows([row(a, "2024-01", note="说明"), row(b, "2024-01", 2)])
    rows[1][1] = date(2024, 1, 1)  # a period typed as a date
    path = _xls(
        tmp_path / "m.xls", ["统一社会信用代码", "报告期", *MONTHLY, "备注", "联系人"], rows, date_style=True
    )
    res = import_file(db, path, today=TODAY)
    assert res.status == "stored", res.errors
    assert [n.column for n in res.notices] == ["联系人"]
    with db.session() as s:
        reps = {r.uscc: r for r in current_reports(s, "monthly", ["2024-01"])}
    assert (
        reps[a].note == "说明"
        and reps[b].values["revenue_total"] == 2000.0
        and reps[b].values["employees"] == 50
    )
    assert list(db.settings.archive_dir.rglob(f"{res.sha256}.xls"))


def test_hostile_xls_is_refused_plainly(tmp_path):
    real = _xls(tmp_path / "r.xls", ["uscc"], [["x"]]).read_bytes()
    cases = {
        "truncated": real[: len(real) // 2],
        "garbage": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\xff" * 4000,
        "html": b"<html><table><tr><td>uscc</td></tr></table></html>",
    }
    for name, data in cases.items():
        with pytest.raises(UnreadableFile) as err:
            read_table(tmp_path / f"{name}.xls", data)
        assert err.value.message.render("en"), name
    with pytest.raises(UnreadableFile) as err:
        read_table(tmp_path / "big.xls", real, ReadLimits(max_xls_bytes=len(real) - 1))
    assert err.value.message.key == "intake_files.xls_too_large"
    too_many = _xls(tmp_path / "rows.xls", ["uscc"], [[str(i)] for i in range(30)]).read_bytes()
    with pytest.raises(UnreadableFile) as err:
        read_table(tmp_path / "rows.xls", too_many, ReadLimits(max_rows=10))
    assert err.value.message.key == "intake_guard.too_many_rows"


def test_an_xlsx_or_a_text_table_named_xls_is_read_as_what_it_is(tmp_path):
    wb = Workbook()
    wb.active.append(["uscc", "period"])
    wb.active.append(["91110108MA00000010", "2024-01"])
    buf = io.BytesIO()
    wb.save(buf)
    assert read_table(tmp_path / "x.xls", buf.getvalue()).rows == [["91110108MA00000010", "2024-01"]]
    assert read_table(tmp_path / "t.xls", b"uscc\tperiod\nA\t2024-01\n").delimiter == "\t"
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/sharedStrings.xml", b"\0" * (65 * 2**20))
    with pytest.raises(UnreadableFile) as err:  # the zip checks of the XLSX reader still apply
        read_table(tmp_path / "bomb.xls", bomb.getvalue())
    assert err.value.message.key == "intake_guard.unpacked_too_large"


def test_a_code_mangled_by_excel_says_so_and_how_to_fix_it(db, registered, row, tmp_path):
    a, _, _ = registered
    path = write_csv(tmp_path / "sci.csv", [row(a, "2024-01"), row("9.13302E+17", "2024-01")])
    res = import_file(db, path, today=TODAY)
    (err,) = [e for e in res.errors if e.rule == "uscc"]
    assert (err.row, err.value) == (3, "9.13302E+17")
    assert "Excel" in err.message_zh and "文本" in err.message_zh and "Text" in err.message_en
    # the same in a workbook, where the code is a number cell
    wb = Workbook()
    wb.active.append(KEYS)
    r = _rows([row(a, "2024-01")])[0]
    r[0] = 913302000001234567
    wb.active.append(r)
    wb.save(tmp_path / "n.xlsx")
    res = import_file(db, tmp_path / "n.xlsx", today=TODAY)
    assert [e.rule for e in res.errors] == ["uscc"] and "Excel" in res.errors[0].message_en


def test_an_empty_code_says_empty(db, registered, row, tmp_path):
    res = import_file(db, write_csv(tmp_path / "e.csv", [row("", "2024-01")]), today=TODAY)
    (err,) = [e for e in res.errors if e.rule == "uscc"]
    assert "为空" in err.message_zh and "empty" in err.message_en and "malformed" not in err.message_en
    res = import_file(db, write_csv(tmp_path / "m.csv", [row("91110108MA0000001X", "2024-01")]), today=TODAY)
    assert "malformed" in res.errors[0].message_en and "Excel" not in res.errors[0].message_en


def test_the_sector_sum_error_shows_the_parts_their_sum_and_the_difference(db, registered, row, tmp_path):
    res = import_file(
        db, write_csv(tmp_path / "s.csv", [row(registered[0], "2024-01", revenue_total=1100)]), today=TODAY
    )
    (err,) = [e for e in res.errors if e.rule == "sector_sum"]
    assert "400 + 500 + 40 + 60 = 1,000" in err.message_zh
    assert "1,100" in err.message_zh and "-100" in err.message_zh
    assert "difference -100" in err.message_en


def test_the_template_formats_the_code_and_period_as_text():
    ws = load_workbook(io.BytesIO(template_xlsx("monthly"))).active
    assert ws.column_dimensions["A"].number_format == "@"
    assert ws.column_dimensions["B"].number_format == "@"


def _sector(db, tmp_path, n=25):
    from sitmon.collect.registry import import_enterprises
    from sitmon.domain.uscc import make_uscc

    codes = [make_uscc("330100", 100 + i) for i in range(n)]
    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector"])
        w.writerows([u, f"企业{i}", "330100", "it_services"] for i, u in enumerate(codes))
    assert import_enterprises(db, reg).status == "stored"
    return codes


def test_a_growth_outlier_filed_alone_is_judged_as_in_a_batch(db, tmp_path):
    """25 IT-services enterprises grow ~10 %; one grows by 45 %. Filed in one file or alone after the others,
    it is flagged the same — the peers come from the store — and nobody else is."""
    codes = _sector(db, tmp_path)
    scales = [1 + 0.3 * (i % 5) for i in range(25)]
    last = [{"uscc": u, "period": "2023-06", **good_values(s)} for u, s in zip(codes, scales, strict=True)]
    this = [
        {"uscc": u, "period": "2024-06", **good_values(s * (1.08 + 0.01 * (i % 4)))}
        for i, (u, s) in enumerate(zip(codes, scales, strict=True))
    ]
    this[3] = {"uscc": codes[3], "period": "2024-06", **good_values(scales[3] * 1.45)}
    assert import_file(db, write_csv(tmp_path / "a.csv", last), today=TODAY).status == "stored"
    others = [r for i, r in enumerate(this) if i != 3]
    res = import_file(db, write_csv(tmp_path / "others.csv", others), today=TODAY)
    assert not [w for w in res.warnings if w.rule == "growth_outlier"]
    alone = import_file(db, write_csv(tmp_path / "alone.csv", [this[3]]), today=TODAY)
    assert [(w.rule, w.row) for w in alone.warnings if w.rule.startswith("growth_outlier")] == [
        ("growth_outlier", 2)
    ]
    assert "本期同行业" in alone.warnings[0].message_zh
    ordinary = import_file(db, write_csv(tmp_path / "ord.csv", [{**this[5], "note": "x"}]), today=TODAY)
    assert not [w for w in ordinary.warnings if w.rule.startswith("growth_outlier")]


def test_a_month_on_month_outlier_is_judged_against_last_month_in_the_store(db, tmp_path):
    codes = _sector(db, tmp_path)
    jan = [{"uscc": u, "period": "2024-01", **good_values(1 + 0.2 * (i % 5))} for i, u in enumerate(codes)]
    feb = [
        {"uscc": u, "period": "2024-02", **good_values((1 + 0.2 * (i % 5)) * (2.0 + 0.02 * (i % 3)))}
        for i, u in enumerate(codes)
    ]
    feb[7] = {"uscc": codes[7], "period": "2024-02", **good_values((1 + 0.2 * 2) * 9)}
    assert import_file(db, write_csv(tmp_path / "jan.csv", jan), today=TODAY).status == "stored"
    assert import_file(db, write_csv(tmp_path / "feb.csv", feb[:7] + feb[8:]), today=TODAY).status == "stored"
    res = import_file(db, write_csv(tmp_path / "one.csv", [feb[7]]), today=TODAY)
    assert [w.rule for w in res.warnings if w.rule.startswith("growth_outlier")] == ["growth_outlier_month"]
