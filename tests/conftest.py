"""Shared fixtures: settings in a temporary data directory, and the operational DB on SQLite and
on a throwaway PostgreSQL server (started here once per test session on 127.0.0.1)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitmon.config import Settings
from sitmon.store.db import Database

#: Markers whose tests are slow by nature: a Spark session, a live server, the PostgreSQL server.
SLOW_BY_NATURE = ("spark", "integration", "postgres")
#: Fixtures that build a whole published world (two years of releases with every disclosure pattern): a minute.
SLOW_FIXTURES = ("published",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``slow`` every test that runs Spark, a live server or PostgreSQL, or uses the session's published
    world, so that ``-m "not slow"`` is the fast loop (SQLite, DuckDB, the app in process) and
    ``scripts/test.sh`` runs everything."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if any(item.get_closest_marker(m) for m in SLOW_BY_NATURE) or any(
            f in fixtures for f in SLOW_FIXTURES
        ):
            item.add_marker(pytest.mark.slow)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="session")
def pg_base_url() -> Iterator[str]:
    """URL (without database) of a PostgreSQL server for the tests.

    ``SITMON_TEST_PG_URL`` names an existing server; otherwise a throwaway cluster is initialised
    in a temporary folder and started on 127.0.0.1. Under CI a missing PostgreSQL is a failure,
    not a skip, so the suite cannot silently run on SQLite only.
    """
    given = os.environ.get("SITMON_TEST_PG_URL")
    if given:
        yield given.rstrip("/")
        return
    bindir = _pg_bin()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    tmp = Path(tempfile.mkdtemp(prefix="sitmon-pg-"))
    os.chmod(tmp, 0o777)
    data = tmp / "data"
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(tmp / "log"),
                "-o",
                f"-p {port} -c listen_addresses=127.0.0.1 -k {tmp} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def _fresh_pg_database(base: str) -> str:
    import sqlalchemy as sa

    name = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return f"{base}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty operational DB URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'sitmon.db'}"
    return _fresh_pg_database(request.getfixturevalue("pg_base_url"))


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings with a temporary data directory, on each operational DB."""
    return Settings(home=tmp_path / "home", database_url=db_url)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings with a temporary data directory on SQLite only (for tests that are not about the DB)."""
    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite operational DB upgraded to the newest schema once per session; each test gets a copy (the same
    schema as upgrading an empty file, without running every migration again)."""
    home = tmp_path_factory.mktemp("template")
    database = Database(Settings(home=home))
    database.upgrade()
    database.dispose()
    assert not (home / "sitmon.db-wal").exists()  # checkpointed: the one file holds the whole schema
    return home / "sitmon.db"


def _upgraded(settings: Settings, template: Path) -> Database:
    url = settings.resolved_database_url
    if url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
    database = Database(settings)
    database.upgrade()
    return database


@pytest.fixture
def db(settings: Settings, sqlite_template: Path) -> Iterator[Database]:
    """The operational DB of :func:`settings`, upgraded to the newest schema."""
    database = _upgraded(settings, sqlite_template)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(sqlite_settings: Settings, sqlite_template: Path) -> Iterator[Database]:
    """An upgraded operational DB on SQLite only."""
    database = _upgraded(sqlite_settings, sqlite_template)
    yield database
    database.dispose()


from .published import published  # noqa: E402,F401  (session fixture shared by analyse/, cli/, disseminate/)
