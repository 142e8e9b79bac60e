"""open_work_keys: the claim keys of open person tasks, for the group inbox

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# the rule as it stood at this revision (engine.runtime.work_keys)
ROLES = ("window_clerk", "reviewer", "agent", "supervisor", "leader", "designer", "admin")
PERSON_KINDS = ("user", "manual", "cooperation")


def upgrade() -> None:
    keys = op.create_table('open_work_keys',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('work_item_id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('claimed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_open_work_keys_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['work_item_id'], ['work_items.id'], name=op.f('fk_open_work_keys_work_item_id_work_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'work_item_id', name=op.f('pk_open_work_keys'))
    )
    with op.batch_alter_table('open_work_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_work_keys_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_open_work_keys_claimable', ['key', 'claimed', 'work_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_open_work_keys_work_item_id'), ['work_item_id'], unique=False)
    _fill(keys)


def _fill(keys: sa.Table) -> None:
    """The keys of the tasks open now, a batch of work items at a time."""
    conn = op.get_bind()
    items = sa.table('work_items', sa.column('id'), sa.column('case_id'), sa.column('kind'),
                     sa.column('state'), sa.column('assignee'))
    cases = sa.table('cases', sa.column('id'), sa.column('office_code'))
    named = sa.table('work_item_candidates', sa.column('work_item_id'), sa.column('kind'),
                     sa.column('name'))
    after = ''
    while True:
        batch = conn.execute(
            sa.select(items.c.id, items.c.case_id, cases.c.office_code, items.c.assignee)
            .join(cases, cases.c.id == items.c.case_id)
            .where(items.c.state == 'open', items.c.kind.in_(PERSON_KINDS), items.c.id > after)
            .order_by(items.c.id).limit(1000)).all()
        if not batch:
            return
        found: dict[str, tuple[set[str], set[str]]] = {row[0]: (set(), set()) for row in batch}
        for item_id, kind, name in conn.execute(
                sa.select(named.c.work_item_id, named.c.kind, named.c.name)
                .where(named.c.work_item_id.in_(list(found)))):
            found[item_id][0 if kind == 'user' else 1].add(name)
        rows = []
        for item_id, case_id, office, assignee in batch:
            users, groups = found[item_id]
            where = office or ''
            names = ([f'u:{u}' for u in users] + [f'g:{g}' for g in groups]
                     + [f'r:{g}@{where}' for g in groups if g in ROLES]
                     if users or groups else [f'o:{where}'])
            rows += [{'key': k, 'work_item_id': item_id, 'case_id': case_id,
                      'claimed': assignee is not None} for k in names]
        if rows:
            conn.execute(keys.insert(), rows)
        after = batch[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('open_work_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_work_keys_work_item_id'))
        batch_op.drop_index(batch_op.f('ix_open_work_keys_case_id'))
        batch_op.drop_index('ix_open_work_keys_claimable')
    op.drop_table('open_work_keys')
