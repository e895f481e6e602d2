"""``sitmon query`` / ``publish`` / ``releases`` in-process on the published session fixture."""

import csv
import io
import json

from typer.testing import CliRunner

from sitmon.cli import app


def _run(settings, *args):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", "en", *args])


def test_query_csv_is_machine_readable(published):
    res = _run(published.settings, "query", "--indicator", "revenue_total", "--by", "region,sector",
               "--period", "2024-06", "--measure", "ytd", "--format", "csv")
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["region", "sector", "period", "indicator", "measure", "value", "unit"]
    assert {r["region"] for r in rows} <= {"east", "central", "west", "northeast"}
    assert all(r["unit"] == "10k_cny" for r in rows)
    exp = published.expected
    total = exp[exp.period == "2024-06"].revenue_total.sum()
    assert abs(sum(float(r["value"]) for r in rows) - total) < 1e-3 * total / 1e6 + 1


def test_query_units_percent_and_errors(published):
    res = _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-06", "--unit",
               "100m_cny", "--format", "json")
    rows = json.loads(res.stdout)
    exp = published.expected
    assert rows[0]["unit"] == "100m_cny"
    assert abs(rows[0]["value"] - exp[exp.period == "2024-06"].revenue_total.sum() / 1e4) < 1e-6
    pct = json.loads(_run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-06",
                          "--measure", "yoy", "--format", "json").stdout)
    assert pct[0]["unit"] == "pct"
    bad = _run(published.settings, "query", "--indicator", "nope", "--period", "2024-06")
    assert bad.exit_code == 2 and "unknown indicator" in bad.output
    late = _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2025-06")
    assert late.exit_code == 2 and "not been published" in " ".join(late.output.split())
    wrong = _run(published.settings, "query", "--indicator", "exports_usd", "--period", "2024-06", "--unit", "100m_cny")
    assert wrong.exit_code == 2
    public = _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-06", "--public",
                  "--by", "city,sector")
    assert public.exit_code == 2 and "not published by city,sector" in " ".join(public.output.split())


def test_releases_list(published):
    res = _run(published.settings, "releases", "list", "--format", "json")
    rel = json.loads(res.stdout)
    assert len(rel) == len(published.periods)
    assert all(r["synthetic"] for r in rel) and {r["release"] for r in rel} == {1}


def test_a_malformed_period_is_refused_before_any_work(published):
    res = _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-13")
    assert res.exit_code == 2 and "01–12" in res.output
    res = _run(published.settings, "publish", "--period", "2024-06", "--period", "June")
    assert res.exit_code == 2 and "malformed" in res.output


def test_unsuppressed_queries_are_audited_public_ones_are_not(published):
    from sqlalchemy import select

    from sitmon.store.db import Database
    from sitmon.store.models import AuditEvent

    def reads():
        db = Database(published.settings)
        with db.session() as s:
            out = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "data.read_confidential")))
        db.dispose()
        return out

    before = len(reads())
    assert _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-06",
                "--by", "region", "--format", "json").exit_code == 0
    after = reads()
    assert len(after) == before + 1 and after[-1].actor.startswith("cli:")
    assert after[-1].detail["indicator"] == "revenue_total" and after[-1].detail["by"] == ["region"]
    assert _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2024-06",
                "--by", "region", "--public", "--format", "json").exit_code == 0
    assert len(reads()) == before + 1
