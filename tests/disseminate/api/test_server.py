"""The real server: ``sitmon serve`` started as a process on 127.0.0.1 and a free port, and the whole workflow
walked over HTTP — a filer files with a warning, the reviewer returns it, the filer revises, the reviewer
accepts, the analyst publishes, an anonymous reader gets the aggregate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sitmon.collect.intake import import_records
from sitmon.config import Settings
from sitmon.domain.uscc import make_uscc
from sitmon.process.review import accept_period
from sitmon.security.tokens import create_token
from sitmon.security.users import add_user
from sitmon.store.db import Database

from .conftest import FAST, PASSWORD, register, report

pytestmark = pytest.mark.integration
FILER = make_uscc("330106", 11)
OTHERS = [make_uscc("330108", 12 + i) for i in range(4)]  # four more Zhejiang enterprises, already accepted


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path):
    """A data directory with five registered enterprises (four with accepted January reports), a filer, a
    reviewer and an analyst; ``sitmon serve`` running on it with anonymous reading on."""
    settings = Settings(home=tmp_path / "home", public_read=True, **FAST)
    db = Database(settings)
    db.upgrade()
    register(
        db,
        tmp_path,
        [(FILER, "杭州甲（synthetic）", "330106", "it_services")]
        + [(u, f"杭州{i}（synthetic）", "330108", "it_services") for i, u in enumerate(OTHERS)],
    )
    assert import_records(db, [report(u) for u in OTHERS], actor="setup").status == "stored"
    accept_period(db, "2024-01")
    add_user(db, settings, "zj_filer", PASSWORD, "filer", FILER)
    add_user(db, settings, "zj_reviewer", PASSWORD, "reviewer", "330000")
    add_user(db, settings, "analyst", PASSWORD, "analyst")
    tokens = {u: create_token(db, u).token for u in ("zj_reviewer", "analyst")}
    db.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "SITMON_HOME": str(settings.home),
        "SITMON_PUBLIC_READ": "true",
        **{f"SITMON_{k.upper()}": str(v) for k, v in FAST.items()},
    }
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "sitmon"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(300):  # wait until it answers (bounded), or fail with its log
            if proc.poll() is not None:
                break
            try:
                if httpx.get(base + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        assert proc.poll() is None, (tmp_path / "server.log").read_text()
        yield base, tokens
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_workflow_over_http(server):
    base, tokens = server
    reviewer = {"Authorization": f"Bearer {tokens['zj_reviewer']}", "Accept-Language": "en"}
    analyst = {"Authorization": f"Bearer {tokens['analyst']}"}
    with httpx.Client(base_url=base, headers={"Accept-Language": "en"}) as filer:
        login = filer.post("/auth/login", json={"username": "zj_filer", "password": PASSWORD})
        assert login.status_code == 200
        csrf = {"X-CSRF-Token": login.json()["csrf_token"]}

        filed = filer.post("/reports", json={"reports": [report(FILER, employees=1)]}, headers=csrf)
        assert filed.status_code == 201 and [w["rule"] for w in filed.json()["warnings"]] == [
            "revenue_per_employee"
        ]

        queue = httpx.get(base + "/review/queue", headers=reviewer).json()
        assert [i["uscc"] for i in queue["items"]] == [FILER]
        rid = queue["items"][0]["id"]
        returned = httpx.post(
            f"{base}/reports/{rid}/return", json={"reason": "从业人员有误，请核实"}, headers=reviewer
        )
        assert returned.status_code == 200

        mine = filer.get("/reports", params={"period": "2024-01"}).json()["items"]
        assert (mine[0]["status"], mine[0]["return_reason"]) == ("returned", "从业人员有误，请核实")
        revised = filer.post(
            "/reports", json={"reports": [report(FILER, employees=40, note="已更正")]}, headers=csrf
        )
        assert revised.status_code == 201 and revised.json()["new_revisions"] == 1

    current = httpx.get(base + "/review/queue", headers=reviewer).json()["items"][0]
    assert current["revision"] == 2 and current["id"] != rid
    accepted = httpx.post(f"{base}/reports/{current['id']}/accept", headers=reviewer)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"

    # publishing computes every disclosure pattern before the release is visible: allow it time on a busy machine
    release = httpx.post(base + "/periods/2024-01/publish", json={}, headers=analyst, timeout=120)
    assert release.status_code == 201 and release.json()["respondents"] == 5

    public = httpx.get(
        base + "/aggregates",
        params={"indicator": "revenue_total", "period": "2024-01"},
        headers={"Accept-Language": "en"},
    )
    body = public.json()
    assert public.status_code == 200 and body["protected"] is True and body["confidential"] is False
    assert body["rows"] == [{"period": "2024-01", "measure": "level", "value": 5 * 1000.0, "flag": None}]
