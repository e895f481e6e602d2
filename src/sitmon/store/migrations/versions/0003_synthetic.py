"""synthetic data as a recorded fact: uploads.synthetic and enterprises.synthetic

Whether a release holds synthetic (demo) data used to be guessed at publish time from the enterprise names. It
is now recorded when the registry is imported (the generator's manifest marks its registry file as synthetic)
and kept with each upload and enterprise; publishing reads the flag.

Plain ALTER TABLE ... ADD COLUMN (not a batch migration): on SQLite a batch migration would recreate
``uploads`` and lose its append-only triggers (0002). Existing enterprises are marked once by the rule the
code used before (a name containing "synthetic" or "合成"), so a deployment that imported the demo before this
migration keeps marking its releases synthetic.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("uploads", sa.Column("synthetic", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column(
        "enterprises", sa.Column("synthetic", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    enterprises = sa.table("enterprises", sa.column("name", sa.String), sa.column("synthetic", sa.Boolean))
    op.execute(
        enterprises.update()
        .where(enterprises.c.name.like("%synthetic%") | enterprises.c.name.like("%合成%"))
        .values(synthetic=True)
    )


def downgrade() -> None:
    # in place (ALTER TABLE ... DROP COLUMN), for the same reason as above
    op.drop_column("enterprises", "synthetic")
    op.drop_column("uploads", "synthetic")
