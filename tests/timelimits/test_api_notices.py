"""The acceptance message names the clock's promised date; a CLI worker delivers SMS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from engine.core import clock
from engine.core.db import unit_of_work
from engine.jobs.worker import Worker, run_until_idle
from engine.models import Notification
from engine.service.notifications import delivery, outbox
from tests.design.bundles.support import applicant
from tests.timelimits.conftest import at
from tests.timelimits.drive import ANSWERS, ClockScenario
from tests.timelimits.test_clocks import sc
from tests.web.conftest import runner

__all__ = ["runner", "sc"]


@pytest.fixture
def no_notifier() -> Iterator[None]:
    """No notifier configured, as in a fresh worker process; restored afterwards."""
    before = delivery.configured()
    delivery.configure(None)
    yield
    delivery.configure(before)


def test_the_acceptance_message_names_the_promised_date(sc: ClockScenario):
    clock.freeze(at(2026, 9, 28, 9))
    # the phone comes with the application (the acceptance form has no such field)
    cid = sc.start("restaurant", {"applicant": "铁营面馆", "answers": dict(ANSWERS),
                                  "contact_phone": "13800000000"}, actor=applicant())
    sc.accept(cid)
    due = sc.clock(cid)["due"][:10]
    assert due == "2026-10-10"  # 5 working days across the National Day week
    with unit_of_work(sc.factory) as s:
        sent = list(s.scalars(select(Notification).where(
            Notification.case_id == cid, Notification.template == "case_accepted")))
    assert {n.channel for n in sent} == {"in_app", "sms"}
    for message in sent:
        assert message.payload["promised_date"] == due
        assert f"承诺于{due}前办结" in message.body


def _queue_sms(factory) -> int:
    with unit_of_work(factory) as s:
        rows = outbox.notify(s, "ready_for_pickup", {"case_number": "LL-2026-000001"},
                             phone="13800000000")
        return rows[0].id


def _status(factory, row_id: int) -> tuple[str, str | None]:
    with unit_of_work(factory) as s:
        row = s.get(Notification, row_id)
        assert row is not None
        return row.status, row.last_error


def test_the_cli_worker_delivers_sms_with_the_default_notifier(rt, db, runner, no_notifier):
    # a worker without a notifier keeps the message waiting
    waiting = _queue_sms(db)
    run_until_idle(Worker(rt, db, name="bare"))
    status, error = _status(db, waiting)
    assert status == "pending" and error is not None and "no notifier" in error
    # `onething worker` sets up the log notifier as the web app does
    sent = _queue_sms(db)
    result = runner("worker", "--once")
    assert result.exit_code == 0, result.output
    assert _status(db, sent) == ("sent", None)
    assert delivery.configured() is not None
