"""page language of users and application drafts

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.models.base

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TIME = engine.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('locale', sa.String(length=10), nullable=True))

    op.create_table('application_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_key', sa.String(length=120), nullable=False),
    sa.Column('owner', sa.String(length=80), nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('data', JSON, nullable=False),
    sa.Column('office_code', sa.String(length=60), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('updated_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_application_drafts_case_id_cases'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_drafts'))
    )
    with op.batch_alter_table('application_drafts', schema=None) as batch_op:
        batch_op.create_index('ix_application_drafts_owner_status', ['owner', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('application_drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_application_drafts_owner_status')

    op.drop_table('application_drafts')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('locale')
