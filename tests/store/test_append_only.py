"""Reports, review events, uploads, releases, registry versions and audit events cannot be changed or deleted:
the database itself refuses it (triggers of migration 0002), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from sitmon.store import audit

TABLES = ["audit_events", "reports", "review_events", "uploads", "releases", "enterprise_versions"]


def test_audit_events_cannot_be_updated_or_deleted(db):
    with db.session() as s:
        audit.record(s, "cli", "report.filed", "upload", 1, rows=3)
    for sql in ("UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), db.engine.begin() as conn:
            conn.execute(sa.text(sql))
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT actor FROM audit_events")).scalars().all() == ["cli"]


@pytest.mark.parametrize("table", TABLES)
def test_every_append_only_table_refuses_changes(db, table):
    for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with db.engine.begin() as conn:  # on an empty table no row fires the trigger: the statement is fine
            conn.execute(sa.text(sql))
    with db.engine.connect() as conn:
        names = {
            r[0]
            for r in conn.execute(
                sa.text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                    if db.url.startswith("sqlite")
                    else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
                )
            )
        }
    assert {n for n in names if n.startswith(table)} == (
        {f"{table}_no_update", f"{table}_no_delete"}
        if db.url.startswith("sqlite")
        else {f"{table}_append_only", f"{table}_no_truncate"}
    )
