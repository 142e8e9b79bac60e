"""Appointment slots: filling up, concurrent bookings, move, cancel, after hours, reminders."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.core import clock
from engine.core.db import unit_of_work
from engine.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.models import AppointmentSlot, AuditEvent
from engine.service import appointments
from tests.service.support import (
    CLERK,
    DUTY,
    LI,
    OTHER_CLERK,
    SATURDAY,
    WEDNESDAY,
    ZHANG,
    messages,
    worker,
)


def open_slot(db, starts="09:00", ends="10:00", capacity=2, day=WEDNESDAY, duty=None) -> int:
    with unit_of_work(db) as s:
        return appointments.create_slot(s, CLERK, "branch_tieying", day, starts, ends,
                                        capacity, duty_clerk=duty).id


def book(db, slot_id, who=ZHANG, **kw):
    with unit_of_work(db) as s:
        return appointments.as_dict(appointments.book(s, who, slot_id, **kw))


def booked(db, slot_id) -> int:
    with unit_of_work(db) as s:
        return s.get(AppointmentSlot, slot_id).booked


def test_a_slot_fills_up_and_refuses_the_next_booking(seeded):
    slot = open_slot(seeded, capacity=2)
    first, second = book(seeded, slot), book(seeded, slot, who=LI)
    assert (first["slot"]["free"], second["slot"]["free"]) == (1, 0)
    with pytest.raises(Conflict, match="full"):
        book(seeded, slot, who=CLERK)
    assert booked(seeded, slot) == 2
    with unit_of_work(seeded) as s:
        listed = appointments.list_slots(s, "branch_tieying", WEDNESDAY, WEDNESDAY)
        assert [appointments.slot_dict(x)["free"] for x in listed] == [0]


def test_the_same_applicant_cannot_hold_two_places_in_one_slot(seeded):
    slot = open_slot(seeded)
    book(seeded, slot)
    with pytest.raises(Conflict, match="already holds"):
        book(seeded, slot)


def test_two_concurrent_bookings_of_the_last_place_one_wins(seeded):
    slot = open_slot(seeded, capacity=1)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(who):
        start.wait()
        try:
            book(seeded, slot, who=who)
            outcomes.append("booked")
        except Conflict:
            outcomes.append("full")

    threads = [threading.Thread(target=attempt, args=(who,)) for who in (ZHANG, LI)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["booked", "full"]
    assert booked(seeded, slot) == 1


def test_a_booking_waiting_on_an_open_transaction_sees_the_slot_full(seeded):
    """One session holds the last place uncommitted; the other's booking waits, then fails."""
    slot = open_slot(seeded, capacity=1)
    result: list[str] = []
    with unit_of_work(seeded) as first:
        appointments.book(first, ZHANG, slot)

        def second():
            try:
                book(seeded, slot, who=LI)
                result.append("booked")
            except Conflict:
                result.append("full")

        waiting = threading.Thread(target=second)
        waiting.start()
        waiting.join(timeout=0.5)  # the second session cannot finish while the first is open
        assert result == []
    waiting.join()
    assert result == ["full"] and booked(seeded, slot) == 1


def test_move_frees_the_old_place_and_cancel_gives_it_back(seeded):
    early, late = open_slot(seeded, capacity=1), open_slot(seeded, "10:00", "11:00", 1)
    appointment = book(seeded, early)["id"]
    with unit_of_work(seeded) as s:
        moved = appointments.as_dict(appointments.move(s, ZHANG, appointment, late))
    assert moved["slot"]["id"] == late
    assert (booked(seeded, early), booked(seeded, late)) == (0, 1)
    book(seeded, early, who=LI)  # the freed place is bookable again
    with pytest.raises(Conflict, match="full"), unit_of_work(seeded) as s:
        appointments.move(s, ZHANG, appointment, early)
    with unit_of_work(seeded) as s:
        appointments.cancel(s, ZHANG, appointment, "plans changed")
    assert booked(seeded, late) == 0
    with pytest.raises(Conflict, match="cancelled"), unit_of_work(seeded) as s:
        appointments.cancel(s, ZHANG, appointment)
    with unit_of_work(seeded) as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.action.like("appointment.%")).order_by(AuditEvent.id))]
    assert actions == ["appointment.slot_opened", "appointment.slot_opened",
                       "appointment.booked", "appointment.moved", "appointment.booked",
                       "appointment.cancelled"]


def test_other_people_cannot_see_or_cancel_a_booking(seeded):
    appointment = book(seeded, open_slot(seeded))["id"]
    with pytest.raises(NotFound), unit_of_work(seeded) as s:
        appointments.cancel(s, LI, appointment)
    with pytest.raises(NotFound), unit_of_work(seeded) as s:
        appointments.get(s, appointment, OTHER_CLERK)
    with unit_of_work(seeded) as s:
        assert appointments.get(s, appointment, CLERK).applicant == "zhang_san"
        assert [a.id for a in appointments.visible(s, CLERK, "branch_tieying")] == [appointment]
        assert appointments.visible(s, LI) == []
    with pytest.raises(Forbidden), unit_of_work(seeded) as s:
        appointments.visible(s, OTHER_CLERK, "branch_tieying")
    with pytest.raises(Forbidden), unit_of_work(seeded) as s:
        appointments.book(s, LI, open_slot(seeded, "11:00", "11:30"), applicant="zhang_san")


def test_slots_in_the_past_cannot_be_booked_or_opened(seeded):
    slot = open_slot(seeded, "10:00", "11:00", day=clock.now().date())  # Monday 10:00 local
    clock.advance(timedelta(hours=1, minutes=30))  # 10:30 in Leling
    with pytest.raises(Conflict, match="begun"):
        book(seeded, slot)
    with pytest.raises(InvalidInput), unit_of_work(seeded) as s:
        appointments.create_slot(s, CLERK, "branch_tieying", WEDNESDAY - timedelta(days=3),
                                 "09:00", "10:00", 1)


@pytest.mark.parametrize(("day", "starts", "ends"), [
    (WEDNESDAY, "12:00", "13:30"), (WEDNESDAY, "17:30", "19:00"), (SATURDAY, "09:00", "11:00"),
], ids=["lunch-break", "evening", "weekend"])
def test_after_hours_slots_need_and_assign_a_duty_clerk(seeded, day, starts, ends):
    with pytest.raises(InvalidInput, match="errors") as refused, unit_of_work(seeded) as s:
        appointments.create_slot(s, CLERK, "branch_tieying", day, starts, ends, 1)
    assert refused.value.fields[0].path == "duty_clerk"
    with pytest.raises(InvalidInput), unit_of_work(seeded) as s:
        appointments.create_slot(s, CLERK, "branch_tieying", day, starts, ends, 1,
                                 duty_clerk=OTHER_CLERK.username)  # works elsewhere
    slot = open_slot(seeded, starts, ends, 1, day=day, duty=DUTY.username)
    made = book(seeded, slot)
    assert made["slot"]["after_hours"] is True and made["clerk"] == "duty_tieying"
    body = messages(seeded, template="appointment_confirmed")[0].body
    assert "duty_tieying" in body and "延时服务" in body


def test_office_hours_slots_are_not_after_hours(seeded):
    slot = open_slot(seeded, "13:30", "15:00")
    assert book(seeded, slot)["slot"]["after_hours"] is False


def test_reminder_is_delivered_by_the_job_the_day_before(rt, seeded, sms):
    slot = open_slot(seeded)
    book(seeded, slot, phone="13800000001")
    assert [m.template for m in messages(seeded, channel="in_app")] == ["appointment_confirmed"]
    worker(rt, seeded)  # the confirmation SMS goes now, the reminder is not due yet
    assert [s[2][:4] for s in sms.sent] == ["预约成功"]
    clock.advance(timedelta(days=1))  # Tuesday 09:00 local: the day before
    assert worker(rt, seeded) == 2  # the reminder, then its SMS
    reminders = messages(seeded, template="appointment_reminder")
    assert {m.channel for m in reminders} == {"in_app", "sms"}
    assert "2026-03-04 09:00-10:00" in reminders[0].body
    assert sms.sent[-1][1] == "13800000001" and "提醒" in sms.sent[-1][2]


def test_no_reminder_for_a_cancelled_booking_and_one_for_the_moved_slot(rt, seeded):
    early, later = open_slot(seeded), open_slot(seeded, day=WEDNESDAY + timedelta(days=1))
    gone, kept = book(seeded, early)["id"], book(seeded, early, who=LI)["id"]
    with unit_of_work(seeded) as s:
        appointments.cancel(s, ZHANG, gone)
        appointments.move(s, LI, kept, later)
    clock.advance(timedelta(days=1))
    worker(rt, seeded)
    assert messages(seeded, template="appointment_reminder") == []
    clock.advance(timedelta(days=1))
    worker(rt, seeded)
    sent = messages(seeded, template="appointment_reminder")
    assert [m.recipient_user for m in sent] == ["li_si"] and "2026-03-05" in sent[0].body
