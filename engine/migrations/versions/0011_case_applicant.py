"""the applicant of a case, and applicant steps that belong to that person alone

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.add_column(sa.Column('applicant', sa.String(length=80), nullable=True))
        batch.create_index('ix_cases_applicant', ['applicant'])
    bind = op.get_bind()
    # "agent for principal" started it for the principal; anyone else for themselves
    after_for = ("substr(started_by, instr(started_by, ' for ') + 5)"
                 if bind.dialect.name == "sqlite"
                 else "substr(started_by, strpos(started_by, ' for ') + 5)")
    has_for = ("instr(started_by, ' for ') > 0" if bind.dialect.name == "sqlite"
               else "strpos(started_by, ' for ') > 0")
    op.execute(f"UPDATE cases SET applicant = CASE WHEN {has_for} THEN {after_for} "
               "ELSE started_by END")
    # an applicant step offered to the group of every applicant goes to this case's one
    op.execute("DELETE FROM work_item_candidates WHERE kind = 'group' AND name = 'applicant' "
               "AND work_item_id IN (SELECT work_item_id FROM work_item_candidates "
               "WHERE kind = 'user')")
    op.execute("UPDATE work_item_candidates SET kind = 'user', name = "
               "(SELECT applicant FROM cases WHERE cases.id = work_item_candidates.case_id) "
               "WHERE kind = 'group' AND name = 'applicant' AND case_id IN "
               "(SELECT id FROM cases WHERE applicant IS NOT NULL)")
    op.execute("DELETE FROM work_item_candidates WHERE kind = 'group' AND name = 'applicant'")


def downgrade() -> None:
    with op.batch_alter_table('cases') as batch:
        batch.drop_index('ix_cases_applicant')
        batch.drop_column('applicant')
