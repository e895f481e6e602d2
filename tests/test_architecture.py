"""The layering rules of DESIGN.md, checked on the source: who may import whom."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "sitmon"

IO_MODULES = {"sqlalchemy", "duckdb", "pyspark", "psycopg", "socket", "requests", "httpx", "urllib", "openpyxl",
              "alembic", "uvicorn", "subprocess", "shutil"}
INTERFACE_MODULES = {"fastapi", "starlette", "typer", "uvicorn"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level >= 2 and node.module:
            names.add("sitmon." + node.module.split(".")[0])
    return names


def _calls_open(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "open" for n in ast.walk(tree))


def _modules(sub: str) -> list[Path]:
    return sorted((PKG / sub).rglob("*.py"))


@pytest.mark.parametrize("sub", ["analyse", "catalog"])
def test_pure_packages_do_no_io(sub):
    offenders = {}
    for path in _modules(sub):
        bad = (_imports(path) & IO_MODULES) | ({"open()"} if _calls_open(path) else set())
        bad |= {n for n in _imports(path) if n in {"sitmon.store", "sitmon.collect", "sitmon.process"}}
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


def test_only_interfaces_import_web_and_cli_frameworks():
    offenders = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] in {"cli", "disseminate"}:
            continue
        bad = _imports(path) & INTERFACE_MODULES
        if bad:
            offenders[str(rel)] = sorted(bad)
    assert offenders == {}


def test_layers_below_interfaces_do_not_import_them():
    offenders = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] in {"cli", "disseminate"}:
            continue
        text = path.read_text(encoding="utf-8")
        if "sitmon.cli" in text or "sitmon.disseminate" in text or "from ..cli" in text or "from ..disseminate" in text:
            offenders[str(rel)] = "imports an interface package"
    assert offenders == {}


def test_api_routes_do_not_query_the_database():
    """Routes parse, call one function of the phases, and render: no SQL and no ORM in ``disseminate/api``."""
    offenders = {}
    for path in (PKG / "disseminate" / "api").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        bad = (_imports(path) & {"sqlalchemy", "duckdb", "ibis"}) | (
            {"store.models"} if "store.models" in text else set()) | ({"session"} if ".session()" in text else set())
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}

