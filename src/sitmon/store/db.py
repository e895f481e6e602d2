"""The operational database: engine and sessions from a URL (SQLite by default, PostgreSQL for
multi-user deployments), and creating or upgrading the schema with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from ..config import Settings
from ..domain import jsontext

_ENCODE = jsontext.strict_encoder(
    ensure_ascii=True
).encode  # as SQLAlchemy's default, but never NaN or Infinity


def _json(obj: object) -> str:
    return _ENCODE(obj)


__all__ = ["Database", "Session", "make_engine"]  # Session: the type other layers annotate a transaction with


def make_engine(url: str) -> Engine:
    """An engine for ``url``. JSON columns are written strictly (a non-finite number raises instead of writing
    ``Infinity``, which no JSON reader accepts). SQLite gets WAL, foreign keys on, a busy timeout and
    ``synchronous=FULL``: in WAL mode that flushes the log at every commit, so a committed import or release
    record survives a power loss (``NORMAL`` keeps it only across a crash of the process)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, json_serializer=_json)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json)


@cache
def _head(script_location: str) -> str | None:
    """The newest revision of the migrations in ``script_location`` (read once per process)."""
    cfg = Config()
    cfg.set_main_option("script_location", script_location)
    return ScriptDirectory.from_config(cfg).get_current_head()


class Database:
    """One operational DB: an engine plus a session factory. Build it once per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = settings.resolved_database_url
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    def new_session(self) -> Session:
        """A plain session (the caller manages transactions), e.g. for FastAPI dependencies."""
        return self._sessions()

    def alembic_config(self) -> Config:
        """Alembic configuration pointing at the packaged migrations and this DB."""
        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("sitmon.store").joinpath("migrations")))
        cfg.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        cfg.attributes["engine"] = self.engine
        return cfg

    def upgrade(self) -> str:
        """Create or upgrade the schema to the newest migration; returns the revision now in force.

        Idempotent: on an up-to-date database it changes nothing.
        """
        self.settings.home.mkdir(parents=True, exist_ok=True)
        cfg = self.alembic_config()
        current = self.current_revision()
        if current is not None and current == _head(cfg.get_main_option("script_location") or ""):
            return current  # at the newest migration already: every CLI command and server start checks this
        command.upgrade(cfg, "head")
        return self.current_revision() or ""

    def current_revision(self) -> str | None:
        """The Alembic revision the database is at (None for an empty database)."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
