"""Bulletins on the session's published releases: the PDF read back with pdftotext and the XLSX with openpyxl carry
the engine's figures of the same release; the PDF embeds its fonts and has a glyph for every Chinese character;
the banner is on every page; the zh text says 回落 for a month whose growth fell and 提高 for one whose growth rose;
a withheld figure is never named."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from sitmon.disseminate.bulletins import (
    BulletinData,
    bulletin,
    bulletin_bytes,
    bulletin_data,
    bulletin_report,
)
from sitmon.disseminate.bulletins import text as words
from sitmon.disseminate.bulletins.data import MAIN_INDICATORS, Figure, IndicatorFigures
from sitmon.disseminate.layout import display_unit
from sitmon.disseminate.tables import QueryError, published_table
from sitmon.disseminate.writers import MARK, Report, WriterError

pytestmark = pytest.mark.slow  # disclosure control of every table a bulletin reads, then WeasyPrint
PERIOD = "2024-06"
POPPLER = shutil.which("pdftotext") is not None
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils is not installed (scripts/setup.sh dev)"
)


@dataclass
class Files:
    data: BulletinData
    report: Report
    pdf: Path
    xlsx: Path
    html: str


@pytest.fixture(scope="module")
def zh(published, tmp_path_factory) -> Files:
    """The Chinese bulletin of June 2024 written as PDF, XLSX and HTML."""
    folder = tmp_path_factory.mktemp("bulletin")
    data = bulletin_data(published.settings, PERIOD)
    report = bulletin_report(data, "zh")
    pdf, xlsx = folder / "b.pdf", folder / "b.xlsx"
    pdf.write_bytes(bulletin_bytes(report, "pdf"))
    xlsx.write_bytes(bulletin_bytes(report, "xlsx"))
    return Files(data, report, pdf, xlsx, bulletin_bytes(report, "html").decode("utf-8"))


def engine(settings, indicator: str, measure: str, by: list[str] | None = None, period: str = PERIOD) -> dict:
    """The engine's published figures (disclosure applied) in the bulletin's unit, by key."""
    res = published_table(
        settings, indicator, by or [], period, [measure], public=True, unit=display_unit(indicator)
    )
    return {tuple(r[d] for d in res.by): r for r in res.rows}


def pdftext(pdf: Path, page: int | None = None) -> str:
    args = ["pdftotext", "-layout", *(["-f", str(page), "-l", str(page)] if page else []), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@needs_poppler
def test_pdf_figures_are_the_engines(zh, published):
    text = re.sub(r"\s+", "", pdftext(zh.pdf))
    s = published.settings
    checked = 0
    for code in ("revenue_total", "profit_total", "revenue_it_services"):
        level = engine(s, code, "level")[()]
        growth = engine(s, code, "yoy_comparable")[()]
        assert level["value"] is not None
        assert words.amount(level["value"]) in text, code
        if growth["value"] is not None:
            assert f"{words.rate(growth['value'])}%" in text or words.rate(growth["value"]) in text
        checked += 1
    for key, r in engine(s, "revenue_total", "level", ["region"]).items():
        if r["value"] is not None:
            assert words.amount(r["value"]) in text, key
            checked += 1
    assert checked >= 5
    assert "2024年1—6月软件和信息技术服务业运行情况" in text


@needs_poppler
def test_every_page_carries_the_synthetic_banner(zh):
    info = subprocess.run(["pdfinfo", str(zh.pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    for page in range(1, pages + 1):
        assert "合成数据" in pdftext(zh.pdf, page), page


@needs_poppler
def test_pdf_fonts_are_embedded_and_every_chinese_character_has_a_glyph(zh, tmp_path):
    fonts = subprocess.run(["pdffonts", str(zh.pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("yes" in r[-5:-2] and r[-5] == "yes" for r in rows), fonts  # emb = yes for every font
    assert any("CJK" in r[0] for r in rows), fonts
    # every CJK character of the text is in the embedded Noto CJK font's character map (no .notdef boxes)
    from fontTools.ttLib import TTCollection

    path = subprocess.run(
        ["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True
    ).stdout
    cmap = TTCollection(path).fonts[0].getBestCmap()
    chars = {ch for ch in pdftext(zh.pdf) if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"}
    assert len(chars) > 100
    assert not sorted(ch for ch in chars if ord(ch) not in cmap)
    # and the page renders: pdftoppm draws the first page with ink on it
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(zh.pdf), str(tmp_path / "p")], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    from PIL import Image

    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert dark > 0.005 * img.width * img.height


def test_xlsx_figures_are_the_engines(zh, published):
    wb = openpyxl.load_workbook(zh.xlsx)
    assert wb.sheetnames[:2] == ["通报", "main"]
    ws = wb["main"]
    header = [c.value for c in ws[3]]
    assert header[:4] == ["指标", "单位", "1—6月累计", "同比增减（%）"]
    assert [c.value for c in ws[4]][:2] == ["Indicator", "Unit"]  # bilingual headers
    body = list(ws.iter_rows(min_row=5, max_row=4 + len(MAIN_INDICATORS), values_only=True))
    for code, row in zip(MAIN_INDICATORS, body, strict=True):
        level = engine(published.settings, code, "level")[()]
        growth = engine(published.settings, code, "yoy_comparable")[()]
        if level["flag"]:
            assert row[2] == MARK
        else:
            assert row[2] == pytest.approx(round(level["value"], 1)), code
        if growth["flag"]:
            assert row[3] == MARK
        elif growth["value"] is not None:
            assert row[3] == pytest.approx(round(growth["value"], 1)), code
    assert ws.cell(5, 3).number_format == "#,##0.0"
    provinces = {
        r[0]: r for r in wb["province"].iter_rows(min_row=5, values_only=True) if r[0] and r[0].isdigit()
    }
    for code, r in engine(published.settings, "revenue_total", "level", ["province"]).items():
        assert provinces[code[0]][2] == (MARK if r["flag"] else pytest.approx(round(r["value"], 1)))
    assert "合成数据" in wb["通报"].cell(1, 1).value


def _growth_moves(published) -> tuple[str, str]:
    """A month of 2024 whose comparable revenue growth (to one decimal) fell from the month before, and one whose
    growth rose."""
    rows = published_table(
        published.settings, "revenue_total", [], "2024-01:2024-12", ["yoy_comparable"], public=True
    ).rows
    g = {r["period"]: round(r["value"], 1) for r in rows if r["value"] is not None}
    months = sorted(g)
    fell = next(m for a, m in zip(months, months[1:], strict=False) if g[m] < g[a] and m[5:] != "01")
    rose = next(m for a, m in zip(months, months[1:], strict=False) if g[m] > g[a] and m[5:] != "01")
    return fell, rose


def test_zh_text_says_fell_or_rose_as_the_growth_did(published):
    fell, rose = _growth_moves(published)
    for period, word, other in ((fell, "回落", "提高"), (rose, "提高", "回落")):
        data = bulletin_data(published.settings, period)
        lead = words.overall(data)[0][0]
        prev = f"1—{int(period[5:]) - 1}月" if int(period[5:]) > 2 else "1月"
        assert f"增速较{prev}{word}" in lead, lead
        assert f"增速较{prev}{other}" not in lead
        g = engine(published.settings, "revenue_total", "yoy_comparable", period=period)[()]["value"]
        assert f"同比增长{g:.1f}%" in lead or f"同比下降{abs(g):.1f}%" in lead
        en = words.overall(data)[0][1]
        assert ("higher" if word == "提高" else "lower") in en


def test_a_withheld_figure_is_never_named():
    from sitmon.domain import Period

    data = type("D", (), {"comparison": Period.parse("2024-05"), "period": Period.parse("2024-06")})()
    fig = IndicatorFigures(
        "revenue_total",
        "100m_cny",
        Figure(None, "dominance"),
        Figure(None, "secondary"),
        Figure(None, "secondary"),
        Figure(9.7),
    )
    zh, en = words.sentence(fig, data, "zh"), words.sentence(fig, data, "en")
    assert zh == "软件业务收入数据因统计披露控制不予公布" and not re.search(r"\d", zh)
    assert "withheld" in en and not re.search(r"\d", en)
    shown = IndicatorFigures(
        "revenue_total", "100m_cny", Figure(1234.56), Figure(None, "secondary"), Figure(None), Figure(9.7)
    )
    assert words.sentence(shown, data, "zh") == "软件业务收入1,234.6亿元"  # no growth, no comparison of it


def test_withheld_provinces_are_neither_ranked_nor_named(zh):
    data = zh.data
    withheld = [a.code for a in data.provinces if not a.level.shown]
    assert withheld, "the fixture should have a province withheld by disclosure control"
    from sitmon.catalog import load_catalog

    cat = load_catalog()
    regions_text = "".join(zh for zh, _ in words.regions(data))
    for code in withheld:
        assert cat.provinces[code].short not in regions_text
    assert "不参与排名" in regions_text
    html = zh.html
    assert html.count(MARK) >= len(withheld)


def test_pace_wording_both_languages():
    assert words.pace(Figure(10.04), Figure(9.71), "1—5月", "zh") == "增速较1—5月提高0.3个百分点"
    assert words.pace(Figure(9.0), Figure(9.44), "1—5月", "zh") == "增速较1—5月回落0.4个百分点"
    assert words.pace(Figure(9.01), Figure(8.99), "1—5月", "zh") == "增速与1—5月持平"
    assert words.pace(Figure(-3.0), Figure(-2.0), "上年", "zh") == "降幅较上年扩大1.0个百分点"
    assert words.pace(Figure(-1.0), Figure(-2.0), "上年", "zh") == "降幅较上年收窄1.0个百分点"
    assert words.change(Figure(-2.34), "zh") == "同比下降2.3%"
    assert words.change(Figure(None, "dominance"), "zh") is None


def test_english_bulletin_and_refusals(zh, published):
    report = bulletin_report(zh.data, "en")
    html = bulletin_bytes(report, "html").decode("utf-8")
    assert "Software and IT services industry: operations, January–June 2024" in html
    assert "SYNTHETIC DATA" in html and "<script" not in html
    with pytest.raises(WriterError):
        bulletin_bytes(report, "docx")
    with pytest.raises(WriterError):
        bulletin(published.settings, PERIOD, lang="fr")
    with pytest.raises(QueryError):
        bulletin(published.settings, "2031-01")
    with pytest.raises(QueryError):
        bulletin(published.settings, PERIOD, release=99)
