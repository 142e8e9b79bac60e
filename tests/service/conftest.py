"""Service fixtures: a seeded database on a frozen Monday, and a fake SMS channel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from engine.core import clock
from engine.service.notifications import delivery
from tests.service.support import MONDAY, FakeSms, seed
from tests.web.conftest import admin, app, client, make_user

__all__ = ["admin", "app", "client", "make_user"]


@pytest.fixture
def seeded(rt: Any, db: Any) -> Any:
    """The database with offices and people, the clock frozen on a Monday morning."""
    clock.freeze(MONDAY)
    seed(db)
    return db


@pytest.fixture
def sms() -> Iterator[FakeSms]:
    """A working fake SMS channel in place of the configured notifier."""
    before = delivery.configured()
    fake = FakeSms()
    delivery.configure(fake)
    yield fake
    delivery.configure(before)
