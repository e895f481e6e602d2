import pytest
from openpyxl import Workbook

from sitmon.collect.readers import UnreadableFile, read_table

HEADER = ["统一社会信用代码", "报告期", "软件业务收入"]
ROWS = [["91110108MA0000001X", "2024-01", "1,234.5"], ["91110108MA0000002X", "2024-01", "17"]]


def _csv_text() -> str:
    return "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in [HEADER, *ROWS]) + "\r\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_csv_encodings_are_detected(tmp_path, encoding, prefix, detected):
    path = tmp_path / "f.csv"
    path.write_bytes(prefix + _csv_text().encode(encoding))
    table = read_table(path)
    assert table.header == HEADER
    assert table.rows == ROWS
    assert table.encoding == detected
    assert table.row_numbers == [2, 3]


def test_xlsx_reads_first_sheet_values(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["91110108MA0000001X", "2024-01", 1234.5])
    ws.append([None, None, None])
    ws.append(["91110108MA0000002X", "2024-01", 17])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.header == HEADER
    assert table.rows[0][2] == 1234.5
    assert table.row_numbers == [2, 4]  # the blank row keeps its spreadsheet number


def test_unknown_suffix_and_broken_xlsx_are_clear_errors(tmp_path):
    (tmp_path / "f.pdf").write_bytes(b"%PDF")
    with pytest.raises(UnreadableFile, match="unsupported file type"):
        read_table(tmp_path / "f.pdf")
    (tmp_path / "g.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UnreadableFile, match="XLSX"):
        read_table(tmp_path / "g.xlsx")
