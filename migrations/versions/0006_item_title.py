"""items keep a job's occupation in plain text, for matching queries

Revision ID: 0006_item_title
Revises: 0005_inbound_error
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_item_title"
down_revision = "0005_inbound_error"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("items") as batch_op:
        batch_op.add_column(sa.Column("title", sa.String(length=50), nullable=True))
        batch_op.create_index("ix_items_title", ["title"])


def downgrade() -> None:
    with op.batch_alter_table("items") as batch_op:
        batch_op.drop_index("ix_items_title")
        batch_op.drop_column("title")
