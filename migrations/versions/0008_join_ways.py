"""scan to join: village join QR cache, owed join QRs, customer-group membership and re-reads

Revision ID: 0008_join_ways
Revises: 0006_item_title
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime

revision = "0008_join_ways"
down_revision = "0007_group_kinds"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "village_join_ways",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("node_id", sa.Integer(), sa.ForeignKey("nodes.id"), nullable=False, unique=True),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("config_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("qr_code", sa.String(length=512), nullable=False),
        sa.Column("media_id", sa.String(length=128), nullable=True),
        sa.Column("media_uploaded_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    )
    op.create_index("ix_village_join_ways_state", "village_join_ways", ["state"])
    op.create_table(
        "join_invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("node_id", sa.Integer(), sa.ForeignKey("nodes.id"), nullable=False),
        sa.Column("event", sa.String(length=16), nullable=False),
        sa.Column("scanned_at", UtcDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
    )
    for column in ("openid", "node_id", "status"):
        op.create_index(f"ix_join_invitations_{column}", "join_invitations", [column])
    op.create_table(
        "customer_group_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("userid", sa.String(length=64), nullable=False),
        sa.Column("member_type", sa.Integer(), nullable=False),
        sa.Column("join_time", UtcDateTime(), nullable=True),
        sa.Column("join_scene", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=30), nullable=False),
        sa.Column("invitor", sa.String(length=64), nullable=False),
        sa.Column("left_at", UtcDateTime(), nullable=True),
        sa.Column("synced_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("chat_id", "userid"),
    )
    op.create_index("ix_customer_group_members_chat_id", "customer_group_members", ["chat_id"])
    op.create_index("ix_customer_group_members_state", "customer_group_members", ["state"])
    op.create_table(
        "customer_group_syncs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat_id", sa.String(length=64), nullable=False, unique=True),
        sa.Column("requested_at", UtcDateTime(), nullable=False),
        sa.Column("synced_at", UtcDateTime(), nullable=True),
        sa.Column("member_version", sa.String(length=64), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("customer_group_syncs")
    op.drop_index("ix_customer_group_members_state", "customer_group_members")
    op.drop_index("ix_customer_group_members_chat_id", "customer_group_members")
    op.drop_table("customer_group_members")
    for column in ("openid", "node_id", "status"):
        op.drop_index(f"ix_join_invitations_{column}", "join_invitations")
    op.drop_table("join_invitations")
    op.drop_index("ix_village_join_ways_state", "village_join_ways")
    op.drop_table("village_join_ways")
