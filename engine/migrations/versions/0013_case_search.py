"""case_search: the applicant's name, credit code and phone of each case, for staff search

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_search',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('applicant_name', sa.String(length=200), nullable=True),
    sa.Column('credit_code', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_search_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_search'))
    )
    with op.batch_alter_table('case_search', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_search_applicant_name'), ['applicant_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_search_credit_code'), ['credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_search_phone'), ['phone'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_search_phone'))
        batch_op.drop_index(batch_op.f('ix_case_search_credit_code'))
        batch_op.drop_index(batch_op.f('ix_case_search_applicant_name'))
    op.drop_table('case_search')
