"""accepting office and channel of a case

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('office_code', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('channel', sa.String(length=20), nullable=True))
        batch.create_index('ix_cases_office_code', ['office_code'])


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_cases_office_code')
        batch.drop_column('channel')
        batch.drop_column('office_code')
