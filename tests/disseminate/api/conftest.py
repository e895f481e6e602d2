"""An API over a small registry: two filers, two provincial reviewers, an analyst and an admin, each with an
API token; the app driven in-process (TestClient) on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from sitmon.collect.registry import import_enterprises
from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.domain.uscc import make_uscc
from sitmon.security.tokens import create_token
from sitmon.security.users import add_user
from sitmon.store.db import Database

from ...collect.conftest import good_values

#: Cheap argon2 parameters and a fixed key, so that tests create users in milliseconds.
FAST = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1, "secret_key": "t" * 48}
PASSWORD = "correct horse battery"

# Beijing (A, D), Guangdong (B), Sichuan (C)
A, B, C, D = make_uscc("110108", 1), make_uscc("440305", 2), make_uscc("510100", 3), make_uscc("110105", 4)
REGISTRY = [
    (A, "北京甲", "110108", "it_services"),
    (B, "深圳乙", "440305", "software_products"),
    (C, "成都丙", "510100", "embedded"),
    (D, "北京丁", "110105", "it_services"),
]
USERS = {
    "filer_a": ("filer", A),
    "filer_b": ("filer", B),
    "reviewer_bj": ("reviewer", "110000"),
    "reviewer_gd": ("reviewer", "440000"),
    "analyst": ("analyst", None),
    "admin": ("admin", None),
}
COUNTED = (
    "reports",
    "review_events",
    "uploads",
    "audit_events",
    "releases",
    "users",
    "api_tokens",
    "web_sessions",
)


def fast_settings(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with cheap password hashing and a fixed secret key (plus ``changes``)."""
    return settings.model_copy(update={**FAST, **changes})


def register(db: Database, folder: Path, rows: list[tuple[str, str, str, str]] = REGISTRY) -> None:
    """Import ``rows`` (uscc, name, region code, sector) into the registry, all founded in 2010."""
    path = folder / "registry.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["uscc", "name", "region_code", "sector", "founded"])
        w.writerows([[*r, "2010-01-01"] for r in rows])
    assert import_enterprises(db, path).status == "stored"


def report(uscc: str, period: str = "2024-01", scale: float = 1.0, **changes: Any) -> dict[str, Any]:
    """A consistent monthly report as JSON (万元)."""
    return {"uscc": uscc, "period": period, **good_values(scale), **changes}


@dataclass
class Api:
    """The app under test with its DB, settings and one API token per user of :data:`USERS`."""

    client: TestClient
    db: Database
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, user: str | None, lang: str = "en") -> dict[str, str]:
        """Headers of a request as ``user`` (None: anonymous) in ``lang``."""
        headers = {"Accept-Language": lang}
        if user is not None:
            headers["Authorization"] = f"Bearer {self.tokens[user]}"
        return headers

    def file(self, user: str, *rows: dict[str, Any]) -> Any:
        """POST the reports as ``user``; the response."""
        return self.client.post("/api/v1/reports", json={"reports": list(rows)}, headers=self.auth(user))

    def current_id(self, user: str, uscc: str, period: str = "2024-01") -> int:
        """Id of the current revision of ``uscc``'s report for ``period``, as ``user`` sees it."""
        res = self.client.get(
            "/api/v1/reports", params={"uscc": uscc, "period": period}, headers=self.auth(user)
        )
        assert res.status_code == 200, res.json()
        return int(res.json()["items"][0]["id"])

    def snapshot(self) -> dict[str, Any]:
        """Row counts of every table a refused request must leave alone, and the warehouse's files."""
        with self.db.engine.connect() as conn:
            counts = {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in COUNTED}
            counts["last_review"] = conn.execute(sa.text("SELECT max(id) FROM review_events")).scalar()
            # a refusal and a confidential read are themselves audited; nothing else may change
            counts["audit_events"] = conn.execute(
                sa.text(
                    "SELECT count(*) FROM audit_events WHERE action NOT IN ('access.refused', 'data.read_confidential')"
                )
            ).scalar()
        wh = self.settings.warehouse_dir
        counts["warehouse"] = sorted(str(p.relative_to(wh)) for p in wh.rglob("*")) if wh.exists() else []
        return counts


def make_api(settings: Settings, db: Database, folder: Path) -> Api:
    """Register the enterprises, add the users with a token each, build the app."""
    register(db, folder)
    api = Api(client=TestClient(create_app(settings, db=db)), db=db, settings=settings)
    for name, (role, scope) in USERS.items():
        add_user(db, settings, name, PASSWORD, role, scope)
        api.tokens[name] = create_token(db, name, "tests").token
    return api


@pytest.fixture
def api(settings: Settings, db: Database, tmp_path: Path) -> Iterator[Api]:
    """The API on each operational DB (SQLite, PostgreSQL), anonymous reading off."""
    fast = fast_settings(settings)
    made = make_api(fast, db, tmp_path)
    with made.client:
        yield made


@pytest.fixture
def sqlite_api(sqlite_settings: Settings, sqlite_db: Database, tmp_path: Path) -> Iterator[Api]:
    """The API on SQLite only (for tests that are not about the DB)."""
    fast = fast_settings(sqlite_settings)
    made = make_api(fast, sqlite_db, tmp_path)
    with made.client:
        yield made
