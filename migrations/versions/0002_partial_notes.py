"""partial notes

Revision ID: 0002_partial_notes
Revises: 0001_foundation
Create Date: 2026-11-25 00:59:03.161542
"""
import sqlalchemy as sa
from alembic import op

import app.db
import app.privacy

revision = '0002_partial_notes'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partial_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('sender', sa.String(length=64), nullable=False),
    sa.Column('state', app.privacy.EncryptedText(), nullable=False),
    sa.Column('updated_at', app.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partial_notes')),
    sa.UniqueConstraint('channel', 'sender', name=op.f('uq_partial_notes_channel_sender'))
    )


def downgrade() -> None:
    op.drop_table('partial_notes')
