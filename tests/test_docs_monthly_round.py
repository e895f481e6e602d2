"""Every ``sitmon`` command of docs/monthly-round.md runs, in the order shown, on the walkthrough's SYNTHETIC month
of Zhejiang; a line marked ``# exit 1`` must fail with that code (a rejected file, a refused publish)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from .cli.round_data import files, history, run

DOC = Path(__file__).resolve().parents[1] / "docs" / "monthly-round.md"
BLOCK = re.compile(r"```bash\n(.*?)```", re.S)


def commands() -> list[tuple[list[str], int]]:
    """(arguments, expected exit code) of every ``sitmon`` line of the doc's bash blocks."""
    out = []
    for block in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            if command.strip().startswith("sitmon "):
                code = re.search(r"exit (\d+)", comment)
                out.append((shlex.split(command)[1:], int(code.group(1)) if code else 0))
    return out


def test_the_doc_shows_the_whole_round():
    shown = [" ".join(args[:2]) for args, _ in commands()]
    for step in (
        "enterprises import",
        "reports import",
        "review queue",
        "review show",
        "review accept",
        "review return",
        "review late",
        "review rates",
        "publish --period",
        "releases revisions",
        "releases calendar",
    ):
        assert step in shown, step
    assert [code for _, code in commands()].count(1) == 2


@pytest.mark.slow
def test_the_walkthrough_runs_in_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home"
    (tmp_path / "setup").mkdir()
    history(home, tmp_path / "setup")  # last June and May, as before the walkthrough starts
    files(tmp_path)
    for args, code in commands():
        res = run(home, *args)
        assert res.exit_code == code, (args, res.output)
        assert res.output.strip(), args
    assert (tmp_path / "问题清单.xlsx").exists() and (tmp_path / "催报名单.xlsx").exists()
    assert (tmp_path / "跳过的报表.xlsx").exists() and (tmp_path / "月报模板.xlsx").exists()
