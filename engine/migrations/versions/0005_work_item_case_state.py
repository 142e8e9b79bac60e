"""index work items by case and state

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_work_items_case_state', 'work_items', ['case_id', 'state'])


def downgrade() -> None:
    op.drop_index('ix_work_items_case_state', table_name='work_items')
