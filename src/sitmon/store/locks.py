"""Named locks that make writers of the same data take turns, across processes — and across machines on
PostgreSQL. Imports hold ``intake`` (one import at a time: revision numbers and the archive stay consistent),
a publish holds ``publish:<form>:<period>`` (one writer per period), a login holds the lock of its user name.

How the lock is held depends on where the operational DB lives, because that is what every writer shares:

- **SQLite** — one machine by construction (the DB is a local file): an exclusive ``flock`` on
  ``<home>/locks/<name>.lock``. The kernel drops it when the process ends, ``kill -9`` included.
- **PostgreSQL** — possibly several application servers sharing the DB and the warehouse: a session-level
  advisory lock (``pg_try_advisory_lock``) on a connection kept for the duration. It ends with the connection,
  so a killed process releases it too. A file lock would not do there: the data directory may sit on shared
  storage where ``flock`` is not reliable, and the DB is the one thing all servers certainly share.

A lock that is not free is waited for (polling) up to ``timeout`` seconds, then :class:`Busy` names what is
running — a plain message instead of a crash half-way.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from ..domain import Message
from .db import Database

_POLL_SECONDS = (0.02, 0.05, 0.1, 0.2)


class Busy(RuntimeError):
    """Another process holds the lock: ``message`` says which work and how long this one waited."""

    def __init__(self, name: str, waited: float) -> None:
        self.name = name
        self.message = Message("crash_safety.busy", what=describe(name), seconds=round(waited))
        super().__init__(self.message.both())


def describe(name: str) -> str:
    """What a lock name stands for, as a person reads it (``publish:monthly:2024-06`` → ``publish monthly
    2024-06``)."""
    return name.replace(":", " ")


def advisory_key(name: str) -> int:
    """The signed 64-bit PostgreSQL advisory-lock key of a lock name (the first 8 bytes of its sha256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def lock_file(db: Database, name: str) -> Path:
    """Where the file lock of ``name`` lives on SQLite: ``<home>/locks/<safe name>.lock``."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return db.settings.home / "locks" / f"{safe}.lock"


@contextmanager
def exclusive(db: Database, name: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock ``name`` for the duration of the block; wait at most ``timeout`` seconds (default: the
    deployment's ``lock_timeout_seconds``), then raise :class:`Busy`."""
    wait = db.settings.lock_timeout_seconds if timeout is None else timeout
    if db.url.startswith("postgresql"):
        with _advisory(db, name, wait):
            yield
    else:
        with _flock(db, name, wait):
            yield


def _sleep(attempt: int) -> None:
    time.sleep(_POLL_SECONDS[min(attempt, len(_POLL_SECONDS) - 1)])


@contextmanager
def _flock(db: Database, name: str, wait: float) -> Iterator[None]:
    path = lock_file(db, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        start, attempt = time.monotonic(), 0
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - start >= wait:
                    raise Busy(name, time.monotonic() - start) from None
                _sleep(attempt)
                attempt += 1
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _advisory(db: Database, name: str, wait: float) -> Iterator[None]:
    key = advisory_key(name)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        start, attempt = time.monotonic(), 0
        while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            if time.monotonic() - start >= wait:
                raise Busy(name, time.monotonic() - start)
            _sleep(attempt)
            attempt += 1
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
