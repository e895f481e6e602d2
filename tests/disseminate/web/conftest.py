"""A copy of the session's published synthetic population (tests/published.py) with one user per role, for the
pages: driven in-process (TestClient) here, and by Chromium against a real server in test_browser.py."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sitmon.config import Settings
from sitmon.disseminate.api import create_app
from sitmon.process.filings import list_reports
from sitmon.security import Principal, Role
from sitmon.security.users import add_user
from sitmon.store.db import Database

from ..api.conftest import FAST, PASSWORD

PERIOD = "2024-12"


@dataclass
class Site:
    """The data directory, its settings and DB, the enterprise of the filer, another enterprise, the province."""

    settings: Settings
    db: Database
    filer_uscc: str
    other_uscc: str
    province: str
    report_id: int  # the filer's current report of PERIOD
    other_report_id: int


def build_site(source: Path, target: Path) -> Site:
    """Copy the published data directory and add the users: filer (an enterprise of the province with the most
    December reports), reviewer of that province, analyst, admin."""
    shutil.copytree(source, target)
    settings = Settings(home=target, public_read=True, **FAST)
    db = Database(settings)
    db.upgrade()
    national = Principal("setup", Role.analyst)
    items = list_reports(db, national, form="monthly", period=PERIOD, limit=1000).items
    counts: dict[str, int] = {}
    for r in items:
        counts[r.province] = counts.get(r.province, 0) + 1
    province = max(counts, key=lambda p: (counts[p], p))
    mine = [r for r in items if r.province == province]
    filer, other = mine[0], next(r for r in items if r.province != province)
    add_user(db, settings, "filer", PASSWORD, "filer", filer.uscc)
    add_user(db, settings, "reviewer", PASSWORD, "reviewer", province)
    add_user(db, settings, "analyst", PASSWORD, "analyst")
    add_user(db, settings, "admin", PASSWORD, "admin")
    return Site(settings, db, filer.uscc, other.uscc, province, filer.id, other.id)


@pytest.fixture(scope="session")
def warmed(published):
    """The published population with the disclosure patterns the overview and the map read computed once (they
    are stored beside the warehouse, so every copy of the data directory has them)."""
    settings = published.settings.model_copy(update={"public_read": True, "secret_key": "w" * 48})
    with TestClient(create_app(settings)) as c:
        assert c.get("/").status_code == 200 and c.get("/map").status_code == 200
    return published


@pytest.fixture(scope="module")
def site(warmed, tmp_path_factory) -> Iterator[Site]:
    """The published population with users, its own copy per test module."""
    made = build_site(warmed.settings.home, tmp_path_factory.mktemp("web") / "home")
    yield made
    made.db.dispose()


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    """The app (API + pages) in-process, anonymous reading on."""
    with TestClient(create_app(site.settings, db=site.db)) as c:
        yield c


def login(client: TestClient, user: str, password: str = PASSWORD) -> str:
    """Sign ``user`` in through the login page; returns the session's CSRF token (from the next page)."""
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token, page.text
    res = client.post(
        "/login",
        data={"username": user, "password": password, "login_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert res.status_code == 303, res.text
    home = client.get("/")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf, home.text
    return csrf.group(1)
