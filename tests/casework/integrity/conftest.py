"""Fixtures: the demo county on a fresh database, driven through the engine or over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from engine.casework import cases, completion
from engine.core import clock
from engine.core.db import unit_of_work
from tests.casework.integrity.county import OFFICE, actor_of, org_postings, set_up
from tests.casework.integrity.drive import Drive
from web.app import create_app
from web.context import onething

# a Monday at 09:00 in the county: the promised dates and working-day clocks of the drives
# then never depend on when the suite runs
MONDAY_MORNING = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def office_hours(rt: Any) -> Iterator[None]:
    clock.freeze(MONDAY_MORNING)  # after rt, which sets the clock running
    yield
    clock.reset()


@pytest.fixture
def county(db: sessionmaker[Session], rt: Any) -> sessionmaker[Session]:
    set_up(db)
    return db


def engine_drive(rt: Any, factory: sessionmaker[Session]) -> Drive:
    """A Drive that starts and completes through the engine API."""

    def start(key: str, who: str, answers: dict[str, Any]) -> int:
        with unit_of_work(factory) as s:
            return cases.start_case(rt, s, key, {"applicant": "铁营好味道", "answers": answers},
                                    actor=actor_of(s, who), office=OFFICE,
                                    channel="online").id

    def complete(who: str, item_id: str, data: dict[str, Any], for_whom: str | None) -> None:
        with unit_of_work(factory) as s:
            completion.complete(rt, s, item_id, data, actor_of(s, who), on_behalf_of=for_whom)

    return Drive(factory, start, complete, org_postings())


@pytest.fixture
def drive(rt: Any, county: sessionmaker[Session]) -> Drive:
    return engine_drive(rt, county)


@pytest.fixture
def county_app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The web app on the demo county (its tables made by tests/conftest.py)."""
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "EMBEDDED_WORKER": False,
                      "TRANSLATIONS_CACHE": str(tmp_path / "translations"),
                      "MATERIALS_ROOT": str(tmp_path / "materials")})
    set_up(onething(app).factory)
    yield app
    onething(app).close()
