"""process heartbeats: dispatchers and schedulers say they are alive (for /readyz and doctor)

Revision ID: 0013_heartbeats
Revises: 0008_join_ways
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime

revision = "0013_heartbeats"
down_revision = "0010_correctness_b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "process_heartbeats",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("worker", sa.String(length=64), nullable=False),
        sa.Column("leader", sa.Boolean(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("beat_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("worker", name=op.f("uq_process_heartbeats_worker")),
    )
    op.create_index(op.f("ix_process_heartbeats_role"), "process_heartbeats", ["role"])
    op.create_index(op.f("ix_process_heartbeats_beat_at"), "process_heartbeats", ["beat_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_process_heartbeats_beat_at"), table_name="process_heartbeats")
    op.drop_index(op.f("ix_process_heartbeats_role"), table_name="process_heartbeats")
    op.drop_table("process_heartbeats")
