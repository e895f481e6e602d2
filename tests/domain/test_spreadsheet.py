"""OWASP's CSV-injection rule: text that a spreadsheet would run is escaped, numbers and plain text are not."""

import pytest

from sitmon.domain.spreadsheet import escape_cell, escape_row


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        '=HYPERLINK("http://x","点这里")',
        "＝1+1",
    ],
)
def test_formula_text_gets_a_leading_quote(text):
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-1e5", "12%", "说明", "", None, -12.5, 3, "a=b"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert escape_cell(value) == value


def test_escape_row():
    assert escape_row({"note": "=x", "v": -1}) == {"note": "'=x", "v": -1}
