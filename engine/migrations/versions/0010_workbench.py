"""clerk workbench: case comments, watched cases, inbox paging indexes

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import engine.models.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TIME = engine.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('case_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_comments_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_comments'))
    )
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.create_index('ix_case_comments_case_id_id', ['case_id', 'id'], unique=False)

    op.create_table('case_watches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_watches_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_watches')),
    sa.UniqueConstraint('username', 'case_id', name=op.f('uq_case_watches_username_case_id'))
    )
    with op.batch_alter_table('case_watches', schema=None) as batch_op:
        batch_op.create_index('ix_case_watches_case_id', ['case_id'], unique=False)

    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index('ix_work_items_state_due_id', ['state', 'due_at', 'id'], unique=False)
        batch_op.create_index('ix_work_items_state_created_id', ['state', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_work_items_assignee_state_due_id', ['assignee', 'state', 'due_at', 'id'], unique=False)
    with op.batch_alter_table('work_item_candidates', schema=None) as batch_op:
        batch_op.create_index('ix_candidates_kind_name_item', ['kind', 'name', 'work_item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_item_candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_candidates_kind_name_item')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index('ix_work_items_assignee_state_due_id')
        batch_op.drop_index('ix_work_items_state_created_id')
        batch_op.drop_index('ix_work_items_state_due_id')
    with op.batch_alter_table('case_watches', schema=None) as batch_op:
        batch_op.drop_index('ix_case_watches_case_id')
    op.drop_table('case_watches')
    with op.batch_alter_table('case_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_case_comments_case_id_id')
    op.drop_table('case_comments')
