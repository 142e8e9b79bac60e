"""commitment clocks, supervision orders, service ratings and their follow-ups

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.models.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TIME = engine.models.base.UTCDateTime(timezone=True)


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f(f'fk_{table}_case_id_cases'),
                                   ondelete='CASCADE')


def upgrade() -> None:
    op.create_table('commitment_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('bundle_key', sa.String(length=120), nullable=False),
    sa.Column('office_code', sa.String(length=60), nullable=True),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('committed', sa.Double(), nullable=False),
    sa.Column('statutory', sa.Double(), nullable=False),
    sa.Column('started_at', TIME, nullable=False),
    sa.Column('due_at', TIME, nullable=False),
    sa.Column('statutory_due_at', TIME, nullable=False),
    sa.Column('paused_since', TIME, nullable=True),
    sa.Column('pausing', JSON, nullable=False),
    sa.Column('paused_days', sa.Integer(), nullable=False),
    sa.Column('extended_days', sa.Double(), nullable=False),
    sa.Column('extended_by', sa.String(length=80), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('extended_at', TIME, nullable=True),
    sa.Column('finished_at', TIME, nullable=True),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('level_changed_at', TIME, nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    _case_fk('commitment_clocks'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_clocks')),
    sa.UniqueConstraint('case_id', 'scope', name=op.f('uq_commitment_clocks_case_id_scope'))
    )
    with op.batch_alter_table('commitment_clocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_clocks_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_commitment_clocks_bundle_key'), ['bundle_key'], unique=False)
        batch_op.create_index('ix_commitment_clocks_level_finished', ['level', 'finished_at'], unique=False)

    op.create_table('supervision_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('issued_by', sa.String(length=80), nullable=False),
    sa.Column('to_user', sa.String(length=80), nullable=True),
    sa.Column('to_group', sa.String(length=120), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('deadline', TIME, nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.String(length=80), nullable=True),
    sa.Column('replied_at', TIME, nullable=True),
    sa.Column('escalated_to', sa.String(length=120), nullable=True),
    sa.Column('escalated_at', TIME, nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    _case_fk('supervision_orders'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supervision_orders'))
    )
    with op.batch_alter_table('supervision_orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_orders_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_orders_to_user'), ['to_user'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_orders_to_group'), ['to_group'], unique=False)
        batch_op.create_index('ix_supervision_orders_state_deadline', ['state', 'deadline'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('office_code', sa.String(length=60), nullable=True),
    sa.Column('bundle_key', sa.String(length=120), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('rater', sa.String(length=80), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    _case_fk('ratings'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('subject', name=op.f('uq_ratings_subject'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_ratings_office_bundle', ['office_code', 'bundle_key'], unique=False)

    op.create_table('rating_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('office_code', sa.String(length=60), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('due_at', TIME, nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('verify_note', sa.Text(), nullable=True),
    sa.Column('verified_by', sa.String(length=80), nullable=True),
    sa.Column('verified_at', TIME, nullable=True),
    sa.Column('rectify_note', sa.Text(), nullable=True),
    sa.Column('rectified_by', sa.String(length=80), nullable=True),
    sa.Column('rectified_at', TIME, nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('replied_by', sa.String(length=80), nullable=True),
    sa.Column('replied_at', TIME, nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    _case_fk('rating_follow_ups'),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_rating_follow_ups_rating_id_ratings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_follow_ups')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rating_follow_ups_rating_id'))
    )
    with op.batch_alter_table('rating_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_follow_ups_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_rating_follow_ups_state_due', ['state', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_table('rating_follow_ups')
    op.drop_table('ratings')
    op.drop_table('supervision_orders')
    op.drop_table('commitment_clocks')
