"""What the service tests share: a frozen Monday, two offices with staff, a fake SMS channel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from engine.core.actors import Actor
from engine.core.db import unit_of_work
from engine.jobs.worker import Worker, run_until_idle
from engine.models import Notification, Office
from engine.org import users
from engine.runtime.engine import Engine

# Monday 2 March 2026, 09:00 in Leling (01:00 UTC)
MONDAY = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
WEDNESDAY = date(2026, 3, 4)
SATURDAY = date(2026, 3, 7)

CLERK = Actor("clerk_tieying", frozenset({"window_clerk", "office:branch_tieying"}))
DUTY = Actor("duty_tieying", frozenset({"window_clerk", "office:branch_tieying"}))
OTHER_CLERK = Actor("clerk_yangan", frozenset({"window_clerk", "office:branch_yangan"}))
ZHANG = Actor("zhang_san", frozenset({"applicant"}))
LI = Actor("li_si", frozenset({"applicant"}))


class FakeSms:
    """A Notifier whose first FAILURES sends raise, like a gateway that is down for a while."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[tuple[str, str, str, str]] = []
        self.tries = 0

    def send(self, channel: str, address: str, subject: str, body: str) -> None:
        self.tries += 1
        if self.tries <= self.failures:
            raise ConnectionError("SMS gateway unreachable")
        self.sent.append((channel, address, subject, body))


def seed(factory: sessionmaker[Session]) -> None:
    """Two branch offices and the people of the tests."""
    with unit_of_work(factory) as s:
        s.add_all([Office(code="branch_tieying", name_zh="铁营分局", name_en="Tieying Branch",
                          level="branch", town="铁营镇"),
                   Office(code="branch_yangan", name_zh="杨安分局", name_en="Yang'an Branch",
                          level="branch", town="杨安镇")])
        s.flush()
        for who in (CLERK, DUTY, OTHER_CLERK, ZHANG, LI):
            users.add_user(s, who.username, groups=sorted(who.groups))


def worker(rt: Engine, factory: sessionmaker[Session]) -> int:
    """Run every due job; how many ran."""
    return run_until_idle(Worker(rt, factory, name="service-tests"))


def messages(factory: sessionmaker[Session], **where: Any) -> list[Notification]:
    """Outbox rows matching WHERE (column=value), oldest first."""
    with unit_of_work(factory) as s:
        query = select(Notification).order_by(Notification.id)
        for column, value in where.items():
            query = query.where(getattr(Notification, column) == value)
        rows = list(s.scalars(query))
        s.expunge_all()
        return rows
