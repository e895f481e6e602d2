"""The HTTP edge under attack: streamed bodies capped before authentication, simultaneous password guesses
checked one at a time and in bounded number, X-Forwarded-For believed only from trusted proxies, delays that
slow a guesser without locking the user out, audit records sanitised and covering refusals and confidential
reads, weak passwords refused."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.requests import Request

from sitmon.config import Settings
from sitmon.disseminate.api.edge import client_address
from sitmon.security import InvalidCredentials, InvalidInput, RateLimited
from sitmon.security.sessions import login
from sitmon.security.users import add_user
from sitmon.store.db import Database
from sitmon.store.models import AuditEvent, LoginAttempt

from .conftest import FAST, PASSWORD, fast_settings

SECRET = "s" * 32


def _events(db, action):
    with db.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.mark.slow
def test_simultaneous_wrong_passwords_are_checked_one_at_a_time(sqlite_db):
    settings = fast_settings(sqlite_db.settings)
    sqlite_db.settings = settings
    add_user(sqlite_db, settings, "ana", PASSWORD, "analyst")
    from argon2 import PasswordHasher

    active, peak, lock = [0], [0], threading.Lock()
    real = PasswordHasher.verify

    def counting(self, h, p):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.02)
            return real(self, h, p)
        finally:
            with lock:
                active[0] -= 1

    PasswordHasher.verify = counting
    outcomes: list[str] = []
    try:

        def guess(i):
            try:
                login(sqlite_db, settings, SECRET, "ana", f"wrong {i}", "10.0.0.9")
            except InvalidCredentials:
                outcomes.append("checked")
            except RateLimited:
                outcomes.append("refused")

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(25)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        PasswordHasher.verify = real
    # the free failures, then only the guesses that waited out the growing delay (1 s, 2 s …) — never all 25
    checked = outcomes.count("checked")
    assert settings.login_max_failures <= checked <= settings.login_max_failures + 3
    assert outcomes.count("refused") == 25 - checked
    assert peak[0] <= settings.password_checks
    with sqlite_db.session() as s:
        assert len(list(s.scalars(select(LoginAttempt)))) == checked


def test_password_checks_are_bounded_across_users(sqlite_db):
    settings = fast_settings(sqlite_db.settings, password_checks=2)
    from argon2 import PasswordHasher

    active, peak, lock = [0], [0], threading.Lock()
    real = PasswordHasher.verify

    def counting(self, h, p):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.05)
            return real(self, h, p)
        finally:
            with lock:
                active[0] -= 1

    PasswordHasher.verify = counting
    try:
        threads = [
            threading.Thread(
                target=lambda i=i: pytest.raises(
                    (InvalidCredentials, RateLimited),
                    login,
                    sqlite_db,
                    settings,
                    SECRET,
                    f"user{i}",
                    "x" * 12,
                    f"10.0.1.{i}",
                )
            )
            for i in range(30)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        PasswordHasher.verify = real
    assert 1 <= peak[0] <= 2


def test_failures_from_one_client_do_not_lock_the_user_out(sqlite_db):
    settings = fast_settings(sqlite_db.settings)
    add_user(sqlite_db, settings, "bo", PASSWORD, "analyst")
    refused = 0
    for i in range(20):  # an attacker hammering from one address
        try:
            login(sqlite_db, settings, SECRET, "bo", f"guess {i}", "203.0.113.7")
        except InvalidCredentials:
            pass
        except RateLimited as exc:
            refused += 1
            assert exc.detail["limit"] in ("user", "ip")
    assert refused >= 15
    with pytest.raises(RateLimited) as slow:  # the attacker's own client now waits long
        login(sqlite_db, settings, SECRET, "bo", PASSWORD, "203.0.113.7")
    assert slow.value.detail["retry_after"] >= 1
    # the real user, elsewhere, gets in at once: only 5 of the guesses were checked (the rest were refused)
    assert login(sqlite_db, settings, SECRET, "bo", PASSWORD, "198.51.100.2").principal.username == "bo"


def test_many_clients_guessing_one_user_cost_the_user_seconds_not_minutes(sqlite_db):
    settings = fast_settings(sqlite_db.settings)
    add_user(sqlite_db, settings, "cy", PASSWORD, "analyst")
    for i in range(12):  # a botnet: one guess from each of many addresses
        with pytest.raises((InvalidCredentials, RateLimited)):
            login(sqlite_db, settings, SECRET, "cy", f"guess {i}", f"192.0.2.{i}")
    try:
        login(sqlite_db, settings, SECRET, "cy", PASSWORD, "198.51.100.3")
    except RateLimited as exc:
        assert exc.detail["limit"] == "user_all"
        assert exc.detail["retry_after"] <= settings.login_user_max_delay_seconds


def _request(peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": "/",
            "headers": headers,
            "client": (peer, 5000),
            "query_string": b"",
        }
    )


def test_x_forwarded_for_is_believed_only_from_trusted_proxies():
    plain = Settings(home=Path("/nonexistent"))
    proxied = Settings(home=Path("/nonexistent"), trusted_proxies=["10.0.0.0/8"])
    assert client_address(_request("203.0.113.9", "1.2.3.4"), plain) == "203.0.113.9"
    assert client_address(_request("203.0.113.9", "1.2.3.4"), proxied) == "203.0.113.9"  # not a proxy
    assert client_address(_request("10.0.0.5", "1.2.3.4"), proxied) == "1.2.3.4"
    # a client forging the header behind the proxy: the right-most untrusted address is the one the proxy saw
    assert client_address(_request("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.7"), proxied) == "1.2.3.4"
    assert client_address(_request("10.0.0.5", "not-an-ip"), proxied) == "10.0.0.5"


def test_x_forwarded_for_does_not_split_the_login_limit(api):
    wrong = {"username": "filer_a", "password": "wrong password!"}
    for i in range(api.settings.login_max_failures):
        api.client.post("/api/v1/auth/login", json=wrong, headers={"X-Forwarded-For": f"1.1.1.{i}"})
    res = api.client.post("/api/v1/auth/login", json=wrong, headers={"X-Forwarded-For": "9.9.9.9"})
    assert res.status_code == 429
    with api.db.session() as s:
        assert set(s.scalars(select(LoginAttempt.ip))) == {"testclient"}


def test_audit_records_are_sanitised(sqlite_db):
    settings = fast_settings(sqlite_db.settings)
    evil = "x\x1b[2J\nFAKE login.succeeded admin\u202e"
    with pytest.raises(InvalidCredentials):
        login(sqlite_db, settings, SECRET, evil, "whatever pw", "10.0.0.1\r\n")
    (event,) = _events(sqlite_db, "login.failed")
    for text in (event.actor, event.object_id, event.detail["ip"]):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in text)
    assert "\\x1b" in event.actor and "\\x0a" in event.actor


def test_refusals_are_audited(api):
    assert api.client.get("/api/v1/reports").status_code == 401
    assert (
        api.client.get("/api/v1/reports", headers={"Authorization": "Bearer sitmon_forged"}).status_code
        == 401
    )
    assert api.client.get("/api/v1/users", headers=api.auth("filer_a")).status_code == 403
    api.client.post("/api/v1/auth/login", json={"username": "analyst", "password": PASSWORD})
    csrf = api.client.post("/api/v1/auth/logout")  # a cookie session without its CSRF token
    assert csrf.status_code == 403
    refused = _events(api.db, "access.refused")
    assert [e.object_id for e in refused] == [
        "not_authenticated",
        "invalid_token",
        "forbidden",
        "csrf_failed",
    ]
    assert refused[2].actor == "filer_a" and refused[3].actor == "analyst"
    assert all(e.detail["path"].startswith("/api/v1/") and e.detail["ip"] for e in refused)


def test_confidential_reads_are_audited(api):
    res = api.client.get(
        "/api/v1/microdata/ranking",
        params={"indicator": "revenue_total", "period": "2024-01"},
        headers=api.auth("analyst"),
    )
    reads = _events(api.db, "data.read_confidential")
    assert res.status_code in (200, 422) and len(reads) == 1
    assert reads[0].actor == "analyst" and reads[0].object_id == "ranking"
    assert reads[0].detail["indicator"] == "revenue_total"


@pytest.mark.parametrize(
    "weak", ["password12", "Password123!", "qwertyuiop", "1qaz2wsx3edc", "woaini1314", "sitmon2024!"]
)
def test_weak_passwords_are_refused(sqlite_db, weak):
    settings = fast_settings(sqlite_db.settings)
    with pytest.raises(InvalidInput, match="too easy to guess"):
        add_user(sqlite_db, settings, "dee", weak, "analyst")


def test_a_username_is_no_password(sqlite_db):
    settings = fast_settings(sqlite_db.settings)
    with pytest.raises(InvalidInput):
        add_user(sqlite_db, settings, "zhangsan_reviewer", "zhangsan_reviewer1", "analyst")
    add_user(sqlite_db, settings, "dee", "plum kettle orbit 19", "analyst")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.integration
def test_a_chunked_body_is_capped_before_authentication(tmp_path):
    settings = Settings(home=tmp_path / "home", **FAST)
    db = Database(settings)
    db.upgrade()
    db.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "SITMON_HOME": str(settings.home),
        **{f"SITMON_{k.upper()}": str(v) for k, v in FAST.items()},
    }
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "sitmon"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(
            b"POST /api/v1/reports/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        head = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n'
        sock.sendall(b"%x\r\n" % len(head) + head + b"\r\n")
        chunk = b"%x\r\n" % 65536 + b"a" * 65536 + b"\r\n"
        sent, answer = 0, b""
        sock.settimeout(0.05)
        while sent < 150 * 1024 * 1024:
            try:
                sock.sendall(chunk)
                sent += 65536
            except OSError:
                break
            try:
                answer += sock.recv(4096)
                if answer:
                    break
            except (TimeoutError, BlockingIOError):
                continue
        sock.settimeout(5)
        with contextlib.suppress(OSError):
            answer += sock.recv(4096)
        sock.close()
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert b"payload_too_large" in answer
        assert (
            sent < 8 * 1024 * 1024
        )  # refused after 64 KiB: far from the 150 MB an anonymous client sent before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
