"""Formula injection: a filer's note starting with = + - @ tab or CR never comes back live in a CSV or XLSX."""

import csv
import io

from openpyxl import load_workbook

from sitmon.collect.templates import template_csv, template_xlsx

from ..collect.conftest import good_values, write_csv
from .test_reports_cli import A, _registry, _run

NOTES = ['=HYPERLINK("http://evil","点击")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_reports_list_and_history_csv_escape_formulas(sqlite_settings, tmp_path):
    s = sqlite_settings
    assert _run(s, "enterprises", "import", str(_registry(tmp_path))).exit_code == 0
    for i, note in enumerate(NOTES, start=1):
        f = write_csv(
            tmp_path / f"m{i}.csv", [{"uscc": A, "period": f"2024-{i:02d}", **good_values(i), "note": note}]
        )
        out = _run(s, "reports", "import", str(f))
        assert out.exit_code == 0, out.output
    listed = _run(s, "reports", "list", "--format", "csv")
    assert listed.exit_code == 0
    notes = [r["note"] for r in csv.DictReader(io.StringIO(listed.stdout))]
    assert sorted(notes) == sorted("'" + n.strip() for n in NOTES)
    revenue = [r["revenue_total"] for r in csv.DictReader(io.StringIO(listed.stdout))]
    assert all(not v.startswith("'") for v in revenue)
    hist = _run(s, "reports", "history", A, "2024-01", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(hist.stdout)))
    assert row["note"] == "'" + NOTES[0]


def test_templates_hold_no_live_formula():
    for form in ("monthly", "annual"):
        header = next(csv.reader(io.StringIO(template_csv(form).decode("utf-8-sig"))))
        assert not any(h.startswith(("=", "+", "-", "@")) for h in header)
        wb = load_workbook(io.BytesIO(template_xlsx(form)))
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                assert not any(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in row)
