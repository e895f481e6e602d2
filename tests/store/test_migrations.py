"""Migrations that change data: 0003 records, once, which existing enterprises are synthetic (by the rule the
code used before it); uploads keep their append-only triggers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from sitmon.store.db import Database


def test_0003_marks_the_demo_enterprises_imported_before_it(settings):
    db = Database(settings)
    settings.home.mkdir(parents=True, exist_ok=True)
    command.upgrade(db.alembic_config(), "0002")
    with db.engine.begin() as conn:
        for i, name in enumerate(
            ["合成企业000001（synthetic）", "某合成数据企业", "杭州某软件公司"], start=1
        ):
            conn.execute(
                sa.text(
                    "INSERT INTO enterprises (id, uscc, name, region_code, province_code, sector, "
                    "created_at) VALUES (:i, :u, :n, '330100', '330000', 'it_services', "
                    "CURRENT_TIMESTAMP)"
                ),
                {"i": i, "u": f"U{i:017d}", "n": name},
            )
        conn.execute(
            sa.text(
                "INSERT INTO uploads (kind, filename, sha256, size_bytes, archive_path, rows, "
                "received_at, actor) VALUES ('enterprises', 'e.csv', 'x', 1, 'a', 3, CURRENT_TIMESTAMP, "
                "'cli')"
            )
        )
    assert db.upgrade() >= "0003"
    with db.engine.connect() as conn:
        flags = dict(conn.execute(sa.text("SELECT name, synthetic FROM enterprises")).tuples().all())
        assert {k: bool(v) for k, v in flags.items()} == {
            "合成企业000001（synthetic）": True,
            "某合成数据企业": True,
            "杭州某软件公司": False,
        }
        assert not conn.execute(sa.text("SELECT synthetic FROM uploads")).scalar()
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:  # still append-only after the migration
        conn.execute(sa.text("UPDATE uploads SET synthetic = TRUE"))
    db.dispose()


def test_0004_keeps_every_existing_enterprise_in_both_populations(settings):
    """Before 0004 every registered enterprise was expected to file both forms; after it, too (until a registry
    file says otherwise), and enterprise versions stay append-only."""
    db = Database(settings)
    settings.home.mkdir(parents=True, exist_ok=True)
    command.upgrade(db.alembic_config(), "0003")
    with db.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO enterprises (id, uscc, name, region_code, province_code, sector, "
                "created_at) VALUES (1, 'U1', '杭州某软件公司', '330100', '330000', 'it_services', "
                "CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO enterprise_versions (enterprise_id, version, name, region_code, sector, "
                "recorded_at) VALUES (1, 1, '杭州某软件公司', '330100', 'it_services', CURRENT_TIMESTAMP)"
            )
        )
    assert db.upgrade() >= "0004"
    with db.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT above_scale, monthly_panel, contact, phone FROM enterprises")
        ).one()
        assert (bool(row[0]), bool(row[1]), row[2], row[3]) == (True, True, None, None)
        assert bool(conn.execute(sa.text("SELECT monthly_panel FROM enterprise_versions")).scalar())
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE enterprise_versions SET monthly_panel = FALSE"))
    db.dispose()
