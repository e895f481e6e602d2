"""``docs/tables.md`` stays true: every ``sitmon`` command and every ``GET`` it shows runs (on the published session
fixture), and the literal excerpt of the demo data has the shape the command gives now — the same title, headers,
row labels and notes (the figures are the demo's, the fixture's differ)."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitmon.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "tables.md"
EXCERPT = "sitmon query --public --indicator revenue_total --by region --period 2024-01:2024-12"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def _commands() -> list[str]:
    return [
        line[2:]
        for block in _blocks("console")
        for line in block.splitlines()
        if line.startswith("$ sitmon ")
    ]


def _requests() -> list[str]:
    return [
        line[4:] for block in _blocks("console") for line in block.splitlines() if line.startswith("GET ")
    ]


def _run(settings, command: str):
    args = shlex.split(command)[1:]
    return CliRunner().invoke(app, ["--home", str(settings.home), *args])


@pytest.mark.slow
@pytest.mark.parametrize("command", _commands())
def test_every_command_of_the_doc_runs(published, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    res = _run(published.settings, command)
    assert res.exit_code == 0, (command, res.output)
    out = re.search(r"--out (\S+)", command)
    if out:
        assert (tmp_path / out.group(1)).stat().st_size > 0


@pytest.mark.slow
def test_the_demo_excerpt_has_the_shape_of_the_command(published):
    command = next(c for c in _commands() if c.startswith(EXCERPT))
    excerpt = next(b for b in _blocks("text") if b.startswith("软件业务收入（按地区）"))
    res = _run(published.settings, command)
    assert res.exit_code == 0, res.output
    now = list(csv.reader(io.StringIO(res.stdout)))
    doc = list(csv.reader(io.StringIO(excerpt)))
    assert len(now) == len(doc) and now[:2] == doc[:2]  # title and headers
    assert [r[:2] for r in now[2:7]] == [r[:2] for r in doc[2:7]]  # the total, then the regions in order
    notes = lambda rows: [r for r in rows[8:] if r != []]  # noqa: E731
    assert notes(now) == notes(doc)
    table = [
        line
        for line in DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and ("全国" in line or "地区 |" in line)
    ]
    for line in table[1:]:  # the readable rendering holds the excerpt's figures
        cells = [c.strip() for c in line.strip("|").split("|")]
        row = next(r for r in doc[2:7] if r[1] == cells[1])
        assert all(c in row for c in cells[2:]), line


@pytest.mark.slow
def test_every_request_of_the_doc_answers(published, tmp_path):
    from fastapi.testclient import TestClient

    from sitmon.config import Settings
    from sitmon.disseminate.api import create_app
    from sitmon.security.tokens import create_token
    from sitmon.security.users import add_user
    from sitmon.store.db import Database

    from .disseminate.api.conftest import FAST, PASSWORD

    s = Settings(
        home=published.settings.home,
        database_url=f"sqlite:///{tmp_path / 'users.db'}",
        public_read=True,
        **FAST,
    )
    db = Database(s)
    db.upgrade()
    add_user(db, s, "analyst", PASSWORD, "analyst")
    headers = {"Authorization": f"Bearer {create_token(db, 'analyst').token}"}
    requests = _requests()
    assert len(requests) >= 5
    with TestClient(create_app(s, db=db)) as client:
        for path in requests:
            res = client.get(path, headers=headers)
            assert res.status_code == 200, (path, res.text[:300])
    db.dispose()
