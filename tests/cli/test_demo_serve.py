"""``scripts/demo.sh`` / ``sitmon demo --serve``: the demo ends with the pages served on 127.0.0.1, printing the
URL and one demo user per role (marked DEMO); a second run reuses the data; without serving (tests, CI) it
returns by itself."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SITMON = str(Path(sys.executable).parent / "sitmon")
SMALL = ["--enterprises", "40", "--start", "2024", "--end", "2024"]
FAST = {"SITMON_ARGON2_TIME_COST": "1", "SITMON_ARGON2_MEMORY_KIB": "64", "SITMON_ARGON2_PARALLELISM": "1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_and_stop(home: Path, log: Path) -> tuple[str, str]:
    """Run the demo with --serve on a free port until its pages answer (bounded); stop it; (output, page)."""
    port = _free_port()
    env = {**os.environ, "SITMON_HOME": str(home), "COLUMNS": "200", **FAST}
    env.pop("SITMON_DEMO_SERVE", None)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [SITMON, "demo", *SMALL, "--serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        page = ""
        try:
            deadline = time.monotonic() + 900
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    res = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
                    if res.status_code == 200:
                        page = res.text
                        break
                except httpx.TransportError:
                    time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    return log.read_text(encoding="utf-8"), page


def test_the_demo_ends_serving_the_pages_with_demo_users_and_a_second_run_reuses_the_data(tmp_path):
    home = tmp_path / "home"
    first, page = _serve_and_stop(home, tmp_path / "first.log")
    assert "软件和信息技术服务业运行概览" in page and 'id="synthetic-banner"' in page, first
    assert "http://127.0.0.1:" in first and "仅供演示" in first
    users = json.loads((home / "demo-users.json").read_text(encoding="utf-8"))
    assert [u["role"] for u in users] == ["admin", "analyst", "reviewer", "filer"]
    assert oct((home / "demo-users.json").stat().st_mode & 0o777) == "0o600"
    for u in users:
        assert u["username"] in first and u["password"] in first
    releases = sorted(p.name for p in (home / "warehouse" / "monthly").rglob("release=*"))

    second, page = _serve_and_stop(home, tmp_path / "second.log")
    assert "沿用" in second and "软件和信息技术服务业运行概览" in page
    assert json.loads((home / "demo-users.json").read_text(encoding="utf-8")) == users  # the same accounts
    assert sorted(p.name for p in (home / "warehouse" / "monthly").rglob("release=*")) == releases
    port = re.search(r"http://127\.0\.0\.1:(\d+)/", second)
    assert port


def test_the_demo_script_does_not_serve_when_told_not_to(tmp_path):
    env = {**os.environ, "SITMON_HOME": str(tmp_path / "home"), "SITMON_DEMO_SERVE": "0", **FAST}
    done = subprocess.run(
        [str(ROOT / "scripts" / "demo.sh"), *SMALL], env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "http://127.0.0.1:8000/" not in done.stdout and (tmp_path / "home" / "warehouse").exists()
