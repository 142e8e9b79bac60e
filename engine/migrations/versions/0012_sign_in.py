"""sign-in attempts for the throttle, server-side browser sessions

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TIME = engine.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('sign_in_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('account', sa.String(length=80), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', TIME, nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_attempts'))
    )
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_attempts_at', ['at'], unique=False)
        batch_op.create_index('ix_sign_in_attempts_kind_account_at', ['kind', 'account', 'at'],
                              unique=False)
        batch_op.create_index('ix_sign_in_attempts_kind_address_at', ['kind', 'address', 'at'],
                              unique=False)

    op.create_table('browser_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('last_seen_at', TIME, nullable=False),
    sa.Column('ended_at', TIME, nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_browser_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_browser_sessions'))
    )
    with op.batch_alter_table('browser_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_browser_sessions_user_id', ['user_id'], unique=False)
        batch_op.create_index('ix_browser_sessions_last_seen_at', ['last_seen_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('browser_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_browser_sessions_last_seen_at')
        batch_op.drop_index('ix_browser_sessions_user_id')
    op.drop_table('browser_sessions')
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_in_attempts_kind_address_at')
        batch_op.drop_index('ix_sign_in_attempts_kind_account_at')
        batch_op.drop_index('ix_sign_in_attempts_at')
    op.drop_table('sign_in_attempts')
