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


def test_two_first_cases_of_a_year_at_once_both_get_a_number(db):
    """The first number of a year is taken while another transaction holds the
    year's first row uncommitted: the second waits for it and takes the next."""
    import threading
    import time

    clock.freeze(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    taken: dict[str, str] = {}
    errors: list[BaseException] = []
    first_holds = threading.Event()

    def first() -> None:
        try:
            with unit_of_work(db) as session:
                taken["first"] = next_number(session)
                first_holds.set()
                time.sleep(0.5)  # the row is written, not yet committed
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)
            first_holds.set()

    def second() -> None:
        try:
            first_holds.wait(10)
            with unit_of_work(db) as session:
                taken["second"] = next_number(session)
        except BaseException as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    try:
        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        clock.reset()
    assert errors == []
    assert sorted(taken.values()) == ["LL-2026-000001", "LL-2026-000002"]
