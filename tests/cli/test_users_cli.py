"""``sitmon users``, ``sitmon tokens`` and ``sitmon audit`` in-process."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sitmon.cli import app
from sitmon.domain.uscc import make_uscc
from sitmon.security.tokens import principal_for_token
from sitmon.store.db import Database

FAST_ENV = {
    "SITMON_ARGON2_TIME_COST": "1",
    "SITMON_ARGON2_MEMORY_KIB": "64",
    "SITMON_ARGON2_PARALLELISM": "1",
}


def _run(settings, *args, input=None, lang="en"):
    return CliRunner(env=FAST_ENV).invoke(
        app,
        [
            "--home",
            str(settings.home),
            "--database-url",
            settings.resolved_database_url,
            "--lang",
            lang,
            *args,
        ],
        input=input,
    )


def test_users_tokens_and_audit(sqlite_settings):
    s = sqlite_settings
    uscc = make_uscc("330106", 5)
    res = _run(
        s,
        "users",
        "add",
        "zj_filer",
        "--role",
        "filer",
        "--scope",
        uscc,
        "--name",
        "杭州某企业",
        input="a good passphrase\na good passphrase\n",
    )
    assert res.exit_code == 0, res.output
    assert f"scope {uscc}" in res.output and "a good passphrase" not in res.output
    bad = _run(
        s, "users", "add", "x1", "--role", "reviewer", "--scope", "330100", input="a good passphrase\n" * 2
    )
    assert bad.exit_code == 2 and "province code" in bad.output
    dup = _run(s, "users", "add", "zj_filer", "--role", "analyst", input="a good passphrase\n" * 2)
    assert dup.exit_code == 2 and "exists" in dup.output

    listed = json.loads(_run(s, "users", "list", "--format", "json").stdout)
    assert [(u["username"], u["role"], u["scope"], u["disabled"]) for u in listed] == [
        ("zj_filer", "filer", uscc, False)
    ]

    created = _run(s, "tokens", "create", "zj_filer", "--name", "erp")
    assert created.exit_code == 0
    token = created.stdout.strip().splitlines()[-1]
    db = Database(s)
    assert principal_for_token(db, token).username == "zj_filer"
    tokens = json.loads(_run(s, "tokens", "list", "--format", "json").stdout)
    assert len(tokens) == 1 and token not in json.dumps(tokens)
    assert _run(s, "tokens", "revoke", str(tokens[0]["id"])).exit_code == 0
    assert _run(s, "tokens", "revoke", "999").exit_code == 2

    assert _run(s, "users", "disable", "zj_filer").exit_code == 0
    assert json.loads(_run(s, "users", "list", "--format", "json").stdout)[0]["disabled"] is True
    assert _run(s, "users", "enable", "zj_filer").exit_code == 0
    res = _run(s, "users", "reset-password", "zj_filer", input="another passphrase\nanother passphrase\n")
    assert (
        res.exit_code == 0
        and _run(s, "users", "reset-password", "nobody", input="x" * 12 + "\n" + "x" * 12 + "\n").exit_code
        == 2
    )

    events = json.loads(_run(s, "audit", "--format", "json").stdout)
    assert [e["action"] for e in events] == [
        "user.changed",
        "token.created",
        "token.revoked",
        "user.changed",
        "user.changed",
        "user.changed",
    ]
    assert [e["detail"].get("change") for e in events if e["action"] == "user.changed"] == [
        "created",
        "disabled",
        "enabled",
        "password_reset",
    ]
    assert json.loads(_run(s, "audit", "--actor", "nobody", "--format", "json").stdout) == []
    assert json.loads(_run(s, "audit", "--since", "2999-01-01", "--format", "json").stdout) == []
    csv_out = _run(s, "audit", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "id,at,actor,action,object,detail" and len(csv_out) == 7
    assert _run(s, "audit", "--since", "yesterday").exit_code == 2
    db.dispose()


def test_serve_help_names_host_and_port(sqlite_settings):
    res = _run(sqlite_settings, "serve", "--help")
    assert res.exit_code == 0 and "--host" in res.output and "--port" in res.output
