"""Every ``sitmon`` command shown in the docs of issue 17 runs (in-process, in a temporary data directory)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitmon.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"```bash\n(.*?)```", re.S)


def commands(name: str) -> list[list[str]]:
    """The ``sitmon`` command lines of the bash blocks of ``docs/<name>``, as argument lists."""
    out = []
    for block in BLOCK.findall((DOCS / name).read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            if line.startswith("sitmon "):
                out.append(shlex.split(line)[1:])
    return out


def _run(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(app, ["--home", str(tmp_path / "home"), *args])


@pytest.mark.parametrize("args", commands("plans.md"), ids=" ".join)
def test_plans_doc_commands_run(tmp_path, monkeypatch, args):
    res = _run(tmp_path, monkeypatch, args)
    assert res.exit_code == 0, res.output
    assert res.stdout.strip()


def test_the_docs_show_commands():
    assert len(commands("plans.md")) >= 9 and len(commands("synthetic.md")) >= 2


@pytest.mark.slow
@pytest.mark.parametrize("args", commands("synthetic.md"), ids=" ".join)
def test_synthetic_doc_commands_run(tmp_path, monkeypatch, args):
    res = _run(tmp_path, monkeypatch, args)
    assert res.exit_code == 0, res.output
    out = args[args.index("--out") + 1]
    assert (tmp_path / out / "manifest.json").exists() and (tmp_path / out / "SYNTHETIC.txt").exists()
