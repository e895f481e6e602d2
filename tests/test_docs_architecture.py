"""docs/architecture.md says what the code does: its table of allowed imports is the matrix the architecture
test checks, and the commands it shows exist."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from .test_architecture import ALLOWED, LAYERS

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_table_of_layers_is_the_checked_matrix():
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", DOC, flags=re.M)
    table = {}
    for pkg, cell in rows:
        cell = cell.strip()
        table[pkg] = (
            set(LAYERS[: LAYERS.index(pkg)])
            if cell == "all of the above"
            else set()
            if cell == "—"
            else {c.strip() for c in cell.split(",")}
        )
    assert table == {k: set(v) for k, v in ALLOWED.items()}


def test_the_commands_shown_exist():
    for script in re.findall(r"^(scripts/\S+\.sh)", DOC, flags=re.M):
        assert (ROOT / script).is_file(), script
    assert '.venv/bin/python -m pytest -m "not slow"' in DOC
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"][
        "ini_options"
    ]
    assert any(m.startswith("slow:") for m in markers["markers"])
