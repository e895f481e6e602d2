"""``sitmon bulletin`` and ``sitmon export`` in process, on the session's published releases; the API's
``/api/v1/bulletins`` and ``/api/v1/sdmx`` over the same warehouse, read anonymously as published aggregates."""

from __future__ import annotations

import openpyxl
import pytest
import sdmx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sitmon.cli import app
from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.store.db import Database

pytestmark = pytest.mark.slow
PERIOD = "2024-06"


def run(settings, *args):
    return CliRunner().invoke(app, ["--home", str(settings.home), "--lang", "en", *args])


def test_refusals_exit_2_and_write_nothing(published, tmp_path):
    s = published.settings
    for args in (
        ["bulletin", "--period", "2031-01", "--out", str(tmp_path / "x.pdf")],
        ["bulletin", "--period", "2024-06", "--out", str(tmp_path / "x.docx")],
        ["bulletin", "--period", "2024-13", "--out", str(tmp_path / "x.pdf")],
        ["bulletin", "--period", "2024-06", "--lang", "fr", "--out", str(tmp_path / "x.pdf")],
        ["export", "--period", PERIOD, "--format", "pdf", "--out", str(tmp_path / "x.pdf")],
        ["export", "--period", PERIOD, "--release", "99", "--out", str(tmp_path / "x.csv")],
        ["export", "--out", str(tmp_path / "x.csv")],
    ):
        res = run(s, *args)
        assert res.exit_code == 2, (args, res.output)
    assert not list(tmp_path.iterdir())


def test_api_bulletins_and_sdmx(published, tmp_path):
    s = Settings(
        home=published.settings.home,
        database_url=f"sqlite:///{tmp_path / 'u.db'}",
        public_read=True,
        secret_key="t" * 48,
    )
    db = Database(s)
    db.upgrade()
    with TestClient(create_app(s, db=db)) as client:
        r = client.get(f"/api/v1/bulletins/{PERIOD}", params={"lang": "en"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "January–June 2024" in r.text and "SYNTHETIC" in r.text
        r = client.get("/api/v1/sdmx/structure")
        assert r.status_code == 200 and b"DSD_SITMON" in r.content
        r = client.get(f"/api/v1/sdmx/data/{PERIOD}", params={"format": "sdmx-csv"})
        assert r.status_code == 200 and r.text.startswith("STRUCTURE,")
        assert ",D" in r.text or ",C" in r.text
        for url, params in (
            (f"/api/v1/bulletins/{PERIOD}", {"format": "docx"}),
            ("/api/v1/bulletins/2024-13", {}),
            (f"/api/v1/sdmx/data/{PERIOD}", {"release": 0}),
            ("/api/v1/sdmx/data/2031-06", {}),
        ):
            r = client.get(url, params=params)
            assert r.status_code in (404, 422), (url, r.status_code, r.text[:200])
    db.dispose()


@pytest.mark.parametrize("doc", ["bulletins.md", "sdmx.md"])
def test_the_docs_commands_run(doc, published, tmp_path, monkeypatch):
    from ..test_docs_commands import commands

    lines = commands(doc)
    assert len(lines) >= 3
    monkeypatch.chdir(tmp_path)
    for args in lines:
        res = CliRunner().invoke(app, ["--home", str(published.settings.home), *args])
        assert res.exit_code == 0, (args, res.output)
        out = tmp_path / args[args.index("--out") + 1]
        assert out.stat().st_size > 1000, args
    if doc == "bulletins.md":
        wb = openpyxl.load_workbook(tmp_path / "bulletin-2024-06.xlsx")
        assert wb["main"].cell(3, 1).value == "指标" and wb["main"].cell(4, 1).value == "Indicator"
        assert "<svg" in (tmp_path / "bulletin-en.html").read_text(encoding="utf-8")
    else:
        structure = sdmx.read_sdmx(tmp_path / "sitmon-structure.xml")
        data = sdmx.read_sdmx(tmp_path / "sitmon-2024-06.sdmx.csv", structure=structure.dataflow["DF_SITMON"])
        xml = sdmx.read_sdmx(tmp_path / "sitmon-2024-06.xml", structure=structure.structure["DSD_SITMON"])
        assert len(data.data[0].obs) == len(xml.data[0].obs) > 500
