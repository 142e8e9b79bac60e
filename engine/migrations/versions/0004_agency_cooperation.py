"""agency authorisations and cooperation requests

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.models.base

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TIME = engine.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('agency_authorizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('principal', sa.String(length=80), nullable=False),
    sa.Column('agent', sa.String(length=80), nullable=False),
    sa.Column('scope', JSON, nullable=False),
    sa.Column('bundle_key', sa.String(length=120), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', TIME, nullable=False),
    sa.Column('valid_until', TIME, nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.Column('revoked_at', TIME, nullable=True),
    sa.Column('revoked_by', sa.String(length=80), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_agency_authorizations_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_authorizations'))
    )
    with op.batch_alter_table('agency_authorizations', schema=None) as batch_op:
        batch_op.create_index('ix_agency_agent_principal', ['agent', 'principal'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_authorizations_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_authorizations_principal'), ['principal'], unique=False)

    op.create_table('cooperation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('work_item_id', sa.String(length=36), nullable=False),
    sa.Column('cooperation_item_id', sa.String(length=36), nullable=False),
    sa.Column('requested_by', sa.String(length=80), nullable=False),
    sa.Column('group_name', sa.String(length=120), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('due_at', TIME, nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_by', sa.String(length=80), nullable=True),
    sa.Column('answered_at', TIME, nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_cooperation_requests_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cooperation_item_id'], ['work_items.id'], name=op.f('fk_cooperation_requests_cooperation_item_id_work_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_items.id'], name=op.f('fk_cooperation_requests_work_item_id_work_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_requests')),
    sa.UniqueConstraint('cooperation_item_id', name=op.f('uq_cooperation_requests_cooperation_item_id'))
    )
    with op.batch_alter_table('cooperation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperation_requests_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperation_requests_work_item_id'), ['work_item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cooperation_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperation_requests_work_item_id'))
        batch_op.drop_index(batch_op.f('ix_cooperation_requests_case_id'))

    op.drop_table('cooperation_requests')
    with op.batch_alter_table('agency_authorizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_authorizations_principal'))
        batch_op.drop_index(batch_op.f('ix_agency_authorizations_case_id'))
        batch_op.drop_index('ix_agency_agent_principal')

    op.drop_table('agency_authorizations')
