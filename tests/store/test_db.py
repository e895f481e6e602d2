from sqlalchemy import inspect

from sitmon.store.db import Database


def test_upgrade_creates_schema_and_is_idempotent(settings):
    db = Database(settings)
    assert db.current_revision() is None
    first = db.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {"enterprises", "reports", "uploads", "review_events", "audit_events", "releases"} <= tables
    assert db.upgrade() == first
    assert db.current_revision() == first
    db.dispose()
