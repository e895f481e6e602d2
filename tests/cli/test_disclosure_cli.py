"""``sitmon query --public`` and ``sitmon disclosure audit|pattern`` in-process on the published fixture."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from sitmon.cli import app

pytestmark = pytest.mark.slow  # suppression patterns and the attacker audit (linear programs)

PERIOD = "2024-03"


def _run(settings, *args, lang="en"):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", lang, *args])


def _query(settings, *args, lang="en"):
    return _run(
        settings, "query", "--indicator", "revenue_total", "--period", PERIOD, "--public", *args, lang=lang
    )


def test_public_csv_has_an_empty_value_and_a_flag_for_suppressed_cells(published):
    res = _query(published.settings, "--by", "province,sector", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["province", "sector", "period", "indicator", "measure", "value", "flag", "unit"]
    hidden = [r for r in rows if r["flag"]]
    shown = [r for r in rows if not r["flag"]]
    assert hidden and shown
    assert {r["flag"] for r in hidden} <= {"threshold", "dominance", "secondary"}
    assert all(r["value"] == "" for r in hidden) and all(float(r["value"]) > 0 for r in shown)
    plain = list(
        csv.DictReader(
            io.StringIO(
                _run(
                    published.settings,
                    "query",
                    "--indicator",
                    "revenue_total",
                    "--period",
                    PERIOD,
                    "--by",
                    "province,sector",
                    "--format",
                    "csv",
                ).stdout
            )
        )
    )
    assert "flag" not in plain[0] and len(plain) == len(rows)


def test_public_json_and_table_mark_the_reason(published):
    rows = json.loads(_query(published.settings, "--by", "province", "--format", "json").stdout)
    assert all("flag" in r for r in rows)
    assert all((r["value"] is None) == (r["flag"] is not None) for r in rows)
    flagged = {r["flag"] for r in rows if r["flag"]}
    table = _query(published.settings, "--by", "province", lang="zh")
    assert table.exit_code == 0, table.output
    text = table.stdout
    for flag in flagged:
        zh = {"threshold": "阈值规则", "dominance": "优势规则", "secondary": "二次抑制"}[flag]
        assert f"× {zh}" in text
    assert "已应用统计披露控制" in text
    confidential = _run(
        published.settings, "query", "--indicator", "revenue_total", "--period", PERIOD, "--by", "province"
    )
    assert "CONFIDENTIAL" in confidential.stdout and "×" not in confidential.stdout


def test_disclosure_audit_proves_the_published_pattern_and_catches_primary_only(published):
    res = _run(published.settings, "disclosure", "audit", "--period", PERIOD, "--format", "json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["under_protected"] == 0 and doc["cells"]
    cell = doc["cells"][0]
    assert set(cell) >= {"table", "key", "flag", "value", "lo", "hi", "protected", "attacker", "need_below"}
    assert all(c["protected"] for c in doc["cells"])
    bad = _run(
        published.settings, "disclosure", "audit", "--period", PERIOD, "--primary-only", "--format", "json"
    )
    assert bad.exit_code == 1
    caught = json.loads(bad.stdout)
    exact = [c for c in caught["cells"] if not c["protected"]]
    assert exact and caught["under_protected"] == len(exact)
    assert {c["flag"] for c in caught["cells"]} <= {"threshold", "dominance", "zero"}
    table = _run(published.settings, "disclosure", "audit", "--period", PERIOD)
    assert table.exit_code == 0 and "internal tool" in " ".join(table.stdout.split())
    reviewers = _run(
        published.settings, "disclosure", "audit", "--period", PERIOD, "--reviewers", "--format", "json"
    )
    assert reviewers.exit_code == 0, reviewers.output
    doc = json.loads(reviewers.stdout)
    assert doc["under_protected"] == 0 and {c["attacker"] for c in doc["cells"]} - {"public"}


def test_disclosure_pattern_lists_the_suppressed_cells(published):
    res = _run(published.settings, "disclosure", "pattern", "--period", PERIOD, "--format", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    audit = json.loads(
        _run(published.settings, "disclosure", "audit", "--period", PERIOD, "--format", "json").stdout
    )
    assert len(rows) == len(audit["cells"]) and {r["flag"] for r in rows} <= {
        "threshold",
        "dominance",
        "secondary",
    }
    assert "value" not in rows[0]  # the pattern is public, its values are not
    missing = _run(published.settings, "disclosure", "audit", "--period", "2031-01")
    assert missing.exit_code == 2
    again = _run(published.settings, "disclosure", "compute", "--period", PERIOD)
    assert (
        again.exit_code == 0 and "0 patterns computed" in again.stdout
    )  # stored at publishing: nothing to do
