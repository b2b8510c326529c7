"""relay items hops deliveries

Revision ID: 0003_relay
Revises: 0002_partial_notes
Create Date: 2026-11-25 01:00:36.395515
"""
import sqlalchemy as sa
from alembic import op

import app.db
import app.privacy

revision = '0003_relay'
down_revision = '0002_partial_notes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('origin_node_id', sa.Integer(), nullable=False),
    sa.Column('author_ref', sa.String(length=64), nullable=False),
    sa.Column('author_kind', sa.String(length=16), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('masked_text', sa.Text(), nullable=False),
    sa.Column('fields_json', app.privacy.EncryptedText(), nullable=True),
    sa.Column('raw_text', app.privacy.EncryptedText(), nullable=True),
    sa.Column('target_township_ids', sa.JSON(), nullable=True),
    sa.Column('hold_reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['origin_node_id'], ['nodes.id'], name=op.f('fk_items_origin_node_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_origin_node_id'), ['origin_node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_status'), ['status'], unique=False)

    op.create_table('hops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_node_id', sa.Integer(), nullable=True),
    sa.Column('to_node_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('arrived_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('due_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('escalated_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=64), nullable=False),
    sa.Column('decision_note', sa.String(length=500), nullable=False),
    sa.Column('card_task_id', sa.String(length=128), nullable=True),
    sa.Column('card_response_code', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['from_node_id'], ['nodes.id'], name=op.f('fk_hops_from_node_id_nodes')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_hops_item_id_items')),
    sa.ForeignKeyConstraint(['to_node_id'], ['nodes.id'], name=op.f('fk_hops_to_node_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hops')),
    sa.UniqueConstraint('card_task_id', name=op.f('uq_hops_card_task_id')),
    sa.UniqueConstraint('item_id', 'to_node_id', name=op.f('uq_hops_item_id_to_node_id'))
    )
    with op.batch_alter_table('hops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hops_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_hops_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hops_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_hops_to_node_id'), ['to_node_id'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('hop_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=256), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('not_before', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_errcode', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('claimed_until', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('msgid', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['chat_groups.id'], name=op.f('fk_deliveries_group_id_chat_groups')),
    sa.ForeignKeyConstraint(['hop_id'], ['hops.id'], name=op.f('fk_deliveries_hop_id_hops')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_deliveries_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_deliveries_dedupe_key'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_hop_id'), ['hop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_target'), ['target'], unique=False)

    op.create_table('delivery_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('errcode', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=300), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_attempts_delivery_id_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_attempts'))
    )
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempts_delivery_id'), ['delivery_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('delivery_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_attempts_delivery_id'))

    op.drop_table('delivery_attempts')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_target'))
        batch_op.drop_index(batch_op.f('ix_deliveries_sent_at'))
        batch_op.drop_index(batch_op.f('ix_deliveries_item_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_hop_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_group_id'))

    op.drop_table('deliveries')
    with op.batch_alter_table('hops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hops_to_node_id'))
        batch_op.drop_index(batch_op.f('ix_hops_status'))
        batch_op.drop_index(batch_op.f('ix_hops_item_id'))
        batch_op.drop_index(batch_op.f('ix_hops_due_at'))

    op.drop_table('hops')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_status'))
        batch_op.drop_index(batch_op.f('ix_items_origin_node_id'))
        batch_op.drop_index(batch_op.f('ix_items_kind'))
        batch_op.drop_index(batch_op.f('ix_items_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_items_created_at'))

    op.drop_table('items')
