"""correctness (issue 11, part a): rejected callbacks counted per hour; staff who left

Revision ID: 0009_correctness_a
Revises: 0006_item_title
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import app.db

revision = "0009_correctness_a"
down_revision = "0008_join_ways"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rejected_callback_counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("code", sa.Integer(), nullable=False),
        sa.Column("hour", app.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_callback_counts")),
        sa.UniqueConstraint("channel", "code", "hour", name=op.f("uq_rejected_callback_counts_channel_code_hour")),
    )
    op.create_index(op.f("ix_rejected_callback_counts_hour"), "rejected_callback_counts", ["hour"])
    with op.batch_alter_table("staff") as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("left_at", app.db.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("left_at")
        batch_op.drop_column("active")
    op.drop_index(op.f("ix_rejected_callback_counts_hour"), table_name="rejected_callback_counts")
    op.drop_table("rejected_callback_counts")
