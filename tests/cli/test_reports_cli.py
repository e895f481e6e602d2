"""The intake commands in-process: exit codes, text and JSON output, list and history."""

import csv
import json

from typer.testing import CliRunner

from sitmon.cli import app
from sitmon.domain.uscc import make_uscc

from ..collect.conftest import good_values, write_csv

A, B = make_uscc("320100", 1), make_uscc("420100", 2)


def _run(settings, *args, lang="en"):
    return CliRunner().invoke(
        app,
        [
            "--home",
            str(settings.home),
            "--database-url",
            settings.resolved_database_url,
            "--lang",
            lang,
            *args,
        ],
    )


def _registry(tmp_path):
    path = tmp_path / "e.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector"])
        w.writerows([[A, "南京测试", "320102", "it_services"], [B, "武汉测试", "420100", "embedded"]])
    return path


def test_import_list_history_and_rejection(sqlite_settings, tmp_path):
    s = sqlite_settings
    assert _run(s, "enterprises", "import", str(_registry(tmp_path))).exit_code == 0
    good = write_csv(
        tmp_path / "m1.csv",
        [
            {"uscc": A, "period": "2024-01", **good_values()},
            {"uscc": B, "period": "2024-01", **good_values(2)},
        ],
    )
    out = _run(s, "reports", "import", str(good))
    assert out.exit_code == 0, out.output
    assert "new reports 2" in " ".join(out.output.split())
    revised = write_csv(
        tmp_path / "m2.csv", [{"uscc": A, "period": "2024-01", **good_values(1.2), "note": "更正"}]
    )
    assert _run(s, "reports", "import", str(revised)).exit_code == 0
    bad = write_csv(
        tmp_path / "bad.csv", [{"uscc": B, "period": "2024-02", **good_values(3), "revenue_total": 1}]
    )
    res = _run(s, "reports", "import", str(bad), "--format", "json")
    assert res.exit_code == 1
    payload = json.loads(res.stdout)
    assert payload[0]["status"] == "rejected"
    err = payload[0]["errors"][0]
    assert (err["file"], err["row"], err["column"], err["rule"]) == (
        "bad.csv",
        2,
        "revenue_total",
        "sector_sum",
    )
    assert err["message_zh"] and err["message_en"]
    zh = _run(s, "reports", "import", str(bad), lang="zh")
    assert zh.exit_code == 1 and "四项收入之和" in zh.output and "sector_sum" in zh.output
    listing = _run(s, "reports", "list", "--period", "2024-01", "--format", "csv")
    lines = listing.stdout.strip().splitlines()
    assert lines[0].startswith("uscc,period,revision,status")
    assert sorted(line.split(",")[2] for line in lines[1:]) == ["1", "2"]
    hist = _run(s, "reports", "history", A, "2024-01", "--format", "json")
    revs = json.loads(hist.stdout)
    assert [r["revision"] for r in revs] == [1, 2] and revs[1]["note"] == "更正"
    assert revs[1]["revenue_total"] == 1200.0


def test_template_round_trip(sqlite_settings, tmp_path):
    out = tmp_path / "t.xlsx"
    res = _run(sqlite_settings, "template", "--form", "annual", "--format", "xlsx", "--out", str(out))
    assert res.exit_code == 0
    from openpyxl import load_workbook

    header = [c.value for c in load_workbook(out).active[1]]
    assert header[0] == "统一社会信用代码(uscc)" and header[-2] == "研发经费(rd_expense)"
