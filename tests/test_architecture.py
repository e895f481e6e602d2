"""The layering of DESIGN.md, checked over the AST of every module: which package may import which (an explicit
matrix), which packages are pure (no I/O), and which may use a database driver, an engine or an interface
framework."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "sitmon"

#: The layers, bottom first: a package may only import packages before it (and the package root, for
#: ``__version__``). config < domain < catalog < store < analyse < security < collect < process < disseminate < cli
LAYERS = (
    "config",
    "domain",
    "catalog",
    "store",
    "analyse",
    "security",
    "collect",
    "process",
    "disseminate",
    "cli",
)

#: The allowed edges: package → the sitmon packages it may import. Every edge points down the layers; the pure
#: packages (domain, catalog, analyse) import no store and no engine.
ALLOWED: dict[str, frozenset[str]] = {
    "config": frozenset(),
    "domain": frozenset(),
    "catalog": frozenset({"domain"}),
    "store": frozenset({"config", "domain", "catalog"}),
    "analyse": frozenset({"domain", "catalog"}),
    "security": frozenset({"config", "domain", "catalog", "store"}),
    "collect": frozenset({"config", "domain", "catalog", "store"}),
    "process": frozenset({"config", "domain", "catalog", "store", "analyse", "security"}),
    "disseminate": frozenset(
        {"config", "domain", "catalog", "store", "analyse", "security", "collect", "process"}
    ),
    "cli": frozenset(
        {"config", "domain", "catalog", "store", "analyse", "security", "collect", "process", "disseminate"}
    ),
}

PURE = ("domain", "catalog", "analyse")
#: Modules that open files although their package is pure: each reads only the package's own shipped data.
READS_SHIPPED_DATA = {
    "catalog/loader.py": "the catalog's YAML and CSV files",
    "domain/messages.py": "the message catalogue (locale/*.yaml)",
}
#: Calls that touch the file system (on a path, a file or a frame).
FILE_IO_CALLS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "mkdir",
    "unlink",
    "rmdir",
    "touch",
    "iterdir",
    "glob",
    "rglob",
    "exists",
    "is_file",
    "is_dir",
    "stat",
    "read_csv",
    "read_parquet",
    "read_excel",
    "read_json",
    "to_csv",
    "to_parquet",
    "to_excel",
    "to_sql",
    "read_sql",
}
#: Modules whose import is I/O: sockets, processes, HTTP, files of other formats.
IO_MODULES = {
    "socket",
    "subprocess",
    "shutil",
    "tempfile",
    "requests",
    "httpx",
    "urllib",
    "http",
    "openpyxl",
    "csv",
    "sqlite3",
}
#: Database drivers, migrations and analysis engines: the store's alone.
ENGINES = {"sqlalchemy", "alembic", "psycopg", "duckdb", "pyspark"}
ENGINE_HOME = {"store"}
#: Web and command-line frameworks: the interfaces' alone.
INTERFACES = {"fastapi", "starlette", "typer", "uvicorn", "click", "rich"}
INTERFACE_HOME = {"cli", "disseminate"}


def _package(path: Path, root: Path = PKG) -> str:
    rel = path.relative_to(root)
    return rel.parts[0].removesuffix(".py") if len(rel.parts) > 1 else rel.stem


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _modules() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


def _imports(path: Path, root: Path = PKG) -> tuple[set[str], set[str]]:
    """(sitmon packages, top-level third-party or standard modules) that ``path`` (a module under ``root``, the
    sitmon package folder) imports, anywhere in it (including imports inside functions)."""
    here = list(path.relative_to(root).parts[:-1])  # the package a relative import starts from
    own, other = set(), set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                (own.add(parts[1]) if parts[0] == "sitmon" and len(parts) > 1 else other.add(parts[0]))
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] != "sitmon":
                    other.add(parts[0])
                    continue
                target = parts[1:]
            else:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
            if target:
                own.add(target[0])
            else:  # `from .. import __version__`: the package root
                own.add("sitmon")
    return {o for o in own if o != "sitmon"}, other


def _file_io(path: Path) -> set[str]:
    """File-system calls in ``path``: ``open(...)`` and methods such as ``.read_text()``, ``.open()``."""
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in FILE_IO_CALLS:
                found.add(f"{name}()")
    return found


def test_the_matrix_points_down_the_layers():
    assert set(ALLOWED) == set(LAYERS)
    for pkg, allowed in ALLOWED.items():
        assert allowed <= set(LAYERS[: LAYERS.index(pkg)]), f"{pkg} may import a layer above it: {allowed}"
    assert {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()} | {"config"} == set(
        LAYERS
    )


def test_every_import_is_an_allowed_edge():
    offenders = {}
    for path in _modules():
        pkg = _package(path)
        if pkg == "__init__":
            continue
        bad = (_imports(path)[0] - {pkg}) - ALLOWED[pkg]
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


@pytest.mark.parametrize("pkg", PURE)
def test_pure_packages_do_no_io(pkg):
    offenders = {}
    for path in sorted((PKG / pkg).rglob("*.py")):
        rel = str(path.relative_to(PKG))
        bad = _imports(path)[1] & ENGINES
        if rel not in READS_SHIPPED_DATA:
            bad |= (_imports(path)[1] & IO_MODULES) | _file_io(path)
        if bad:
            offenders[rel] = sorted(bad)
    assert offenders == {}


def test_only_the_store_uses_a_database_or_an_engine():
    offenders = {}
    for path in _modules():
        if _package(path) in ENGINE_HOME:
            continue
        bad = _imports(path)[1] & ENGINES
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


def test_only_interfaces_import_web_and_cli_frameworks():
    offenders = {}
    for path in _modules():
        if _package(path) in INTERFACE_HOME:
            continue
        bad = _imports(path)[1] & INTERFACES
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


def test_api_routes_do_not_query_the_database():
    """Routes parse, call one function of the phases, and render: no SQL, no ORM, no Ibis in ``disseminate/api``."""
    offenders = {}
    for path in (PKG / "disseminate" / "api").rglob("*.py"):
        own, other = _imports(path)
        text = path.read_text(encoding="utf-8")
        bad = (
            (other & {"sqlalchemy", "duckdb", "ibis"})
            | ({"store.models"} if "store.models" in text else set())
            | ({"session"} if ".session()" in text else set())
        )
        if bad:
            offenders[str(path.relative_to(PKG))] = sorted(bad)
    assert offenders == {}


def test_the_checker_sees_what_it_must(tmp_path):
    """The AST scan finds relative, absolute and function-level imports and file I/O (else the tests above
    could pass by seeing nothing)."""
    root = tmp_path / "sitmon"
    probe = root / "analyse" / "disclosure" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(
        "import duckdb\nfrom ...store import warehouse\nfrom . import cells\nfrom .. import measures\n\n\n"
        "def f(p):\n    from sitmon.cli import app\n    return p.read_text(), open(p)\n",
        encoding="utf-8",
    )
    own, other = _imports(probe, root)
    assert own == {"store", "cli", "analyse"} and other == {"duckdb"}
    assert _file_io(probe) == {"read_text()", "open()"}
    assert _package(probe, root) == "analyse"
