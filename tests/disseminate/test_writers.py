"""The writers on a hand-built document: each format read back with its own reader (csv with the BOM, openpyxl,
json, pyarrow), the registry, encodings, formula escaping and atomic files."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pyarrow.parquet as pq
import pytest

from sitmon.disseminate.writers import (
    MARK,
    WRITERS,
    Column,
    Document,
    Suppressed,
    WriterError,
    escape_cell,
    write_file,
    writer_for,
)

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1"]


def _doc(for_people: bool = True, note: str = "说明") -> Document:
    cols = [
        Column("region", ("地区代码", "Region code"), kind="code"),
        Column("region_name", ("地区", "Region"), kind="label"),
        Column(
            "2024-01:ytd",
            ("软件业务收入（亿元）", "Revenue (100m CNY)"),
            group=("2024年1月", "Jan 2024"),
            kind="number",
            decimals=1,
            unit="100m_cny",
        ),
        Column(
            "2024-01:yoy",
            ("同比增长（%）", "YoY growth (%)"),
            group=("2024年1月", "Jan 2024"),
            kind="number",
            decimals=1,
            unit="pct",
        ),
        Column(
            "2024-02:ytd",
            ("软件业务收入（亿元）", "Revenue (100m CNY)"),
            group=("2024年1—2月", "Jan–Feb 2024"),
            kind="number",
            decimals=1,
            unit="100m_cny",
        ),
    ]
    rows = [
        {
            "region": None,
            "region_name": "全国",
            "2024-01:ytd": 8237.04,
            "2024-01:yoy": 9.449,
            "2024-02:ytd": 17117.44,
        },
        {
            "region": "east",
            "region_name": "东部地区",
            "2024-01:ytd": 6800.45,
            "2024-01:yoy": Suppressed("secondary"),
            "2024-02:ytd": None,
        },
        {
            "region": "west",
            "region_name": HOSTILE[0],
            "2024-01:ytd": 767.47,
            "2024-01:yoy": -8.75,
            "2024-02:ytd": 1577.0,
        },
    ]
    return Document(
        title=("软件业务收入（按地区）", "Revenue by region"),
        columns=cols,
        rows=rows,
        notes=[(note, "notes"), ("“…”表示不公布", "“…” = not published")],
        lang="zh",
        for_people=for_people,
        total_rows=1,
        meta={"synthetic": True},
    )


def test_escape_cell_escapes_every_formula_start():
    for text in HOSTILE:
        assert escape_cell(text) == "'" + text
    assert escape_cell("北京市") == "北京市" and escape_cell(3.5) == 3.5 and escape_cell(None) is None


def test_csv_for_people_has_a_bom_headers_rounding_marks_and_notes():
    data = WRITERS["csv"].to_bytes(_doc())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["软件业务收入（按地区）"]
    assert rows[1] == [
        "地区代码",
        "地区",
        "2024年1月 软件业务收入（亿元）",
        "2024年1月 同比增长（%）",
        "2024年1—2月 软件业务收入（亿元）",
    ]
    assert rows[2] == ["", "全国", "8237.0", "9.4", "17117.4"]
    assert rows[3] == ["east", "东部地区", "6800.4", MARK, ""]  # rounded half to even; a blank is no figure
    assert rows[4][1] == "'" + HOSTILE[0] and rows[4][3] == "-8.8"
    assert rows[5] == [] and rows[6] == ["说明"] and rows[7] == ["“…”表示不公布"]


def test_csv_for_machines_keeps_keys_and_full_values():
    text = WRITERS["csv"].to_bytes(_doc(for_people=False), bom=False).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["region", "region_name", "2024-01:ytd", "2024-01:yoy", "2024-02:ytd"]
    assert float(rows[0]["2024-01:yoy"]) == 9.449 and rows[1]["2024-01:yoy"] == ""
    assert "说明" not in text  # the long contract: no notes under the machine table


def test_gbk_csv_and_text_it_cannot_hold():
    data = WRITERS["csv"].to_bytes(_doc(note="当月 = 本月累计 − 上月累计"), encoding="gbk")
    text = data.decode("gbk")
    assert "东部地区" in text and "本月累计 - 上月累计" in text and not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(WriterError) as err:
        WRITERS["csv"].to_bytes(_doc(note="emoji 😀 not in GBK"), encoding="gbk")
    assert "UTF-8" in err.value.message.render("en")


def test_xlsx_reads_back_with_bilingual_headers_numbers_marks_and_notes(tmp_path):
    path = tmp_path / "t.xlsx"
    assert write_file(_doc(), path).name == "xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["数据"]
    assert ws["A1"].value == "软件业务收入（按地区）" and ws["A2"].value == "Revenue by region"
    assert ws["C3"].value == "2024年1月" and "C3:D3" in {str(r) for r in ws.merged_cells.ranges}
    assert [c.value for c in ws[4]] == [
        "地区代码",
        "地区",
        "软件业务收入（亿元）",
        "同比增长（%）",
        "软件业务收入（亿元）",
    ]
    assert [c.value for c in ws[5]][2:4] == ["Revenue (100m CNY)", "YoY growth (%)"]
    total, east, west = ws[6], ws[7], ws[8]
    assert total[1].value == "全国" and total[2].value == 8237.0 and isinstance(total[2].value, (int, float))
    assert total[2].number_format == "#,##0.0" and total[1].font.bold
    assert east[3].value == MARK and east[4].value is None
    assert west[1].value == "'" + HOSTILE[0] and west[1].data_type == "s" and west[3].value == -8.8
    assert ws.freeze_panes == "C6"
    assert ws.column_dimensions["C"].width > 10
    assert [ws.cell(r, 1).value for r in (10, 11)] == ["说明", "“…”表示不公布"]
    notes = wb["说明"]
    texts = [(notes.cell(r, 1).value, notes.cell(r, 2).value) for r in range(2, notes.max_row + 1)]
    assert ("说明", "notes") in texts and ("软件业务收入（按地区）", "Revenue by region") in texts


def test_xlsx_escapes_formula_text_everywhere():
    doc = _doc(note="=cmd|' /C calc'!A0")
    doc.rows[2]["region"] = "@SUM(A1:A9)"
    wb = openpyxl.load_workbook(io.BytesIO(WRITERS["xlsx"].to_bytes(doc)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert not any(c.value.startswith(("=", "+", "-", "@", "\t", "\r", "＝")) for c in cells)
    assert any(c.value == "'@SUM(A1:A9)" for c in cells) and any(
        c.value == "'=cmd|' /C calc'!A0" for c in cells
    )


def test_json_and_parquet_carry_values_flags_labels_and_notes():
    body = json.loads(WRITERS["json"].to_bytes(_doc()))
    assert body["rows"][1]["2024-01:yoy"] is None and body["rows"][1]["flags"] == {"2024-01:yoy": "secondary"}
    assert body["rows"][0]["2024-01:yoy"] == 9.449  # machines get the value as computed
    assert body["columns"][2]["group"] == {"zh": "2024年1月", "en": "Jan 2024"} and body["total_rows"] == 1
    table = pq.read_table(io.BytesIO(WRITERS["parquet"].to_bytes(_doc())))
    assert table.column("2024-01:yoy").to_pylist() == [9.449, None, -8.75]
    assert table.column("2024-01:yoy__flag").to_pylist() == [None, "secondary", None]
    meta = json.loads(table.schema.metadata[b"sitmon"])
    assert meta["notes"][0] == {"zh": "说明", "en": "notes"} and meta["meta"] == {"synthetic": True}


def test_registry_picks_by_name_or_extension_and_refuses_others(tmp_path):
    assert writer_for(path="a/b.XLSX").name == "xlsx" and writer_for("parquet").extensions == (".parquet",)
    for bad in ({"path": "table.xls"}, {"name": "docx"}):
        with pytest.raises(WriterError):
            writer_for(**bad)
    with pytest.raises(WriterError):
        write_file(_doc(), tmp_path / "t.xlsx", encoding="gbk")
    with pytest.raises(WriterError):
        write_file(_doc(), tmp_path / "t.csv", encoding="latin-1")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_no_file_behind(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("the previous file", encoding="utf-8")

    def broken(doc, out, **options):
        out.write(b"half a file")
        raise RuntimeError("disk full")

    import sitmon.disseminate.writers.csv as csv_writer

    monkeypatch.setattr(csv_writer, "write", broken)
    with pytest.raises(RuntimeError):
        write_file(_doc(), target)
    assert target.read_text(encoding="utf-8") == "the previous file" and list(tmp_path.iterdir()) == [target]
