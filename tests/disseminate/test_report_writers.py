"""The report writers on a hand-made report (no data needed): HTML escapes hostile text and loads nothing, the SVG
charts skip missing values, XLSX escapes formula-like text, the registry picks html / pdf / sdmx-csv / csv by the
file name."""

from __future__ import annotations

import io

import openpyxl

from sitmon.disseminate.writers import (
    MARK,
    Chart,
    Column,
    Document,
    Report,
    Section,
    Suppressed,
    writer_for,
)
from sitmon.disseminate.writers.svg import render as svg

EVIL = '<script>alert(1)</script><img src="http://example.invalid/x.png">'


def _report(lang: str = "zh") -> Report:
    table = Document(
        ("表", "table"),
        [Column("name", ("名称", "name")), Column("v", ("数值", "value"), kind="number", decimals=1)],
        [{"name": "=cmd|' /C calc'!A0", "v": 1234.56}, {"name": EVIL, "v": Suppressed("dominance")}],
        notes=[("注", "note")],
        meta={"table": "t"},
    )
    chart = Chart(
        "line",
        ("增速", "growth"),
        [("1月", "Jan"), ("1—2月", "Jan–Feb"), ("1—3月", "Jan–Mar")],
        [(("2024年", "2024"), [9.8, None, 10.1]), (("2023年", "2023"), [None, None, None])],
        ("%", "%"),
    )
    bars = Chart("bar", ("比重", "shares"), [("甲", "A"), ("乙", "B")], [(("本期", "now"), [-2.0, 5.5])])
    return Report(
        ("标题", "Title"),
        ("副标题", "subtitle"),
        [
            Section(("一、", "1."), [(EVIL, EVIL)], charts=[chart, bars]),
            Section(("二、", "2."), tables=[table]),
        ],
        lang=lang,
        banner=("合成数据", "SYNTHETIC"),
    )


def test_html_escapes_and_loads_nothing():
    html = writer_for("html").to_bytes(_report()).decode("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and 'src="' not in html and "<link" not in html  # nothing to load
    assert html.count("<svg") == 2 and "1,234.6" in html and MARK in html and "合成数据" in html


def test_svg_skips_missing_values_and_draws_negative_bars():
    out = svg(_report().sections[0].charts[0], "en")
    assert out.count("<circle") == 2 and "Jan–Feb" in out and "polyline" in out
    empty = svg(Chart("line", ("空", "empty"), [("a", "a")], [(("s", "s"), [None])]))
    assert empty.startswith("<svg") and "<circle" not in empty
    assert "-2.0" in svg(_report().sections[0].charts[1])


def test_pdf_is_written_without_fetching():
    body = writer_for("pdf").to_bytes(_report("en"))
    assert body.startswith(b"%PDF") and len(body) > 5000


def test_xlsx_report_escapes_formulas_and_keeps_numbers():
    wb = openpyxl.load_workbook(io.BytesIO(writer_for("xlsx").to_bytes(_report())))
    assert wb.sheetnames == ["通报", "t"]
    ws = wb["t"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "'=cmd|' /C calc'!A0" in values and 1234.6 in values and MARK in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert wb["通报"].cell(1, 1).value == "合成数据"


def test_registry_by_file_name():
    assert writer_for(path="b.pdf").name == "pdf" and writer_for(path="b.HTML").name == "html"
    assert writer_for(path="d.sdmx.csv").name == "sdmx-csv" and writer_for(path="d.csv").name == "csv"
    assert writer_for(path="d.xml").name == "sdmx-ml"
