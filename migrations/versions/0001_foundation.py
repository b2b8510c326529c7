"""foundation: org tree, inbound messages, tokens, api calls

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-25 00:52:51.042793
"""
import sqlalchemy as sa
from alembic import op

import app.db
import app.privacy

revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('access_tokens',
    sa.Column('app_key', sa.String(length=128), nullable=False),
    sa.Column('token', sa.String(length=600), nullable=False),
    sa.Column('expires_at', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.Column('lease_holder', sa.String(length=64), nullable=False),
    sa.Column('lease_until', app.db.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('app_key', name=op.f('pk_access_tokens'))
    )
    op.create_table('api_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('app_key', sa.String(length=128), nullable=False),
    sa.Column('api', sa.String(length=64), nullable=False),
    sa.Column('errcode', sa.Integer(), nullable=False),
    sa.Column('http_status', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_calls'))
    )
    with op.batch_alter_table('api_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_calls_api'), ['api'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_calls_app_key'), ['app_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_calls_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_calls_errcode'), ['errcode'], unique=False)

    op.create_table('inbound_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('dedupe_key', sa.String(length=160), nullable=False),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('sender_kind', sa.String(length=16), nullable=False),
    sa.Column('msg_type', sa.String(length=32), nullable=False),
    sa.Column('event', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('content', app.privacy.EncryptedText(), nullable=True),
    sa.Column('reply', app.privacy.EncryptedText(), nullable=True),
    sa.Column('received_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_messages')),
    sa.UniqueConstraint('channel', 'dedupe_key', name=op.f('uq_inbound_messages_channel_dedupe_key'))
    )
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_messages_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_messages_sender'), ['sender'], unique=False)

    op.create_table('nodes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['nodes.id'], name=op.f('fk_nodes_parent_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nodes')),
    sa.UniqueConstraint('code', name=op.f('uq_nodes_code'))
    )
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nodes_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_nodes_parent_id'), ['parent_id'], unique=False)

    op.create_table('rejected_callbacks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('code', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('remote', sa.String(length=64), nullable=False),
    sa.Column('at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_callbacks'))
    )
    with op.batch_alter_table('rejected_callbacks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_callbacks_at'), ['at'], unique=False)

    op.create_table('chat_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address', sa.String(length=256), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_chat_groups_node_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_groups')),
    sa.UniqueConstraint('node_id', 'purpose', name=op.f('uq_chat_groups_node_id_purpose'))
    )
    with op.batch_alter_table('chat_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_groups_node_id'), ['node_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=True),
    sa.Column('wecom_userid', sa.String(length=64), nullable=True),
    sa.Column('node_id', sa.Integer(), nullable=True),
    sa.Column('name', app.privacy.EncryptedText(), nullable=True),
    sa.Column('phone', app.privacy.EncryptedText(), nullable=True),
    sa.Column('bound_via', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_contacts_node_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('openid', name=op.f('uq_contacts_openid')),
    sa.UniqueConstraint('wecom_userid', name=op.f('uq_contacts_wecom_userid'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_node_id'), ['node_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('userid', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.Column('mobile', app.privacy.EncryptedText(), nullable=True),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_staff_node_id_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('userid', name=op.f('uq_staff_userid'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_role'), ['role'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_role'))
        batch_op.drop_index(batch_op.f('ix_staff_node_id'))

    op.drop_table('staff')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_node_id'))
        batch_op.drop_index(batch_op.f('ix_contacts_kind'))

    op.drop_table('contacts')
    with op.batch_alter_table('chat_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_groups_node_id'))

    op.drop_table('chat_groups')
    with op.batch_alter_table('rejected_callbacks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_callbacks_at'))

    op.drop_table('rejected_callbacks')
    with op.batch_alter_table('nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nodes_parent_id'))
        batch_op.drop_index(batch_op.f('ix_nodes_kind'))

    op.drop_table('nodes')
    with op.batch_alter_table('inbound_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_messages_sender'))
        batch_op.drop_index(batch_op.f('ix_inbound_messages_received_at'))

    op.drop_table('inbound_messages')
    with op.batch_alter_table('api_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_calls_errcode'))
        batch_op.drop_index(batch_op.f('ix_api_calls_at'))
        batch_op.drop_index(batch_op.f('ix_api_calls_app_key'))
        batch_op.drop_index(batch_op.f('ix_api_calls_api'))

    op.drop_table('api_calls')
    op.drop_table('access_tokens')
