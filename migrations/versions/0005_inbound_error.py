"""inbound messages keep why handling failed

Revision ID: 0005_inbound_error
Revises: 0004_vetting
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_inbound_error"
down_revision = "0004_vetting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch_op:
        batch_op.add_column(sa.Column("error", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages") as batch_op:
        batch_op.drop_column("error")
