"""Case numbers: readable, unique per county and year, the year of the county's clock."""

from __future__ import annotations

from datetime import UTC, datetime

from engine.casework.case_numbers import next_number
from engine.core import clock
from engine.core.db import unit_of_work


def test_numbers_count_up_within_a_year_and_restart_in_the_next(db):
    clock.freeze(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    try:
        with unit_of_work(db) as session:
            first, second = next_number(session), next_number(session)
        assert (first, second) == ("LL-2026-000001", "LL-2026-000002")
        # 17:00 UTC on New Year's Eve is already 1 January 01:00 in Beijing
        clock.freeze(datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
        with unit_of_work(db) as session:
            assert next_number(session) == "LL-2027-000001"
            assert next_number(session, "QH") == "QH-2027-000001"
    finally:
        clock.reset()
