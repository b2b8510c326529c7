"""vetting cards keep WeCom's response_code, so every officer's card can show a decision

Revision ID: 0010_correctness_b
Revises: 0006_item_title
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_correctness_b"
down_revision = "0009_correctness_a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vetting_cards") as batch_op:
        batch_op.add_column(sa.Column("response_code", sa.String(length=200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("vetting_cards") as batch_op:
        batch_op.drop_column("response_code")
