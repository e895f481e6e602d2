"""registry scope: above designated size (规模以上), the monthly key-enterprise panel (月报重点企业), contacts

The annual survey covers every enterprise above designated size; the monthly form only the key enterprises of
the monthly panel, and the published monthly figures cover those. Both flags are recorded per enterprise (and in
its version history) so that expected filers, response rates and releases follow the right population; contact
person and telephone serve the late-filer list (催报).

Existing enterprises get both flags true: every registered enterprise was expected to file both forms before
this migration, and still is until a registry file says otherwise. Plain ALTER TABLE ... ADD COLUMN (not a batch
migration), so SQLite keeps the append-only triggers of enterprise_versions (0002).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("enterprises", "enterprise_versions")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("above_scale", sa.Boolean(), server_default=sa.true(), nullable=False))
        op.add_column(
            table, sa.Column("monthly_panel", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        op.add_column(table, sa.Column("contact", sa.String(length=64), nullable=True))
        op.add_column(table, sa.Column("phone", sa.String(length=32), nullable=True))


def downgrade() -> None:
    for table in reversed(_TABLES):
        for column in ("phone", "contact", "monthly_panel", "above_scale"):
            op.drop_column(table, column)
