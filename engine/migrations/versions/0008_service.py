"""service: notification outbox, appointment slots and bookings, visits, mobile intakes

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.models.base

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
TIME = engine.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_user', sa.String(length=80), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('payload', JSON, nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', TIME, nullable=True),
    sa.Column('sent_at', TIME, nullable=True),
    sa.Column('read_at', TIME, nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_notifications_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_notifications_recipient_read', ['recipient_user', 'read_at'], unique=False)
        batch_op.create_index('ix_notifications_status_next', ['status', 'next_attempt_at'], unique=False)

    op.create_table('appointment_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=60), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts', sa.String(length=5), nullable=False),
    sa.Column('ends', sa.String(length=5), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('after_hours', sa.Boolean(), nullable=False),
    sa.Column('duty_clerk', sa.String(length=80), nullable=True),
    sa.Column('created_by', sa.String(length=80), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_appointment_slots_within_capacity')),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_appointment_slots_office_code_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_slots')),
    sa.UniqueConstraint('office_code', 'day', 'starts', name=op.f('uq_appointment_slots_office_code_day_starts'))
    )
    with op.batch_alter_table('appointment_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_slots_office_code'), ['office_code'], unique=False)

    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('applicant', sa.String(length=80), nullable=False),
    sa.Column('booked_by', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('clerk', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('updated_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_appointments_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['slot_id'], ['appointment_slots.id'], name=op.f('fk_appointments_slot_id_appointment_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_applicant_status', ['applicant', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointments_slot_id'), ['slot_id'], unique=False)

    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant', sa.String(length=80), nullable=False),
    sa.Column('requested_by', sa.String(length=80), nullable=False),
    sa.Column('office_code', sa.String(length=60), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('reason_kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('window_from', TIME, nullable=False),
    sa.Column('window_until', TIME, nullable=False),
    sa.Column('clerk', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('materials_collected', sa.Boolean(), nullable=True),
    sa.Column('onsite_check_done', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', TIME, nullable=False),
    sa.Column('updated_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_visits_case_id_cases'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_visits_office_code_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_applicant'), ['applicant'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_visits_office_status', ['office_code', 'status'], unique=False)

    op.create_table('mobile_intakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_code', sa.String(length=60), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('market_day', sa.Date(), nullable=False),
    sa.Column('clerk', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', TIME, nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_mobile_intakes_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_code'], ['offices.code'], name=op.f('fk_mobile_intakes_office_code_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mobile_intakes'))
    )
    with op.batch_alter_table('mobile_intakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mobile_intakes_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mobile_intakes_office_code'), ['office_code'], unique=False)


def downgrade() -> None:
    op.drop_table('mobile_intakes')
    op.drop_table('visits')
    op.drop_table('appointments')
    op.drop_table('appointment_slots')
    op.drop_table('notifications')
