"""group kinds (internal / customer / manual), group tasks a person confirms, forwarded notes' resident

Revision ID: 0007_group_kinds
Revises: 0006_item_title
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from app.db import UtcDateTime

revision = "0007_group_kinds"
down_revision = "0006_item_title"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chat_groups") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="internal"))
        batch_op.add_column(sa.Column("owner_userid", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("internal_pilot", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Groups stored before kinds existed: a customer_group channel was a customer group all along.
    op.execute("UPDATE chat_groups SET kind = 'customer' WHERE channel = 'customer_group'")
    op.create_table(
        "group_tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("chat_groups.id"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("msgid", sa.String(length=128), nullable=False),
        sa.Column("card_task_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("next_check_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("reminded_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_errcode", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.UniqueConstraint("card_task_id", name=op.f("uq_group_tasks_card_task_id")),
    )
    op.create_index("ix_group_tasks_group_id", "group_tasks", ["group_id"])
    op.create_index("ix_group_tasks_status", "group_tasks", ["status"])
    op.create_index("ix_group_tasks_day", "group_tasks", ["day"])
    op.create_index("ix_group_tasks_next_check_at", "group_tasks", ["next_check_at"])
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.add_column(sa.Column("group_task_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_deliveries_group_task_id_group_tasks", "group_tasks", ["group_task_id"], ["id"])
        batch_op.create_index("ix_deliveries_group_task_id", ["group_task_id"])
    with op.batch_alter_table("items") as batch_op:
        batch_op.add_column(sa.Column("resident_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_items_resident_id_contacts", "contacts", ["resident_id"], ["id"])
        batch_op.create_index("ix_items_resident_id", ["resident_id"])


def downgrade() -> None:
    with op.batch_alter_table("items") as batch_op:
        batch_op.drop_index("ix_items_resident_id")
        batch_op.drop_constraint("fk_items_resident_id_contacts", type_="foreignkey")
        batch_op.drop_column("resident_id")
    with op.batch_alter_table("deliveries") as batch_op:
        batch_op.drop_index("ix_deliveries_group_task_id")
        batch_op.drop_constraint("fk_deliveries_group_task_id_group_tasks", type_="foreignkey")
        batch_op.drop_column("group_task_id")
    op.drop_table("group_tasks")
    with op.batch_alter_table("chat_groups") as batch_op:
        batch_op.drop_column("internal_pilot")
        batch_op.drop_column("owner_userid")
        batch_op.drop_column("kind")
