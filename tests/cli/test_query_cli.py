"""``sitmon query`` / ``publish`` / ``releases`` in-process on the published session fixture."""

import csv
import io
import json

from typer.testing import CliRunner

from sitmon.cli import app


def _run(settings, *args):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", "en", *args])


def test_query_csv_is_machine_readable(published):
    res = _run(
        published.settings,
        "query",
        "--indicator",
        "revenue_total",
        "--by",
        "region,sector",
        "--period",
        "2024-06",
        "--measure",
        "ytd",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert list(rows[0]) == ["region", "sector", "period", "indicator", "measure", "value", "unit"]
    assert {r["region"] for r in rows} <= {"east", "central", "west", "northeast"}
    assert all(r["unit"] == "10k_cny" for r in rows)
    exp = published.expected
    total = exp[exp.period == "2024-06"].revenue_total.sum()
    assert abs(sum(float(r["value"]) for r in rows) - total) < 1e-3 * total / 1e6 + 1


def test_query_units_percent_and_errors(published):
    res = _run(
        published.settings,
        "query",
        "--indicator",
        "revenue_total",
        "--period",
        "2024-06",
        "--unit",
        "100m_cny",
        "--format",
        "json",
    )
    rows = json.loads(res.stdout)
    exp = published.expected
    assert rows[0]["unit"] == "100m_cny"
    assert abs(rows[0]["value"] - exp[exp.period == "2024-06"].revenue_total.sum() / 1e4) < 1e-6
    pct = json.loads(
        _run(
            published.settings,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-06",
            "--measure",
            "yoy",
            "--format",
            "json",
        ).stdout
    )
    assert pct[0]["unit"] == "pct"
    bad = _run(published.settings, "query", "--indicator", "nope", "--period", "2024-06")
    assert bad.exit_code == 2 and "unknown indicator" in bad.output
    late = _run(published.settings, "query", "--indicator", "revenue_total", "--period", "2025-06")
    assert late.exit_code == 2 and "not been published" in " ".join(late.output.split())
    wrong = _run(
        published.settings, "query", "--indicator", "exports_usd", "--period", "2024-06", "--unit", "100m_cny"
    )
    assert wrong.exit_code == 2
    public = _run(
        published.settings,
        "query",
        "--indicator",
        "revenue_total",
        "--period",
        "2024-06",
        "--public",
        "--by",
        "city,sector",
    )
    assert public.exit_code == 2 and "not published by city,sector" in " ".join(public.output.split())


def test_releases_list(published):
    res = _run(published.settings, "releases", "list", "--format", "json")
    rel = json.loads(res.stdout)
    assert len(rel) == len(published.periods)
    assert all(r["synthetic"] for r in rel) and {r["release"] for r in rel} == {1}


def test_repeated_options_are_comma_lists(published):
    s = published.settings
    args = ["query", "--indicator", "revenue_total", "--format", "csv"]
    repeated = _run(
        s,
        *args,
        "--period",
        "2024-05",
        "--period",
        "2024-06",
        "--by",
        "region",
        "--by",
        "sector",
        "--measure",
        "ytd",
        "--measure",
        "yoy",
    )
    commas = _run(s, *args, "--period", "2024-05:2024-06", "--by", "region,sector", "--measure", "ytd,yoy")
    assert repeated.exit_code == commas.exit_code == 0, repeated.output
    assert repeated.stdout == commas.stdout
    rows = list(csv.DictReader(io.StringIO(commas.stdout)))
    assert {(r["period"], r["measure"]) for r in rows} == {
        (p, m) for p in ("2024-05", "2024-06") for m in ("ytd", "yoy")
    }
    assert len(rows) == 4 * len({(r["region"], r["sector"]) for r in rows}) and list(rows[0])[:2] == [
        "region",
        "sector",
    ]


def test_wide_tables_into_files_by_extension(published, tmp_path):
    import openpyxl

    s = published.settings
    base = [
        "query",
        "--indicator",
        "revenue_total",
        "--by",
        "region",
        "--period",
        "2024-01:2024-12",
        "--measure",
        "ytd,yoy,yoy_comparable",
        "--layout",
        "wide",
    ]
    xlsx = _run(s, *base, "--out", str(tmp_path / "t.xlsx"))
    assert xlsx.exit_code == 0 and "wrote" in xlsx.output
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert (
        ws.max_column == 2 + 12 * 3
        and ws["B6"].value == "National total"
        and ws["C4"].value.endswith("(100m CNY)")
    )
    assert _run(s, *base, "--out", str(tmp_path / "t.csv")).exit_code == 0
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    gbk = _run(s, "--lang", "zh", *base, "--out", str(tmp_path / "g.csv"), "--encoding", "gbk")
    assert gbk.exit_code == 0 and "东部地区" in (tmp_path / "g.csv").read_bytes().decode("gbk")
    for bad, why in (
        ([str(tmp_path / "t.docx")], "cannot tell the file format"),
        ([str(tmp_path / "t2.xlsx"), "--encoding", "gbk"], "only CSV files take an encoding"),
        ([str(tmp_path / "t3.csv"), "--layout", "tall"], "no layout tall"),
        ([str(tmp_path / "t4.csv"), "--release", "1"], "pins one period only"),
    ):
        res = _run(s, *base, "--out", *bad)
        assert res.exit_code == 2 and why in " ".join(res.output.split()), (bad, res.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.csv", "t.csv", "t.xlsx"]


def test_a_wide_table_on_the_console(published):
    res = _run(
        published.settings,
        "query",
        "--indicator",
        "revenue_total",
        "--by",
        "sector",
        "--period",
        "2024-06",
        "--measure",
        "ytd,yoy_comparable",
        "--layout",
        "wide",
        "--public",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[1].startswith("Sector code,Sector,Jan–Jun 2024 Software business revenue (100m CNY)")
    assert lines[2].startswith(",National total,") and lines[3].startswith(
        "software_products,Software products,"
    )
    assert any("not published (statistical disclosure control)" in line for line in lines)


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
    assert (
        _run(
            published.settings,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-06",
            "--by",
            "region",
            "--format",
            "json",
        ).exit_code
        == 0
    )
    after = reads()
    assert len(after) == before + 1 and after[-1].actor.startswith("cli:")
    assert after[-1].detail["indicator"] == "revenue_total" and after[-1].detail["by"] == ["region"]
    assert (
        _run(
            published.settings,
            "query",
            "--indicator",
            "revenue_total",
            "--period",
            "2024-06",
            "--by",
            "region",
            "--public",
            "--format",
            "json",
        ).exit_code
        == 0
    )
    assert len(reads()) == before + 1
