"""``sitmon review`` as an attacker and a careless user would use it: formulas in what enterprises write come back
escaped in every file, a bad --out path or file type is a plain message, a hostile reason is refused, and the old
``sitmon reports accept`` still works (skipping unexplained warnings). All data is SYNTHETIC."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook
from typer.testing import CliRunner

from sitmon.cli import app
from sitmon.domain.uscc import make_uscc

from ..collect.conftest import good_values, write_csv

A, B = make_uscc("330100", 31), make_uscc("330100", 32)


def _run(settings, *args):
    return CliRunner().invoke(
        app,
        [
            "--home",
            str(settings.home),
            "--database-url",
            settings.resolved_database_url,
            "--lang",
            "en",
            *args,
        ],
    )


def _world(s, tmp_path):
    reg = tmp_path / "e.csv"
    with reg.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "contact", "phone"])
        w.writerow([A, '=HYPERLINK("http://x","甲")', "330100", "it_services", "+86 王", "=1+1"])
        w.writerow([B, "乙（synthetic）", "330100", "it_services", "", ""])
    assert _run(s, "enterprises", "import", str(reg)).exit_code == 0
    rows = [
        {"uscc": A, "period": "2023-01", **good_values()},
        {"uscc": A, "period": "2024-01", **good_values(2), "note": "=cmd|' /C calc'!A0"},
    ]
    assert _run(s, "reports", "import", str(write_csv(tmp_path / "m.csv", rows))).exit_code == 0


def test_formulas_come_back_escaped_in_every_file(sqlite_settings, tmp_path):
    s = sqlite_settings
    _world(s, tmp_path)
    out = tmp_path / "queue.xlsx"
    assert _run(s, "review", "queue", "--period", "2024-01", "--out", str(out)).exit_code == 0
    cells = [c.value for r in load_workbook(out).active.iter_rows() for c in r if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://x","甲")' in cells and "'=cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    late = tmp_path / "late.csv"
    assert _run(s, "review", "late", "--period", "2024-02", "--out", str(late)).exit_code == 0
    text = late.read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "'+86 王" in text
    gbk = tmp_path / "late-gbk.csv"  # the writers registry's options, as for tables
    assert (
        _run(s, "review", "late", "--period", "2024-02", "--out", str(gbk), "--encoding", "gbk").exit_code
        == 0
    )
    assert "'+86 王" in gbk.read_bytes().decode("gbk")
    rates = tmp_path / "rates.parquet"
    assert _run(s, "review", "rates", "--period", "2024-01", "--out", str(rates)).exit_code == 0
    import pyarrow.parquet as pq

    got = pq.read_table(rates).to_pylist()
    assert [(r["province"], r["expected"], r["filed"]) for r in got] == [("330000", 2, 1)]


def test_bad_paths_types_and_reasons_are_plain_messages(sqlite_settings, tmp_path):
    s = sqlite_settings
    _world(s, tmp_path)
    res = _run(s, "review", "queue", "--out", str(tmp_path / "no" / "such" / "q.xlsx"))
    assert res.exit_code == 2 and "Traceback" not in res.output
    res = _run(s, "review", "queue", "--out", str(tmp_path / "q.exe"))
    assert res.exit_code == 2 and "cannot tell the file format" in " ".join(
        res.output.split()
    )  # the writers' word
    queue = json.loads(_run(s, "review", "queue", "--format", "json").stdout)
    rid = str(queue[0]["id"])
    res = _run(s, "review", "return", rid, "--reason", "bad\x1b[31m escape")
    assert res.exit_code == 1 and "control characters" in res.output
    res = _run(s, "review", "accept", rid, "--reason", "x" * 2001)
    assert res.exit_code == 1 and "2000" in res.output
    res = _run(s, "review", "accept")
    assert res.exit_code == 2
    res = _run(s, "publish", "--period", "2024-01", "--force", "--reason", "\u202eevil")
    assert res.exit_code == 2 and "control characters" in res.output


def test_the_old_bulk_command_skips_unexplained_warnings(sqlite_settings, tmp_path):
    s = sqlite_settings
    _world(s, tmp_path)
    rows = [
        {"uscc": B, "period": "2023-01", **good_values()},
        {"uscc": B, "period": "2024-01", **good_values(2)},
    ]
    assert _run(s, "reports", "import", str(write_csv(tmp_path / "b.csv", rows))).exit_code == 0
    res = _run(s, "reports", "accept", "--period", "2024-01")
    assert res.exit_code == 0 and "accepted 1 reports" in res.output and "skipped 1" in res.output
    listed = json.loads(_run(s, "reports", "list", "--period", "2024-01", "--format", "json").stdout)
    assert {r["uscc"]: r["status"] for r in listed} == {A: "accepted", B: "submitted"}


def test_an_all_digit_uscc_is_a_uscc_not_a_report_id(sqlite_settings, tmp_path):
    s = sqlite_settings
    digits = "913302030000000033"  # a valid USCC made of digits only (check character 3)
    reg = tmp_path / "e.csv"
    reg.write_text(
        f"uscc,name,region_code,sector\n{digits},宁波丙（synthetic）,330203,software_products\n",
        encoding="utf-8",
    )
    assert _run(s, "enterprises", "import", str(reg)).exit_code == 0
    rows = [{"uscc": digits, "period": "2024-01", **good_values()}]
    assert _run(s, "reports", "import", str(write_csv(tmp_path / "m.csv", rows))).exit_code == 0
    res = _run(s, "review", "show", digits, "--period", "2024-01")
    assert res.exit_code == 0 and digits in res.output, res.output
