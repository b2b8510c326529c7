"""matching: profiles and occupation codes of open items, paged queries, subscriptions and pushes

Revision ID: 0011_matching
Revises: 0008_join_ways
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime

revision = "0011_matching"
down_revision = "0008_join_ways"
branch_labels = None
depends_on = None


def _facts() -> list[sa.Column]:
    """The matchable facts (relay/match/models.py MatchFacts), on profiles and on each occupation row."""
    return [
        sa.Column("kind", sa.String(length=16), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=True) for name in ("village_id", "township_id", "age", "age_min",
                                                                     "age_max", "pay_min", "pay_max")],
        sa.Column("pay_unit", sa.String(length=8), nullable=False),
        sa.Column("gender", sa.String(length=4), nullable=False),
        sa.Column("gender_req", sa.String(length=4), nullable=False),
        sa.Column("certs", sa.String(length=200), nullable=False),
        sa.Column("experience_years", sa.Integer(), nullable=True),
        sa.Column("daily_pay", sa.Boolean(), nullable=False),
        sa.Column("cert_required", sa.Boolean(), nullable=False),
        sa.Column("township_limit", sa.Integer(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "match_profiles",
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), primary_key=True),
        *_facts(),
    )
    op.create_index("ix_match_profiles_lookup", "match_profiles", ["kind", "created_at"])
    op.create_table(
        "match_occupations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        *_facts(),
        sa.UniqueConstraint("item_id", "code"),
    )
    op.create_index("ix_match_occupations_item_id", "match_occupations", ["item_id"])
    op.create_index("ix_match_occupations_lookup", "match_occupations", ["kind", "code", "created_at"])
    op.create_index("ix_match_occupations_near", "match_occupations", ["kind", "code", "township_id", "created_at"])
    op.create_table(
        "match_queries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("channel", "sender"),
    )
    op.create_table(
        "match_subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("node_id", sa.Integer(), sa.ForeignKey("nodes.id"), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("stopped_at", UtcDateTime(), nullable=True),
        sa.UniqueConstraint("openid", "code"),
    )
    op.create_index("ix_match_subscriptions_openid", "match_subscriptions", ["openid"])
    op.create_index("ix_match_subscriptions_code", "match_subscriptions", ["code"])
    op.create_table(
        "match_pushes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subscription_id", sa.Integer(), sa.ForeignKey("match_subscriptions.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("openid", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("send_at", UtcDateTime(), nullable=True),
        sa.Column("local_day", sa.String(length=10), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.UniqueConstraint("openid", "item_id"),
    )
    op.create_index("ix_match_pushes_subscription_id", "match_pushes", ["subscription_id"])
    op.create_index("ix_match_pushes_openid", "match_pushes", ["openid"])


def downgrade() -> None:
    for table in ("match_pushes", "match_subscriptions", "match_queries", "match_occupations", "match_profiles"):
        op.drop_table(table)
