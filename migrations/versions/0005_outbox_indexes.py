"""index for the dispatcher's claim of due deliveries

Revision ID: 0005_outbox_indexes
Revises: 0004_vetting
Create Date: 2026-11-25
"""

from alembic import op

revision = "0005_outbox_indexes"
down_revision = "0004_vetting"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The dispatcher polls "queued rows due now" many times a second; without this it scans the
    # whole outbox, which grows by one row per group per job.
    op.create_index("ix_deliveries_status_next_attempt_at", "deliveries", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_status_next_attempt_at", table_name="deliveries")
